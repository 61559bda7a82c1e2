"""Disclosure packages: only the recipient's profile, on its ground, through a secure channel, registered."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from arbo.absence.reports import domain as report_domain
from arbo.audit.models import AuditEvent
from arbo.consent import disclosures
from arbo.consent import domain as consent_domain
from arbo.consent.models import Consent, Disclosure, RecipientProfile
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.journal.domain import add_journal_entry
from arbo.lib.errors import DomainError
from arbo.medical.advice import domain as da
from arbo.medical.domain import add_medical_note
from arbo.medical.records import domain as dr
from arbo.medical.records.models import Limitation
from arbo.prevention import domain as prevention
from arbo.prevention.models import PeriodicExam
from arbo.privacy.rights import domain as rights_domain
from arbo.registry.models import Organisation
from tests import factories as f
from tests.medical.conftest import dangerously_create_consultation, login

pytestmark = pytest.mark.django_db


#: A signed consent form's scan, as far as the checks go (a PDF by its first bytes).
SIGNED_FORM = b"%PDF-1.4 ondertekend toestemmingsformulier"


def canary(what: str) -> str:
    return f"CANARY-{what}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def world(doctor_bram, treated, employee_eva):  # type: ignore[no-untyped-def]
    """One employee with a canary in every field of every app; ``allowed`` and ``forbidden``
    say which of them a re-integration company may receive (seed 003 §7.6)."""
    allowed, forbidden = {}, {}
    allowed["name"] = treated.surname = canary("surname")
    allowed["street"] = treated.street = canary("street")
    allowed["bsn"] = treated.bsn = "123456782"
    forbidden["phone"] = treated.phone = canary("phone")
    forbidden["email"] = treated.email = f"{canary('mail').lower()}@example.org"
    treated.save()
    employment = treated.employments.first()
    forbidden["job"] = employment.job_title = canary("job")
    employment.save()
    first_day = timezone.localdate() - dt.timedelta(days=20)
    forbidden["stay"] = stay = canary("stay-address")
    forbidden["remarks"] = remarks = canary("sick-remarks")
    report_domain.report_sick(
        treated, by=doctor_bram, via="staff", first_sick_day=first_day, stay_address=stay, remarks=remarks
    )
    allowed["first_day"] = first_day.isoformat()
    consultation = dangerously_create_consultation(treated, doctor_bram, reason=canary("reason"))
    allowed["can_do"] = can_do = canary("can-do")
    allowed["reintegration"] = plan = canary("reintegration")
    advice = da.save_advice(
        consultation,
        by=doctor_bram,
        can_do=can_do,
        cannot_do="Tillen",
        expected_duration="4 weken",
        adjustments="",
        reintegration=plan,
    )
    da.release_advice(advice, by=doctor_bram)
    allowed["fml"] = fml = canary("fml")
    dr.record_functional_abilities(
        treated,
        assessed_on=timezone.localdate(),
        rubrics={"dynamisch": (Limitation.LIMITED, fml)},
        by=doctor_bram,
    )
    forbidden["note"] = note = canary("medical-note")
    add_medical_note(treated, kind="anamnese", body=note, by=doctor_bram)
    for category in "ABD":
        forbidden[f"journal-{category}"] = text = canary(f"journal-{category}")
        add_journal_entry(treated, category=category, text=text, by=doctor_bram)
    forbidden["pmo"] = pmo = canary("pmo")
    prevention.record_periodic_exam(
        treated,
        programme=PeriodicExam.Programme.NOISE,
        exam_date=timezone.localdate(),
        results=pmo,
        advice=pmo,
        conclusion=PeriodicExam.Conclusion.REFERRED,
        by=doctor_bram,
    )
    return allowed, forbidden


@pytest.fixture
def reintegrator(db) -> Organisation:  # type: ignore[no-untyped-def]
    return Organisation.objects.create(
        kind=Organisation.Kind.REINTEGRATION, name="Re-integratie Nu BV", email="post@reintegratie.example"
    )


@pytest.fixture
def lawyer(db) -> Organisation:  # type: ignore[no-untyped-def]
    return Organisation.objects.create(
        kind=Organisation.Kind.LAWYER, name="Advocaat Mr. Jansen", email="mr@jansen.example"
    )


def _download(token: str, code: str) -> tuple[str, str]:
    from django.test import Client

    client = Client()
    url = reverse("consent:download", args=[token])
    assert client.post(url, {"code": code}).status_code == 302
    pdf = client.get(url, {"format": "pdf"})
    data = client.get(url, {"format": "json"})
    assert (pdf["Content-Type"], data["Content-Type"]) == ("application/pdf", "application/json")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    return text, json.dumps(data.json(), ensure_ascii=False)


def test_a_reintegration_package_holds_exactly_its_profile(
    world, doctor_bram, treated, reintegrator, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    allowed, forbidden = world
    offer = disclosures.offer(doctor_bram, treated, reintegrator)

    composed = disclosures.compose(doctor_bram, treated, reintegrator, items=offer.allowed)
    pdf, data = _download(composed.token, composed.code)

    assert offer.allowed == RecipientProfile.objects.get(kind="re_integratie").items
    for name, value in allowed.items():
        assert value in data, name
        assert value in pdf.replace("\n", ""), name
    for name, value in forbidden.items():
        assert value not in data, name
        assert value not in pdf, name


def test_every_package_is_in_the_register_the_audit_and_the_portal(
    world, doctor_bram, treated, employee_eva, reintegrator
) -> None:  # type: ignore[no-untyped-def]
    composed = disclosures.compose(
        doctor_bram, treated, reintegrator, items=["person.name", "absence.incapacity"]
    )

    event = AuditEvent.objects.get(event="consent.disclosed")
    page = login(employee_eva).get(reverse("consent:my_disclosures")).content.decode()

    assert (event.subject_id, event.actor, event.category) == (treated.pk, doctor_bram, "AD")
    assert event.data["items"] == ["person.name", "absence.incapacity"]
    assert "Re-integratie Nu BV" in page
    assert "gegevens over de arbeidsongeschiktheid (verzuim)" in page
    assert composed.disclosure.categories == "AD"


def test_the_mail_says_only_that_something_waits(
    world, doctor_bram, treated, reintegrator, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    allowed, _forbidden = world

    with django_capture_on_commit_callbacks(execute=True):
        with_commit = disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])

    [mail] = mailoutbox
    assert mail.to == ["post@reintegratie.example"]
    assert mail.attachments == []
    assert with_commit.code not in mail.body
    assert allowed["name"] not in mail.body
    assert reverse("consent:download", args=[with_commit.token]) in mail.body


def test_the_code_works_once_and_a_wrong_one_is_refused(world, doctor_bram, treated, reintegrator) -> None:  # type: ignore[no-untyped-def]
    composed = disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])

    with pytest.raises(DomainError):
        disclosures.open_link(composed.token, "00000000" if composed.code != "00000000" else "11111111")
    disclosures.open_link(composed.token, composed.code)
    with pytest.raises(DomainError):
        disclosures.open_link(composed.token, composed.code)
    with pytest.raises(Http404):
        disclosures.open_link("not-a-token", composed.code)


def test_an_expired_link_answers_404(world, doctor_bram, treated, reintegrator) -> None:  # type: ignore[no-untyped-def]
    composed = disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])
    Disclosure.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    from django.test import Client

    response = Client().post(reverse("consent:download", args=[composed.token]), {"code": composed.code})

    assert response.status_code == 404


def test_a_profile_needing_consent_is_refused_without_one_and_after_withdrawal(
    world, doctor_bram, treated, employee_eva, lawyer
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as before:
        disclosures.offer(doctor_bram, treated, lawyer)
    consent = disclosures.record_disclosure_consent(
        doctor_bram,
        treated,
        lawyer,
        given_by=treated.full_name,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        signed_form=SIGNED_FORM,
    )
    composed = disclosures.compose(doctor_bram, treated, lawyer, items=["person.name"])
    consent_domain.withdraw_consent(consent, by=employee_eva)

    with pytest.raises(DomainError) as after:
        disclosures.compose(doctor_bram, treated, lawyer, items=["person.name"])

    assert "toestemming" in before.value.message
    assert "ingetrokken" in after.value.message
    assert composed.disclosure.consent == consent
    assert Disclosure.objects.count() == 1


def test_an_expired_consent_is_refused(world, doctor_bram, treated, lawyer) -> None:  # type: ignore[no-untyped-def]
    consent = disclosures.record_disclosure_consent(
        doctor_bram,
        treated,
        lawyer,
        given_by=treated.full_name,
        valid_until=timezone.localdate() + dt.timedelta(days=1),
        signed_form=SIGNED_FORM,
    )
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))

    with pytest.raises(DomainError):
        disclosures.compose(doctor_bram, treated, lawyer, items=["person.name"])

    assert Disclosure.objects.count() == 0


def test_a_recipient_without_a_profile_is_refused(world, doctor_bram, treated, reintegrator) -> None:  # type: ignore[no-untyped-def]
    RecipientProfile.objects.filter(kind=reintegrator.kind).delete()

    with pytest.raises(DomainError) as error:
        disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])

    assert "geen profiel" in error.value.message
    assert Disclosure.objects.count() == 0


def test_the_works_council_gets_no_person_package(doctor_bram, treated) -> None:
    council = Organisation.objects.create(kind=Organisation.Kind.WORKS_COUNCIL, name="OR Aalbers")

    with pytest.raises(DomainError) as error:
        disclosures.offer(doctor_bram, treated, council)

    assert "groepscijfers" in error.value.message


def test_items_outside_the_profile_or_the_function_are_refused_with_reasons(
    world, casemanager_carla, doctor_bram, treated, reintegrator
) -> None:  # type: ignore[no-untyped-def]
    offer = disclosures.offer(casemanager_carla, treated, reintegrator)

    with pytest.raises(DomainError) as error:
        disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name", "medical.notes"])

    assert offer.refused["medical.notes"] == "hoort niet bij het profiel van deze ontvanger"
    assert "medische aantekeningen: hoort niet bij het profiel" in error.value.message
    assert Disclosure.objects.count() == 0
    assert not AuditEvent.objects.filter(event="medical.notes_viewed").exists()


def test_a_function_without_the_category_cannot_include_it(
    world, secretary_sara, treated, reintegrator
) -> None:  # type: ignore[no-untyped-def]
    offer = disclosures.offer(secretary_sara, treated, reintegrator)

    assert "absence.reintegration" in offer.refused
    assert offer.refused["absence.reintegration"] == "uw functie mag dit gegeven niet inzien"


def test_someone_the_user_may_not_see_answers_404(doctor_bram, employee_of_b, hr_wim, reintegrator) -> None:  # type: ignore[no-untyped-def]
    client = login(hr_wim)

    response = client.get(reverse("consent:compose", args=[employee_of_b.pk]), {"recipient": reintegrator.pk})

    assert response.status_code == 404


def test_restricted_person_is_never_disclosed_until_lifted(world, doctor_bram, treated, reintegrator) -> None:  # type: ignore[no-untyped-def]
    privacy_officer = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(privacy_officer, StaffFunction.PRIVACY_OFFICER)
    rights_domain.restrict(treated, by=privacy_officer, reason="Bezwaar tegen juistheid")

    with pytest.raises(DomainError):
        disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])
    assert Disclosure.objects.count() == 0

    rights_domain.lift_restriction(treated, by=privacy_officer)
    disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])
    assert Disclosure.objects.count() == 1


def test_staff_compose_through_the_page(world, doctor_bram, treated, reintegrator, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    client = login(doctor_bram)
    url = reverse("consent:compose", args=[treated.pk])

    page = client.get(url, {"recipient": reintegrator.pk}).content.decode()
    bad = client.post(url, {"recipient": reintegrator.pk, "items": ["medical.notes"]})
    sent = client.post(
        url, {"recipient": reintegrator.pk, "items": ["person.name", "person.bsn"]}
    ).content.decode()

    assert "hoort niet bij het profiel van deze ontvanger" in page
    assert bad.status_code == 422
    assert "Eenmalige code" in sent
    assert Disclosure.objects.get().items == ["person.name", "person.bsn"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_disclosure_list_has_constant_queries(
    count, world, doctor_bram, treated, employee_eva, reintegrator, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        disclosures.compose(doctor_bram, treated, reintegrator, items=["person.name"])
    client = login(employee_eva)
    client.get(reverse("consent:my_disclosures"))

    with django_assert_num_queries(7):
        client.get(reverse("consent:my_disclosures"))
