"""The doctor's pages over HTTP: what they show, what they record, who gets 404."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.audit.models import AuditEvent
from arbo.identity.roles import StaffFunction
from arbo.prevention import domain
from arbo.prevention.models import ExposureRecord, PeriodicExam
from tests import factories as f
from tests.prevention.conftest import CANARY, EXAM_DATE, make_applicant, make_staff

pytestmark = pytest.mark.django_db


def test_the_treating_doctor_sees_pmo_and_exposures(
    canary_file, treating_bram, employee_of_a, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(treating_bram)

    response = client.get(f"/prevention/employees/{employee_of_a.pk}/")

    text = response.content.decode()
    assert response.status_code == 200
    for name in ("pmo_results", "pmo_advice", "exposure_agent", "exposure_source", "exposure_details"):
        assert CANARY[name] in text, name
    assert "40 jaar (tot 30 juni 2061)" in text
    assert list(
        AuditEvent.objects.filter(actor=treating_bram, action="read", event__startswith="prevention.")
        .values_list("event", "category", "basis", "data")
        .order_by("seq")
    ) == [
        ("prevention.periodic_exams_viewed", "C", "treatment", {"count": 1}),
        ("prevention.exposures_viewed", "C", "treatment", {"count": 1}),
    ]


def test_a_doctor_without_treatment_relationship_gets_404(
    canary_file, employer_a, employee_of_a, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    colleague = make_staff(StaffFunction.BEDRIJFSARTS, employer_a, username="dora")

    response = mfa_client(colleague).get(f"/prevention/employees/{employee_of_a.pk}/")

    assert response.status_code == 404
    assert CANARY["pmo_results"] not in response.content.decode()
    assert not AuditEvent.objects.filter(actor=colleague, event__startswith="prevention.").exists()


def test_the_employee_reads_their_own_pmo_without_forms(
    canary_file, employee_eva, employee_of_a, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    response = mfa_client(employee_eva).get(f"/prevention/employees/{employee_of_a.pk}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert CANARY["pmo_results"] in text
    assert "PMO vastleggen" not in text
    assert AuditEvent.objects.filter(
        actor=employee_eva, event="prevention.periodic_exams_viewed", basis="self"
    ).exists()


def test_recording_a_pmo_over_http(treating_bram, employee_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(treating_bram)
    employer = employee_of_a.employments.get().employer

    response = client.post(
        f"/prevention/employees/{employee_of_a.pk}/exams/",
        {
            "employer": employer.pk,
            "programme": "lawaai",
            "exam_date": "2025-03-03",
            "results": "Audiogram: dip op 4 kHz rechts.",
            "conclusion": "aandachtspunt",
            "advice": "Draag gehoorbescherming.",
        },
    )

    assert response.status_code == 302
    exam = PeriodicExam.objects.get()
    assert (exam.programme, exam.exam_date.isoformat(), exam.examining_doctor) == (
        "lawaai",
        "2025-03-03",
        treating_bram,
    )
    assert "dip op 4 kHz" in client.get(f"/prevention/employees/{employee_of_a.pk}/").content.decode()


def test_a_bad_pmo_form_writes_nothing_and_says_why(treating_bram, employee_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(treating_bram)

    response = client.post(
        f"/prevention/employees/{employee_of_a.pk}/exams/",
        {"programme": "lawaai", "exam_date": "2999-01-01", "results": "x", "conclusion": "aandachtspunt"},
    )

    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    assert PeriodicExam.objects.count() == 0
    assert not AuditEvent.objects.filter(event="prevention.periodic_exam_recorded").exists()


def test_recording_an_exposure_over_http(treating_bram, employee_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    employment = employee_of_a.employments.get()
    department = f.DepartmentFactory(employer=employment.employer, name="Laboratorium")
    client = mfa_client(treating_bram)

    response = client.post(
        f"/prevention/employees/{employee_of_a.pk}/exposures/",
        {
            "kind": "biologisch",
            "agent": "Mycobacterium tuberculosis",
            "persistent_or_latent": "on",
            "exposure_start": "2024-01-08",
            "exposure_end": "2024-02-09",
            "department": department.pk,
            "source": "Sputumkweken",
        },
    )

    assert response.status_code == 302
    record = ExposureRecord.objects.get()
    assert (record.kind, record.department, record.retention_years, record.recorded_by) == (
        "biologisch",
        department,
        40,
        treating_bram,
    )


def test_the_applicant_list_shows_the_doctors_employers_unexamined_first(
    doctor_bram, employer_a, employer_b, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    examined = make_applicant(employer_a, surname="Aalders")
    waiting = make_applicant(employer_b, surname="Zwart")
    other_employer = f.EmployerFactory(name="Niet bediend BV")
    hidden = make_applicant(other_employer, surname="Verborgen")
    domain.record_pre_employment_exam(
        examined, kind="algemeen", exam_date=EXAM_DATE, results="r", outcome="geschikt", by=doctor_bram
    )

    text = mfa_client(doctor_bram).get("/prevention/applicants/").content.decode()

    assert text.index("Zwart") < text.index("Aalders")
    assert "Verborgen" not in text
    listed = AuditEvent.objects.filter(event="prevention.applicants_listed", actor=doctor_bram)
    assert sorted(listed.values_list("subject_id", flat=True)) == sorted([examined.pk, waiting.pk])
    assert hidden.pk not in listed.values_list("subject_id", flat=True)


def _examined_applicants(employer, doctor, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        applicant = make_applicant(employer, surname=f"S{n}")
        domain.record_pre_employment_exam(
            applicant, kind="algemeen", exam_date=EXAM_DATE, results="r", outcome="geschikt", by=doctor
        )


def test_the_applicant_list_has_no_n_plus_1(doctor_bram, employer_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(doctor_bram)
    _examined_applicants(employer_a, doctor_bram, 1)
    client.get("/prevention/applicants/")
    with CaptureQueriesContext(connection) as one:
        client.get("/prevention/applicants/")
    _examined_applicants(employer_a, doctor_bram, 2)

    with CaptureQueriesContext(connection) as three:
        response = client.get("/prevention/applicants/")

    # Not more queries for more rows (on PostgreSQL several audit rows go by COPY, which is not counted).
    assert len(three.captured_queries) <= len(one.captured_queries)
    assert len(re.findall(r'href="/prevention/applicants/\d+/"', response.content.decode())) == 3


def test_another_doctor_of_the_team_reads_results_on_authorisation(
    canary_file, employer_a, applicant_of_a, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    colleague = make_staff(StaffFunction.BEDRIJFSARTS, employer_a, username="dora")

    response = mfa_client(colleague).get(f"/prevention/applicants/{applicant_of_a.pk}/")

    assert response.status_code == 200
    assert CANARY["keuring_results"] in response.content.decode()
    event = AuditEvent.objects.get(actor=colleague, event="prevention.pre_employment_exams_viewed")
    assert (event.subject_kind, event.subject_id, event.category, event.basis) == (
        "applicant",
        applicant_of_a.pk,
        "C",
        "authorisation",
    )


@pytest.mark.parametrize(
    "function", [StaffFunction.PRAKTIJKONDERSTEUNER, StaffFunction.CASEMANAGER_TAAKDELEGATIE]
)
def test_delegates_do_not_reach_applicants(
    function, canary_file, employer_a, applicant_of_a, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    user = make_staff(function, employer_a, username="delegate")

    client = mfa_client(user)

    assert client.get(f"/prevention/applicants/{applicant_of_a.pk}/").status_code == 404
    assert client.get("/prevention/applicants/").status_code == 404
