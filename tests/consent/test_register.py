"""The one consent register: the three older consents are kinds of it; the employee withdraws in the portal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.consent import domain
from arbo.consent.models import Consent
from arbo.lib.errors import DomainError
from arbo.medical.advice import domain as da
from arbo.medical.advice.queries import released_for_employer
from arbo.medical.models import Consultation, InformationRequest
from arbo.medical.records import domain as dr
from arbo.prevention import domain as prevention
from arbo.registry.models import Practitioner
from tests.medical.conftest import dangerously_create_consultation, login
from tests.prevention.conftest import make_applicant

pytestmark = pytest.mark.django_db

ADVICE = {
    "can_do": "Licht werk",
    "cannot_do": "CANARY-B-tillen",
    "expected_duration": "Vier weken",
    "adjustments": "",
    "reintegration": "",
}


@pytest.fixture
def practitioner(db) -> Practitioner:  # type: ignore[no-untyped-def]
    return Practitioner.objects.create(name="Huisartsenpraktijk De Linde", city="Utrecht")


def consented_report(treated, doctor, employee_user):  # type: ignore[no-untyped-def]
    consultation = dangerously_create_consultation(treated, doctor, kind=Consultation.Kind.PREVENTIVE)
    advice = da.release_advice(da.save_advice(consultation, by=doctor, **ADVICE), by=doctor)
    return da.consent_to_employer_report(advice, by=employee_user)


def _information_consent(treated, doctor, practitioner, **kwargs):  # type: ignore[no-untyped-def]
    fields = {
        "practitioner": practitioner,
        "question": "Medicatie?",
        "given_by": treated.full_name,
        "given_on": timezone.localdate(),
        **kwargs,
    }
    return dr.record_information_consent(treated, by=doctor, **fields)


def _released_exam(applicant, doctor):  # type: ignore[no-untyped-def]
    exam = prevention.record_pre_employment_exam(
        applicant, by=doctor, kind="algemeen", exam_date=timezone.localdate(), results="x", outcome="geschikt"
    )
    prevention.record_applicant_informed(exam, by=doctor)
    return prevention.record_release_decision(exam, release=True, by=doctor)


def test_each_older_consent_is_a_kind_of_the_register(
    doctor_bram, treated, employee_eva, practitioner, employer_a
) -> None:
    report = consented_report(treated, doctor_bram, employee_eva)
    information = _information_consent(treated, doctor_bram, practitioner)
    applicant = make_applicant(employer_a)
    exam = _released_exam(applicant, doctor_bram)

    kinds = {(c.kind, c.employee_id, c.applicant_id, c.how, c.category) for c in Consent.objects.all()}
    assert kinds == {
        ("verslag_werkgever", treated.pk, None, "portaal", "B"),
        ("informatie_uitwisseling", treated.pk, None, "mondeling", "C"),
        ("uitslag_keuring", None, applicant.pk, "mondeling", "C"),
    }
    assert report.register_entry.scope == [f"medical.advice:{report.advice_id}"]
    assert information.register_entry.practitioner == practitioner
    assert exam.outcome_consent.employer == exam.employer
    assert AuditEvent.objects.filter(event="consent.recorded").count() == 3


def test_withdrawing_a_report_consent_hides_the_report_from_the_employer_at_once(
    doctor_bram, treated, employee_eva, hr_wim
) -> None:
    report = consented_report(treated, doctor_bram, employee_eva)
    assert len(released_for_employer(hr_wim, treated).advice) == 1

    domain.withdraw_consent(report.register_entry, by=employee_eva)

    assert released_for_employer(hr_wim, treated).advice == []
    event = AuditEvent.objects.get(event="consent.withdrawn")
    assert (event.actor, event.basis, event.subject_id) == (employee_eva, "self", treated.pk)


def test_a_regular_report_is_not_affected_by_any_consent(doctor_bram, treated, hr_wim) -> None:
    consultation = dangerously_create_consultation(treated, doctor_bram)
    da.release_advice(da.save_advice(consultation, by=doctor_bram, **ADVICE), by=doctor_bram)

    assert len(released_for_employer(hr_wim, treated).advice) == 1


def test_withdrawn_information_consent_refuses_new_requests(
    doctor_bram, treated, employee_eva, practitioner
) -> None:
    consent = _information_consent(treated, doctor_bram, practitioner)
    dr.create_information_request(
        treated, practitioner=practitioner, question="Welke medicatie?", by=doctor_bram
    )

    domain.withdraw_consent(consent.register_entry, by=employee_eva)

    with pytest.raises(DomainError):
        dr.create_information_request(
            treated, practitioner=practitioner, question="Nog iets?", by=doctor_bram
        )
    # Not retroactive: the earlier request stays.
    assert InformationRequest.objects.count() == 1
    consent.refresh_from_db()
    assert consent.is_active is False
    assert consent.withdrawn_at == consent.register_entry.withdrawn_at


@pytest.mark.parametrize("hour", [0, 8, 11])
def test_a_consent_given_this_morning_can_be_withdrawn_before_noon(
    doctor_bram, treated, employee_eva, practitioner, hour
) -> None:
    """A consent recorded for today is given at noon at the latest, never later than now: withdrawn
    the same morning it is withdrawn after it was given (found by CI running at 00:00 local time)."""
    # Tomorrow, so that the treatment relationship the fixtures start now has begun by then.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    morning = dt.datetime.combine(tomorrow, dt.time(hour, 30), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(morning, tick=False):
        consent = _information_consent(treated, doctor_bram, practitioner)
        domain.withdraw_consent(consent.register_entry, by=employee_eva)

    entry = Consent.objects.get(pk=consent.register_entry_id)
    assert entry.given_at <= entry.withdrawn_at == morning


def test_an_expired_consent_is_not_valid(doctor_bram, treated, practitioner) -> None:
    consent = _information_consent(treated, doctor_bram, practitioner)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Consent.objects.filter(pk=consent.register_entry_id).update(valid_until=yesterday)

    with pytest.raises(DomainError):
        dr.create_information_request(
            treated, practitioner=practitioner, question="Medicatie?", by=doctor_bram
        )

    assert InformationRequest.objects.count() == 0
    assert Consent.objects.valid().count() == 0


def test_a_consent_that_ends_before_it_was_given_is_refused(doctor_bram, treated) -> None:
    with pytest.raises(DomainError) as error:
        domain.record_consent(
            Consent.Kind.DISCLOSURE,
            employee=treated,
            purpose="Re-integratie",
            how=Consent.How.WRITTEN,
            given_by=treated.full_name,
            valid_until=timezone.localdate() - dt.timedelta(days=1),
            category="B",
            by=doctor_bram,
        )

    assert "verlopen" in error.value.message
    assert Consent.objects.count() == 0


def test_an_applicants_released_outcome_cannot_be_withdrawn(doctor_bram, employer_a) -> None:
    exam = _released_exam(make_applicant(employer_a), doctor_bram)

    assert exam.outcome_consent.withdrawable is False
    # An applicant has no portal account; nobody withdraws it for them.
    with pytest.raises(Http404):
        domain.withdraw_consent(exam.outcome_consent, by=doctor_bram)


def test_someone_else_cannot_withdraw(doctor_bram, treated, employee_eva, hr_wim, casemanager_carla) -> None:
    report = consented_report(treated, doctor_bram, employee_eva)

    for user in (hr_wim, casemanager_carla):
        with pytest.raises(Http404):
            domain.withdraw_consent(report.register_entry, by=user)

    report.register_entry.refresh_from_db()
    assert report.register_entry.withdrawn_at is None


def test_a_second_withdrawal_is_refused(doctor_bram, treated, employee_eva) -> None:
    report = consented_report(treated, doctor_bram, employee_eva)
    domain.withdraw_consent(report.register_entry, by=employee_eva)

    with pytest.raises(DomainError):
        domain.withdraw_consent(report.register_entry, by=employee_eva)

    assert AuditEvent.objects.filter(event="consent.withdrawn").count() == 1


# --- The portal ----------------------------------------------------------------------------------


def test_the_portal_lists_own_consents_and_withdraws_with_confirmation(
    doctor_bram, treated, employee_eva, hr_wim, practitioner
) -> None:
    report = consented_report(treated, doctor_bram, employee_eva)
    _information_consent(treated, doctor_bram, practitioner)
    client = login(employee_eva)
    url = reverse("consent:withdraw", args=[report.register_entry_id])

    page = client.get(reverse("consent:mine")).content.decode()
    unconfirmed = client.post(url, follow=True).content.decode()
    report.register_entry.refresh_from_db()
    assert report.register_entry.withdrawn_at is None
    second_step = client.post(url, {"confirm": "on"}).content.decode()
    report.register_entry.refresh_from_db()
    assert report.register_entry.withdrawn_at is None  # issue 18: nothing before the second step
    confirmed = client.post(url, {"confirm": "on", "confirmed": "1"}, follow=True).content.decode()

    assert "Toestemming intrekken: bevestigen" in second_step
    assert "Je werkgever kan het verslag niet meer lezen: " + hr_wim.get_full_name() in second_step
    assert "Eén verslag van het spreekuur naar de werkgever" in second_step  # what it is about
    assert "Eén verslag van het spreekuur naar de werkgever" in page
    assert "Informatie-uitwisseling met Huisartsenpraktijk De Linde" in page
    assert "Vink aan dat je de toestemming wilt intrekken." in unconfirmed
    assert "Je toestemming is ingetrokken." in confirmed
    report.register_entry.refresh_from_db()
    assert report.register_entry.withdrawn_at is not None
    assert released_for_employer(hr_wim, treated).advice == []
    assert AuditEvent.objects.filter(event="consent.own_list_viewed", basis="self").count() == 3


def test_the_portal_shows_no_one_elses_consents(doctor_bram, treated, treated_b, employee_eva) -> None:
    from tests import factories as f

    other_user = f.UserFactory(username="otto", kind="employee")
    treated_b.user = other_user
    treated_b.save(update_fields=["user"])
    consent = consented_report(treated_b, doctor_bram, other_user)
    client = login(employee_eva)

    page = client.get(reverse("consent:mine")).content.decode()
    response = client.post(
        reverse("consent:withdraw", args=[consent.register_entry_id]), {"confirm": "on", "confirmed": "1"}
    )

    assert "Je hebt geen toestemmingen gegeven." in page
    assert response.status_code == 404
    consent.register_entry.refresh_from_db()
    assert consent.register_entry.withdrawn_at is None


@pytest.mark.parametrize("staff", ["doctor_bram", "hr_wim"])
def test_the_portal_page_is_for_employees_only(staff, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(staff)

    assert login(user).get(reverse("consent:mine")).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_consent_list_has_constant_queries(
    count, doctor_bram, treated, employee_eva, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        consented_report(treated, doctor_bram, employee_eva)
    client = login(employee_eva)
    client.get(reverse("consent:mine"))  # warm the session

    with django_assert_num_queries(8):  # 7, and the objection to visitation (one, at any count)
        client.get(reverse("consent:mine"))
