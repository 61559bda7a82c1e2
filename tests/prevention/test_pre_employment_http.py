"""End to end over HTTP: the doctor records a pre-employment exam; the employer learns "afgerond"
until the applicant, having heard the outcome, allows it to be sent; an outsider gets 404."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.audit.models import AuditEvent
from arbo.prevention.models import PreEmploymentExam
from tests.prevention.conftest import CANARY, EXAM_DATE, make_applicant

pytestmark = pytest.mark.django_db


def _record(client, applicant, outcome: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/prevention/applicants/{applicant.pk}/exams/",
        {
            "kind": "algemeen",
            "position": "Heftruckchauffeur",
            "exam_date": "2025-03-03",
            "results": CANARY["keuring_results"],
            "outcome": outcome,
        },
    )


def _status_for(client, applicant) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    listing = client.get("/prevention/outcomes/")
    detail = client.get(f"/prevention/outcomes/{applicant.pk}/")
    return detail.status_code, listing.content.decode(), detail.content.decode()


def _statuses(html: str) -> list[str]:
    """The status cells of the employer's pages, tags stripped."""
    return [re.sub(r"<[^>]+>", "", s) for s in re.findall(r'class="status">(.*?)</(?:span|strong)>', html)]


@pytest.mark.parametrize(("outcome", "label"), [("geschikt", "geschikt"), ("niet_geschikt", "niet geschikt")])
def test_employer_sees_the_outcome_only_after_consent(
    outcome, label, doctor_bram, hr_wim, outsider_olaf, applicant_of_a, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    doctor = mfa_client(doctor_bram)
    response = _record(doctor, applicant_of_a, outcome)
    assert response.status_code == 302
    exam = PreEmploymentExam.objects.get(applicant=applicant_of_a)
    doctor_page = doctor.get(f"/prevention/applicants/{applicant_of_a.pk}/").content.decode()
    assert CANARY["keuring_results"] in doctor_page

    employer = mfa_client(hr_wim)
    status, listing, detail = _status_for(employer, applicant_of_a)
    assert status == 200
    assert (_statuses(listing), _statuses(detail)) == (["afgerond"], ["afgerond"])
    for text in (listing, detail):
        assert "geschikt" not in text
        assert CANARY["keuring_results"] not in text

    # Blokkeringsrecht: consent before the applicant heard the outcome is refused.
    doctor = mfa_client(doctor_bram)
    doctor.post(f"/prevention/exams/{exam.pk}/release/", {"decision": "release", "confirmed": "1"})
    exam.refresh_from_db()
    assert exam.outcome_release_consented_at is None

    doctor.post(f"/prevention/exams/{exam.pk}/informed/")
    # Issue 18: the release is final, so first the step that says who will read what.
    second_step = doctor.post(f"/prevention/exams/{exam.pk}/release/", {"decision": "release"})
    page = second_step.content.decode()
    exam.refresh_from_db()
    assert "Uitslag naar de werkgever: bevestigen" in page
    assert hr_wim.get_full_name() in page
    assert label in page
    assert CANARY["keuring_results"] not in page  # the findings never go
    assert exam.outcome_release_consented_at is None
    doctor.post(f"/prevention/exams/{exam.pk}/release/", {"decision": "release", "confirmed": "1"})
    exam.refresh_from_db()
    assert exam.applicant_informed_at is not None
    assert exam.outcome_release_consented_at is not None

    employer = mfa_client(hr_wim)
    status, listing, detail = _status_for(employer, applicant_of_a)
    assert status == 200
    assert (_statuses(listing), _statuses(detail)) == ([label], [label])
    assert CANARY["keuring_results"] not in listing + detail
    if label == "geschikt":
        assert "niet geschikt" not in listing + detail
    assert (
        AuditEvent.objects.filter(
            actor=hr_wim,
            event="prevention.exam_outcome_viewed",
            basis="consent",
            subject_id=applicant_of_a.pk,
        ).count()
        == 2
    )

    outsider = mfa_client(outsider_olaf)
    status, listing, detail = _status_for(outsider, applicant_of_a)
    assert status == 404
    assert str(applicant_of_a) not in listing
    assert "geschikt" not in listing + detail


def test_a_blocked_outcome_looks_like_afgerond(doctor_bram, hr_wim, applicant_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    doctor = mfa_client(doctor_bram)
    _record(doctor, applicant_of_a, "niet_geschikt")
    exam = PreEmploymentExam.objects.get(applicant=applicant_of_a)
    doctor.post(f"/prevention/exams/{exam.pk}/informed/")
    doctor.post(f"/prevention/exams/{exam.pk}/release/", {"decision": "block"})
    exam.refresh_from_db()
    assert exam.outcome_release_refused_at is not None

    employer = mfa_client(hr_wim)
    _, listing, detail = _status_for(employer, applicant_of_a)

    assert (_statuses(listing), _statuses(detail)) == (["afgerond"], ["afgerond"])
    assert "geschikt" not in listing + detail
    assert "blok" not in (listing + detail).lower()
    # The audit record of the decision does not say which way it went.
    decision = AuditEvent.objects.get(event="prevention.release_decision_recorded")
    assert decision.data == {}


def test_an_applicant_without_an_exam_shows_not_yet_examined(hr_wim, applicant_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    employer = mfa_client(hr_wim)

    _, listing, detail = _status_for(employer, applicant_of_a)

    assert (_statuses(listing), _statuses(detail)) == (["nog niet gekeurd"], ["nog niet gekeurd"])


def test_a_manager_limited_to_departments_sees_no_applicants(employer_a, applicant_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    from arbo.registry.models import EmployerMembership
    from tests import factories as f

    manager = f.make_employer_user(employer_a, username="mara")
    membership = EmployerMembership.objects.get(user=manager)
    membership.departments.add(f.DepartmentFactory(employer=employer_a))
    client = mfa_client(manager)

    status, listing, _ = _status_for(client, applicant_of_a)

    assert status == 404
    assert str(applicant_of_a) not in listing


def _released(applicant, doctor, outcome: str = "geschikt") -> None:  # type: ignore[no-untyped-def]
    from arbo.prevention import domain

    exam = domain.record_pre_employment_exam(
        applicant, kind="algemeen", exam_date=EXAM_DATE, results="r", outcome=outcome, by=doctor
    )
    domain.record_applicant_informed(exam, by=doctor)
    domain.record_release_decision(exam, release=True, by=doctor)


def test_the_employer_list_has_no_n_plus_1(doctor_bram, hr_wim, employer_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(hr_wim)
    _released(make_applicant(employer_a, surname="Aa"), doctor_bram)
    client.get("/prevention/outcomes/")
    with CaptureQueriesContext(connection) as one:
        client.get("/prevention/outcomes/")
    for name in ("Bb", "Cc"):
        _released(make_applicant(employer_a, surname=name), doctor_bram, "niet_geschikt")

    with CaptureQueriesContext(connection) as three:
        response = client.get("/prevention/outcomes/")

    assert _statuses(response.content.decode()) == ["geschikt", "niet geschikt", "niet geschikt"]
    # Not more queries for more rows (on PostgreSQL several audit rows go by COPY, which is not counted).
    assert len(three.captured_queries) <= len(one.captured_queries)


def test_a_shredded_applicant_shows_only_afgerond(doctor_bram, hr_wim, applicant_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    from arbo.prevention import keys

    _released(applicant_of_a, doctor_bram)
    keys.destroy_applicant_key(applicant_of_a)

    _, listing, detail = _status_for(mfa_client(hr_wim), applicant_of_a)

    assert (_statuses(listing), _statuses(detail)) == (["afgerond"], ["afgerond"])
