"""Domain functions: validation with Dutch messages and nothing written, access, audit records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.lib.errors import DomainError
from arbo.prevention import domain
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from tests import factories as f
from tests.prevention.conftest import CANARY, EXAM_DATE

pytestmark = pytest.mark.django_db

PMO = {
    "programme": "nachtwerk",
    "exam_date": EXAM_DATE,
    "results": "Slaapkwaliteit matig.",
    "conclusion": "aandachtspunt",
}
EXPOSURE = {"kind": "biologisch", "agent": "Hepatitis B-virus", "exposure_start": dt.date(2024, 5, 1)}
KEURING = {"kind": "algemeen", "exam_date": EXAM_DATE, "results": "Visus goed.", "outcome": "geschikt"}


def _nothing_written() -> None:
    assert (
        PeriodicExam.objects.count()
        == ExposureRecord.objects.count()
        == PreEmploymentExam.objects.count()
        == 0
    )
    assert not AuditEvent.objects.filter(event__startswith="prevention.").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"programme": "yoga"}, "programme", "Kies een van de mogelijkheden."),
        ({"results": "   "}, "results", "Dit veld is verplicht."),
        ({"results": "x" * 20_001}, "results", "Deze tekst is te lang (maximaal 20000 tekens)."),
        ({"conclusion": ""}, "conclusion", "Kies een van de mogelijkheden."),
        ({"exam_date": None}, "exam_date", "Vul een datum in."),
        ({"exam_date": "tomorrow"}, "exam_date", "Deze datum ligt in de toekomst."),
    ],
)
def test_bad_pmo_input_is_refused(change, field, message, treating_bram, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    if change.get("exam_date") == "tomorrow":
        change = {"exam_date": timezone.localdate() + dt.timedelta(days=1)}

    with pytest.raises(DomainError) as error:
        domain.record_periodic_exam(employee_of_a, by=treating_bram, **{**PMO, **change})

    assert (error.value.field, error.value.message) == (field, message)
    _nothing_written()


def test_a_pmo_needs_an_employer_of_the_employee(treating_bram, employee_of_a, employer_b) -> None:
    with pytest.raises(DomainError) as error:
        domain.record_periodic_exam(employee_of_a, by=treating_bram, employer=employer_b, **PMO)

    assert error.value.message == "Deze werknemer is niet in dienst bij deze werkgever."
    _nothing_written()


def test_a_pmo_keeps_employer_and_department_for_group_reports(treating_bram, employee_of_a) -> None:
    employment = employee_of_a.employments.get()
    employment.department = f.DepartmentFactory(employer=employment.employer, name="Oven")
    employment.save()

    exam = domain.record_periodic_exam(employee_of_a, by=treating_bram, **PMO)

    assert (exam.employer, exam.department.name, exam.examining_doctor) == (  # type: ignore[union-attr]
        employment.employer,
        "Oven",
        treating_bram,
    )
    event = AuditEvent.objects.get(event="prevention.periodic_exam_recorded")
    assert (event.category, event.basis, event.subject_id, event.data) == (
        "C",
        "treatment",
        employee_of_a.pk,
        {},
    )


def test_a_doctor_without_treatment_relationship_cannot_record_a_pmo(doctor_bram, employee_of_a) -> None:
    with pytest.raises(Http404):
        domain.record_periodic_exam(employee_of_a, by=doctor_bram, **PMO)

    _nothing_written()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "asbest"}, "kind"),
        ({"agent": ""}, "agent"),
        ({"exposure_start": dt.date(2024, 5, 1), "exposure_end": dt.date(2024, 4, 30)}, "exposure_end"),
        ({"kind": "straling", "persistent_or_latent": True}, "persistent_or_latent"),
        ({"exposure_start": None}, "exposure_start"),
    ],
)
def test_bad_exposure_input_is_refused(change, field, treating_bram, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        domain.record_exposure(employee_of_a, by=treating_bram, **{**EXPOSURE, **change})

    assert error.value.field == field
    _nothing_written()


def test_an_exposure_department_must_belong_to_an_employer_of_the_employee(
    treating_bram, employee_of_a, employer_b
) -> None:
    with pytest.raises(DomainError) as error:
        domain.record_exposure(
            employee_of_a, by=treating_bram, department=f.DepartmentFactory(employer=employer_b), **EXPOSURE
        )

    assert error.value.message == "Deze afdeling hoort niet bij een werkgever van deze werknemer."
    _nothing_written()


def test_recording_an_exposure_is_audited_without_its_content(treating_bram, employee_of_a) -> None:
    record = domain.record_exposure(employee_of_a, by=treating_bram, persistent_or_latent=True, **EXPOSURE)

    assert record.retention_years == 40
    event = AuditEvent.objects.get(event="prevention.exposure_recorded")
    assert (event.category, event.object_id, event.data) == ("C", str(record.pk), {})


@pytest.mark.parametrize(
    ("change", "field"),
    [({"outcome": "misschien"}, "outcome"), ({"kind": "x"}, "kind"), ({"results": ""}, "results")],
)
def test_bad_keuring_input_is_refused(change, field, doctor_bram, applicant_of_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        domain.record_pre_employment_exam(applicant_of_a, by=doctor_bram, **{**KEURING, **change})

    assert error.value.field == field
    _nothing_written()


def test_a_keuring_takes_the_applicants_position_and_employer(doctor_bram, applicant_of_a) -> None:
    exam = domain.record_pre_employment_exam(applicant_of_a, by=doctor_bram, **KEURING)

    assert (exam.position, exam.employer_id, exam.completed_at is not None) == (
        "Heftruckchauffeur",
        applicant_of_a.employer_id,
        True,
    )
    event = AuditEvent.objects.get(event="prevention.pre_employment_exam_recorded")
    assert (event.subject_kind, event.subject_id, event.category, event.basis, event.data) == (
        "applicant",
        applicant_of_a.pk,
        "C",
        "treatment",
        {},
    )


@pytest.mark.parametrize("function", ["casemanager_taakdelegatie", "praktijkondersteuner", "casemanager"])
def test_only_doctors_examine_applicants(function, employer_a, applicant_of_a) -> None:  # type: ignore[no-untyped-def]
    from tests.prevention.conftest import make_staff

    user = make_staff(function, employer_a, username=f"u-{function}")

    with pytest.raises(Http404):
        domain.record_pre_employment_exam(applicant_of_a, by=user, **KEURING)

    _nothing_written()


def test_a_doctor_of_another_team_cannot_examine(employer_b, applicant_of_a) -> None:
    from tests.prevention.conftest import make_staff

    other = make_staff("bedrijfsarts", employer_b, username="dora")

    with pytest.raises(Http404):
        domain.record_pre_employment_exam(applicant_of_a, by=other, **KEURING)

    _nothing_written()


def test_release_follows_the_blokkeringsrecht(doctor_bram, applicant_of_a) -> None:
    exam = domain.record_pre_employment_exam(applicant_of_a, by=doctor_bram, **KEURING)

    with pytest.raises(DomainError):
        domain.record_release_decision(exam, release=True, by=doctor_bram)
    exam.refresh_from_db()
    assert exam.outcome_release_consented_at is None

    domain.record_applicant_informed(exam, by=doctor_bram)
    with pytest.raises(DomainError):
        domain.record_applicant_informed(exam, by=doctor_bram)
    domain.record_release_decision(exam, release=False, by=doctor_bram)
    with pytest.raises(DomainError):
        domain.record_release_decision(exam, release=False, by=doctor_bram)
    # The applicant may change their mind and allow it after all ...
    exam = domain.record_release_decision(exam, release=True, by=doctor_bram)
    assert exam.outcome_released is True
    # ... but a release cannot be taken back: the employer has seen it.
    with pytest.raises(DomainError) as error:
        domain.record_release_decision(exam, release=False, by=doctor_bram)
    assert (
        error.value.message
        == "De uitslag is al naar de werkgever gegaan; dat kan niet meer worden teruggedraaid."
    )
    exam.refresh_from_db()
    assert exam.outcome_release_refused_at is not None
    assert exam.outcome_release_consented_at is not None
    assert list(
        AuditEvent.objects.filter(event__startswith="prevention.")
        .values_list("event", "basis")
        .order_by("seq")
    ) == [
        ("prevention.pre_employment_exam_recorded", "treatment"),
        ("prevention.applicant_informed", "treatment"),
        ("prevention.release_decision_recorded", "consent"),
        ("prevention.release_decision_recorded", "consent"),
    ]


def test_canary_file_fixture_writes_every_c_field(canary_file) -> None:
    assert len(CANARY) == 6
    assert (
        PeriodicExam.objects.count()
        == ExposureRecord.objects.count()
        == PreEmploymentExam.objects.count()
        == 1
    )
