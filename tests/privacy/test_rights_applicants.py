"""Requests of applicants (registry.Applicant, pre-employment exams): registered by staff from a
letter, identity checked, the package built from what the arbodienst holds about the applicant and
reviewed by the examining doctor, downloaded by staff (audited) and posted; erasure weighed
against the 6-month exam term and legal holds."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.prevention import domain as prevention
from arbo.prevention import keys as prevention_keys
from arbo.prevention import queries as prevention_queries
from arbo.prevention.models import ApplicantDataKey, PreEmploymentExam
from arbo.privacy.rights import domain, fhir, package
from arbo.privacy.rights.models import IdentityCopy, RightsRequest
from arbo.registry.models import Applicant
from arbo.retention import purge
from arbo.retention.domain import record_hold
from arbo.retention.models import LegalHold
from tests import factories as f
from tests.privacy.canaries import write_canaries
from tests.privacy.test_rights_package import assert_only_these_canaries, bundle_text, json_text, pdf_text

pytestmark = pytest.mark.django_db

ID_COPY = b"%PDF-1.4 kopie paspoort, BSN afgeschermd"


def _client(mfa_client, user) -> Client:  # type: ignore[no-untyped-def]
    mfa_client(user)
    client = Client()
    client.force_login(user)
    return client


def _doctor(username: str, *employers, last_name: str = "Arts") -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username=username, kind=User.Kind.STAFF, last_name=last_name)
    f.give_function(user, StaffFunction.BEDRIJFSARTS)
    for employer in employers:
        f.join_team(user, employer)
    return user


def _applicant(employer, surname: str, **kwargs) -> Applicant:  # type: ignore[no-untyped-def]
    fields = {"first_names": "Sanne", "birth_date": dt.date(1995, 4, 1), "position": "Heftruckchauffeur"}
    return Applicant.objects.create(employer=employer, surname=surname, **{**fields, **kwargs})


def write_applicant_canaries(applicant: Applicant, doctor: User, employer) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A canary in the applicant record, the exam (results, outcome's position), a reader of
    the file (the "who saw" list) and a rights request of the applicant."""
    tag = uuid.uuid4().hex[:10]
    c = {
        k: f"KANARIE-{k}-{tag}"
        for k in ("position", "phone", "results", "exam_position", "reader", "request")
    }
    Applicant.objects.filter(pk=applicant.pk).update(position=c["position"], phone=c["phone"])
    applicant.refresh_from_db()
    exam = prevention.record_pre_employment_exam(
        applicant,
        kind=PreEmploymentExam.Kind.GENERAL,
        exam_date=timezone.localdate() - dt.timedelta(days=10),
        results=c["results"],
        outcome=PreEmploymentExam.Outcome.SUITABLE,
        position=c["exam_position"],
        by=doctor,
    )
    prevention.record_applicant_informed(exam, by=doctor)
    prevention.record_release_decision(exam, release=True, by=doctor)
    reader = _doctor(f"lezer-{tag}", employer, last_name=c["reader"])
    prevention_queries.pre_employment_exams_for(reader, applicant)  # audited: the applicant sees who
    RightsRequest.objects.create(
        kind="rectification",
        channel="letter",
        status=RightsRequest.Status.DECIDED,
        applicant=applicant,
        description=c["request"],
        received_on=timezone.localdate(),
        due_on=timezone.localdate(),
        decider="privacy_officer",
        registered_by=doctor,
    )
    return c


def test_the_package_of_an_applicant_carries_every_canary_of_theirs_and_none_of_anyone_else(
    employer_a, employer_b, employee_of_a, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    mine_applicant = _applicant(employer_a, "Zeeman")
    other_applicant = _applicant(employer_b, "Buitenstaander")
    mine = write_applicant_canaries(mine_applicant, doctor_bram, employer_a)
    theirs = write_applicant_canaries(other_applicant, doctor_bram, employer_b)
    employees = write_canaries(employee_of_a, doctor_bram)
    built = package.build(mine_applicant)
    assert_only_these_canaries(built, mine, theirs, employees)
    data = package.as_json(built)
    assert data["person"]["kind"] == "applicant"
    assert {r["kind"] for r in data["records"]} >= {
        "registry.applicant",
        "prevention.preemploymentexam",
        "consent.consent",
        "audit.auditevent",
        "privacy.rightsrequest",
    }
    bundle = fhir.as_bundle(built)
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["id"] == f"applicant-{mine_applicant.pk}"


def test_only_the_applicant_package_and_the_examining_doctor_read_the_applicant_records(
    employer_a, employer_b, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    canaries = write_applicant_canaries(applicant, doctor_bram, employer_a)
    outsider = _doctor("buiten", employer_b)
    assert package.review_records(applicant, reader=outsider) == []
    reviewed = package.review_records(applicant, reader=doctor_bram)
    assert canaries["results"] in json.dumps([r.fields for r in reviewed])


def _register(piet: Client, employer, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "person": "applicant",
        "employer": employer.pk,
        "surname": "zeeman",  # the letter's spelling: matched without regard to case
        "birth_date": "1995-04-01",
        "reply_address": "Dorpsstraat 1\n1234 AB Ergens",
        "kind": "access",
        "channel": "letter",
        "received_on": timezone.localdate().isoformat(),
        "medical": "on",
        "description": "Ik wil een afschrift van de keuring.",
        "language": "nl",
        "id_copy": io.BytesIO(ID_COPY),
        **overrides,
    }
    if hasattr(data["id_copy"], "read"):
        data["id_copy"].name = "paspoort.pdf"
    return piet.post("/privacy/rights/new/", data)


def test_an_applicant_request_from_letter_to_posted_answer(
    mfa_client, fg_piet, employer_a, employer_b, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    canaries = write_applicant_canaries(applicant, doctor_bram, employer_a)
    lotte = _doctor("lotte", employer_a)  # on the team, but did not examine this applicant
    piet, bram, other = (_client(mfa_client, u) for u in (fg_piet, doctor_bram, lotte))

    response = _register(piet, employer_a)
    rights_request = RightsRequest.objects.get(applicant=applicant, kind="access")
    assert response.status_code == 302
    assert rights_request.employee is None
    assert rights_request.status == RightsRequest.Status.IDENTITY
    assert IdentityCopy.objects.filter(request=rights_request).exists()
    # Routed to the examining doctor: the one who examined the applicant decides and reviews.
    assert rights_request.decider == RightsRequest.Decider.DOCTOR
    assert rights_request.doctor == doctor_bram
    assert "Zeeman (sollicitant)" in piet.get("/privacy/rights/").content.decode()

    piet.post(f"/privacy/rights/{rights_request.pk}/identity/", {"document_kind": "passport"})
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.IN_PROGRESS
    assert not IdentityCopy.objects.filter(request=rights_request).exists()

    piet.post(f"/privacy/rights/{rights_request.pk}/send-for-review/")
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.REVIEW
    assert other.get(f"/privacy/rights/{rights_request.pk}/review/").status_code == 404
    page = bram.get(f"/privacy/rights/{rights_request.pk}/review/")
    assert page.status_code == 200
    assert canaries["results"] in page.content.decode()
    assert bram.post(f"/privacy/rights/{rights_request.pk}/review/", {}).status_code == 302
    bram.post(f"/privacy/rights/{rights_request.pk}/decide/", {"outcome": "granted"})
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.DECIDED
    assert rights_request.download_token_hash == ""  # no portal link: the answer goes by post

    # The privacy officer downloads the package to post it: audited as an export about the applicant.
    detail = piet.get(f"/privacy/rights/{rights_request.pk}/").content.decode()
    assert f"/privacy/rights/{rights_request.pk}/package/pdf/" in detail
    before = AuditEvent.objects.filter(event="privacy.rights_package_exported").count()
    texts = {}
    for fmt in ("pdf", "json", "fhir"):
        response = piet.get(f"/privacy/rights/{rights_request.pk}/package/{fmt}/")
        assert response.status_code == 200, fmt
        if fmt == "pdf":
            texts[fmt] = pdf_text(response.content)
        elif fmt == "json":
            texts[fmt] = json_text(json.loads(response.content))
        else:
            bundle = json.loads(response.content)
            fhir.validate(bundle)
            texts[fmt] = bundle_text(bundle)
    for form, text in texts.items():
        assert canaries["results"] in text, form
    exports = AuditEvent.objects.filter(event="privacy.rights_package_exported").order_by("seq")
    assert exports.count() == before + 3
    export = exports.last()
    assert (export.subject_kind, export.subject_id, export.basis) == (
        "applicant",
        applicant.pk,
        "authorisation",
    )
    assert export.action == "export"
    # Nobody else downloads it.
    assert bram.get(f"/privacy/rights/{rights_request.pk}/package/pdf/").status_code == 404

    # The decision letter is a PDF addressed to the applicant's postal address.
    letter = piet.get(f"/privacy/rights/{rights_request.pk}/letters/decision.pdf")
    assert letter["Content-Type"] == "application/pdf"
    letter_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
    assert "Dorpsstraat 1" in letter_text
    assert "op papier" in letter_text

    # Posting is recorded: when and by whom; not in the future, not twice.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    piet.post(f"/privacy/rights/{rights_request.pk}/posted/", {"posted_on": tomorrow})
    rights_request.refresh_from_db()
    assert rights_request.letter_posted_on is None
    piet.post(f"/privacy/rights/{rights_request.pk}/posted/", {"posted_on": timezone.localdate().isoformat()})
    rights_request.refresh_from_db()
    assert rights_request.letter_posted_on == timezone.localdate()
    assert rights_request.letter_posted_by == fg_piet
    assert AuditEvent.objects.filter(
        event="privacy.rights_letter_posted", subject_kind="applicant", subject_id=applicant.pk
    ).exists()
    with pytest.raises(domain.DomainError):
        domain.mark_posted(rights_request, by=fg_piet)


def test_an_unknown_applicant_gets_a_clear_message_and_nothing_is_registered(
    mfa_client, fg_piet, employer_a
) -> None:  # type: ignore[no-untyped-def]
    _applicant(employer_a, "Zeeman")
    piet = _client(mfa_client, fg_piet)
    response = _register(piet, employer_a, surname="Onbekend")
    assert response.status_code == 200
    assert "geen sollicitant met deze achternaam en geboortedatum" in response.content.decode()
    response = _register(piet, employer_a, birth_date="1990-01-01")
    assert "geen sollicitant met deze achternaam en geboortedatum" in response.content.decode()
    assert not RightsRequest.objects.exists()
    assert not IdentityCopy.objects.exists()


def test_an_applicant_the_user_may_not_see_gets_a_clear_message_and_nothing_changes(
    mfa_client, employer_a, secretary_sara
) -> None:  # type: ignore[no-untyped-def]
    """The secretariat opens the post and registers requests for the people it reaches; the
    matrix gives it no applicants (only the doctors of the serving team reach them)."""
    applicant = _applicant(employer_a, "Zeeman")
    sara = _client(mfa_client, secretary_sara)
    events = AuditEvent.objects.count()
    response = _register(sara, employer_a)
    assert response.status_code == 200
    assert "Deze sollicitant is niet gevonden." in response.content.decode()
    assert not RightsRequest.objects.exists()
    assert not IdentityCopy.objects.exists()
    assert not AuditEvent.objects.filter(event="privacy.rights_request_filed").exists()
    assert AuditEvent.objects.count() >= events
    # The same at the domain: a doctor of another team does not reach the applicant either.
    with pytest.raises(domain.DomainError) as refused:
        domain.file_request(
            by=secretary_sara,
            applicant=applicant,
            kind="access",
            channel="letter",
            reply_address="Dorpsstraat 1, Ergens",
            id_copy=ID_COPY,
            id_copy_type="application/pdf",
        )
    assert refused.value.message == "Deze sollicitant is niet gevonden."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "restriction"}, "buiten het systeem"),
        ({"reply_address": ""}, "postadres"),
        ({"surname": "", "birth_date": ""}, "Vul de achternaam van de sollicitant in."),
        ({"received_on": "2999-01-01"}, "toekomst"),
    ],
)
def test_bad_applicant_requests_are_refused_with_a_clear_message(
    mfa_client, fg_piet, employer_a, change, message
) -> None:  # type: ignore[no-untyped-def]
    _applicant(employer_a, "Zeeman")
    piet = _client(mfa_client, fg_piet)
    response = _register(piet, employer_a, **change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_a_request_is_about_exactly_one_person(fg_piet, employee_of_a, employer_a) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    common = {
        "kind": "access",
        "channel": "letter",
        "received_on": timezone.localdate(),
        "due_on": timezone.localdate(),
        "decider": "privacy_officer",
        "registered_by": fg_piet,
    }
    for people in ({"employee": employee_of_a, "applicant": applicant}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            RightsRequest.objects.create(**common, **people)


# --- Erasure: the 6-month exam term and legal holds -------------------------------------------------


def _exam(applicant: Applicant, doctor: User, *, days_ago: int, results: str) -> PreEmploymentExam:
    return prevention.record_pre_employment_exam(
        applicant,
        kind=PreEmploymentExam.Kind.GENERAL,
        exam_date=timezone.localdate() - dt.timedelta(days=days_ago),
        results=results,
        outcome=PreEmploymentExam.Outcome.SUITABLE,
        by=doctor,
    )


def _erase_applicant(fg: User, applicant: Applicant) -> RightsRequest:
    rights_request = domain.file_request(
        by=fg,
        applicant=applicant,
        kind="erasure",
        channel="letter",
        description="Verwijder de gegevens van mijn keuring.",
        reply_address="Dorpsstraat 1, 1234 AB Ergens",
        id_copy=ID_COPY,
        id_copy_type="application/pdf",
    )
    assert LegalHold.objects.filter(
        applicant=applicant, reason="erasure_pending", lifted_at__isnull=True
    ).exists()
    domain.record_identity_check(rights_request, by=fg, document_kind="passport")
    return domain.decide(rights_request, by=fg, outcome="partly", text="Wat bewaard moet, blijft.")


def test_an_applicant_erasure_keeps_exams_within_their_term_and_erases_older_ones(
    fg_piet, employer_a, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    old = _exam(applicant, doctor_bram, days_ago=200, results="KANARIE-oud")
    recent = _exam(applicant, doctor_bram, days_ago=20, results="KANARIE-recent")
    old_cipher = old.results_encrypted
    rights_request = _erase_applicant(fg_piet, applicant)

    assert not PreEmploymentExam.objects.filter(pk=old.pk).exists()
    assert PreEmploymentExam.objects.filter(pk=recent.pk).exists()
    # The recent exam stays readable, so the applicant's key stays (and still opens nothing of
    # the old exam: its row, ciphertext and all, is gone).
    assert prevention_keys.reader(applicant)(recent.results_encrypted) == "KANARIE-recent"
    assert not PreEmploymentExam.objects.filter(results_encrypted=old_cipher).exists()
    assert Applicant.objects.filter(pk=applicant.pk).exists()  # carries the kept exam and the request
    report = {row["label"]: row for row in rights_request.erasure_report}
    assert report["Aanstellingskeuringen waarvan de bewaartermijn is verstreken"]["erased"]
    kept = report["Aanstellingskeuringen van de laatste 6 maanden"]
    assert not kept["erased"]
    assert kept["count"] == 1
    assert not LegalHold.objects.filter(applicant=applicant, lifted_at__isnull=True).exists()
    # The letter (posted: the applicant has no portal) names what went and what stays, and why.
    from arbo.privacy.rights import letters

    _, body = letters.render(rights_request, "decision")
    assert "6 maanden na de keuring" in body
    assert "Autoriteit Persoonsgegevens" in body


def test_an_applicant_erasure_with_nothing_to_keep_shreds_the_key(fg_piet, employer_a, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    old = _exam(applicant, doctor_bram, days_ago=200, results="KANARIE-oud")
    cipher = old.results_encrypted
    _erase_applicant(fg_piet, applicant)
    assert not PreEmploymentExam.objects.filter(applicant=applicant).exists()
    key = ApplicantDataKey.objects.get(applicant=applicant)
    assert key.wrapped_key == ""
    assert prevention_keys.reader(applicant)(cipher) == ""  # a backup's copy decrypts no more


def test_an_applicant_erasure_keeps_what_a_legal_hold_holds(fg_piet, employer_a, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    old = _exam(applicant, doctor_bram, days_ago=200, results="KANARIE-oud")
    record_hold(
        applicant=applicant,
        reason=LegalHold.Reason.LABOUR_DISPUTE,
        review_on=timezone.localdate() + dt.timedelta(days=90),
        by=fg_piet,
    )
    rights_request = _erase_applicant(fg_piet, applicant)
    assert PreEmploymentExam.objects.filter(pk=old.pk).exists()
    assert prevention_keys.reader(applicant)(old.results_encrypted) == "KANARIE-oud"
    row = next(r for r in rights_request.erasure_report if r["hold"])
    assert row["hold"] == "labour_dispute"
    assert not row["erased"]
    from arbo.privacy.rights import letters

    _, body = letters.render(rights_request, "decision")
    assert "arbeidsconflict" in body
    # The other hold stands; only the request's own hold was lifted.
    assert LegalHold.objects.filter(applicant=applicant, lifted_at__isnull=True).count() == 1


def test_the_purge_does_not_erase_an_applicant_whose_request_is_kept(
    fg_piet, employer_a, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    applicant = _applicant(employer_a, "Zeeman")
    _exam(applicant, doctor_bram, days_ago=200, results="KANARIE-oud")
    _erase_applicant(fg_piet, applicant)
    Applicant.objects.filter(pk=applicant.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    day = timezone.localdate()
    assert applicant.pk not in set(purge.applicants_done(day, purge.terms()).values_list("pk", flat=True))
    RightsRequest.objects.filter(applicant=applicant).delete()
    assert applicant.pk in set(purge.applicants_done(day, purge.terms()).values_list("pk", flat=True))


def test_the_pages_of_an_applicant_request_speak_of_the_examining_doctor_and_prefill_dates(
    mfa_client, fg_piet, employer_a, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    """Found when tried as a user: the date fields showed empty (a localised value in a date
    input), the review listed records by model name, and the pages spoke of the treating doctor."""
    applicant = _applicant(employer_a, "Zeeman")
    write_applicant_canaries(applicant, doctor_bram, employer_a)
    piet, bram = (_client(mfa_client, u) for u in (fg_piet, doctor_bram))
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in piet.get("/privacy/rights/new/").content.decode()
    _register(piet, employer_a)
    rights_request = RightsRequest.objects.get(applicant=applicant, kind="access")
    piet.post(f"/privacy/rights/{rights_request.pk}/identity/", {"document_kind": "passport"})
    page = piet.get(f"/privacy/rights/{rights_request.pk}/").content.decode()
    assert "naar de keurend arts" in page
    register = piet.get("/privacy/rights/").content.decode()
    assert f"keurend arts: {doctor_bram}" in register
    assert "behandelend bedrijfsarts" not in register
    response = piet.post(f"/privacy/rights/{rights_request.pk}/send-for-review/", follow=True)
    assert "bij de keurend arts" in response.content.decode()
    review = bram.get(f"/privacy/rights/{rights_request.pk}/review/").content.decode()
    assert "aanstellingskeuring (" in review
    bram.post(f"/privacy/rights/{rights_request.pk}/review/", {})
    bram.post(f"/privacy/rights/{rights_request.pk}/decide/", {"outcome": "granted"})
    detail = piet.get(f"/privacy/rights/{rights_request.pk}/").content.decode()
    assert f'name="posted_on" value="{today}"' in detail
    pdf = piet.get(f"/privacy/rights/{rights_request.pk}/package/pdf/")
    assert pdf["Content-Disposition"].startswith("attachment;")


def test_the_posted_letter_names_the_addressee_once_and_the_package_reads_in_words(
    fg_piet, employer_a, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    from arbo.privacy.rights import letters

    applicant = _applicant(employer_a, "Zeeman")
    rights_request = domain.file_request(
        by=fg_piet,
        applicant=applicant,
        kind="access",
        channel="letter",
        reply_address="Sanne Zeeman\nDorpsstraat 1\n1234 AB Ergens",
        id_copy=ID_COPY,
        id_copy_type="application/pdf",
    )
    domain.record_identity_check(rights_request, by=fg_piet, document_kind="passport")
    domain.decide(rights_request, by=fg_piet, outcome="granted")
    text = pdf_text(letters.letter_pdf(rights_request, "decision"))
    assert text.count("Sanne Zeeman") == 1
    data = package.as_json(package.build(applicant))
    (request_record,) = [r for r in data["records"] if r["kind"] == "privacy.rightsrequest"]
    assert "geregistreerd door" in request_record["fields"]
    assert "registered by" not in request_record["fields"]
