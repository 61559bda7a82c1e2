"""The only ways to read prevention data. Each checks access (404 when not allowed), audits the
read and decrypts; a destroyed key gives empty texts, which pages show as unreadable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access, record_access_many
from arbo.access.care import is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    applicants_visible_to,
    can,
    can_read_exam_results,
    can_receive_exam_outcome,
    employees_visible_to,
    employers_visible_to,
    is_employer_user,
)
from arbo.access.subjects import Rows, collect, collect_applicant
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.medical import keys as medical_keys
from arbo.prevention import keys
from arbo.prevention.models import (
    PERSONAL_DATA_CATEGORIES,
    SUBJECT_FIELD_LABELS,
    ApplicantDataKey,
    ExposureRecord,
    PeriodicExam,
    PreEmploymentExam,
)
from arbo.registry.models import Applicant, Department, Employee, Employer


def _label(choices: type[PeriodicExam.Conclusion] | type[PreEmploymentExam.Outcome], code: str) -> str:
    return str(dict(choices.choices).get(code, "")) if code else ""


# --- Employees: PMO and exposure registers --------------------------------------------------------


@dataclass(frozen=True)
class ReadablePeriodicExam:
    programme: str
    exam_date: dt.date
    employer: str
    doctor: str
    results: str  # "" when the data key was destroyed
    advice: str
    conclusion: str


@dataclass(frozen=True)
class ReadableExposure:
    kind: str
    agent: str  # "" when the data key was destroyed
    source: str
    details: str
    department: str
    exposure_start: dt.date
    exposure_end: dt.date | None
    recorded_by: str
    retention_years: int
    retention_until: dt.date | None


def periodic_exams_for(user: User, employee: Employee) -> list[ReadablePeriodicExam]:
    """The employee's PMOs, decrypted, or :class:`Http404` unless ``user`` may read category C."""
    if not can(user, Action.READ, Category.C, employee):
        raise Http404
    exams = list(
        PeriodicExam.objects.filter(employee=employee).select_related("examining_doctor", "employer")
    )
    record_access(
        user, log.Action.READ, "prevention.periodic_exams_viewed", employee, data={"count": len(exams)}
    )
    read = keys.reader(employee)
    return [
        ReadablePeriodicExam(
            programme=exam.get_programme_display(),
            exam_date=exam.exam_date,
            employer=exam.employer.name,
            doctor=str(exam.examining_doctor),
            results=read(exam.results_encrypted),
            advice=read(exam.advice_encrypted),
            conclusion=_label(PeriodicExam.Conclusion, read(exam.conclusion_encrypted)),
        )
        for exam in exams
    ]


def exposures_for(user: User, employee: Employee) -> list[ReadableExposure]:
    """The employee's exposure register, decrypted, or :class:`Http404` unless ``user`` may read C."""
    if not can(user, Action.READ, Category.C, employee):
        raise Http404
    records = list(
        ExposureRecord.objects.filter(employee=employee).select_related(
            "recorded_by", "department", "employee"
        )
    )
    record_access(
        user, log.Action.READ, "prevention.exposures_viewed", employee, data={"count": len(records)}
    )
    read = keys.reader(employee)
    return [
        ReadableExposure(
            kind=record.get_kind_display(),
            agent=read(record.agent_encrypted),
            source=read(record.source_encrypted),
            details=read(record.details_encrypted),
            department=record.department.name if record.department else "",
            exposure_start=record.exposure_start,
            exposure_end=record.exposure_end,
            recorded_by=str(record.recorded_by),
            retention_years=record.retention_years,
            retention_until=record.retention_until(),
        )
        for record in records
    ]


# --- Applicants: the doctor's view ----------------------------------------------------------------


@dataclass(frozen=True)
class ReadablePreEmploymentExam:
    pk: int
    kind: str
    position: str
    exam_date: dt.date
    doctor: str
    results: str  # "" when the applicant's key was destroyed
    outcome: str
    applicant_informed_at: dt.datetime | None
    outcome_release_consented_at: dt.datetime | None
    outcome_release_refused_at: dt.datetime | None
    retention_until: dt.date


def pre_employment_exams_for(user: User, applicant: Applicant) -> list[ReadablePreEmploymentExam]:
    """The applicant's exams with results, decrypted: doctors only (``can_read_exam_results``)."""
    if not can_read_exam_results(user, applicant):
        raise Http404
    exams = list(applicant.pre_employment_exams.select_related("examining_doctor"))
    examined = any(exam.examining_doctor_id == user.pk for exam in exams)
    record_access(
        user,
        log.Action.READ,
        "prevention.pre_employment_exams_viewed",
        applicant,
        category=Category.C,
        basis=log.Basis.TREATMENT if examined else log.Basis.AUTHORISATION,
        data={"count": len(exams)},
    )
    read = keys.reader(applicant)
    return [
        ReadablePreEmploymentExam(
            pk=exam.pk,
            kind=exam.get_kind_display(),
            position=exam.position,
            exam_date=exam.exam_date,
            doctor=str(exam.examining_doctor),
            results=read(exam.results_encrypted),
            outcome=_label(PreEmploymentExam.Outcome, read(exam.outcome_encrypted)),
            applicant_informed_at=exam.applicant_informed_at,
            outcome_release_consented_at=exam.outcome_release_consented_at,
            outcome_release_refused_at=exam.outcome_release_refused_at,
            retention_until=exam.retention_until,
        )
        for exam in exams
    ]


@dataclass(frozen=True)
class ApplicantRow:
    applicant: Applicant
    exam_count: int
    last_exam_date: dt.date | None


def applicants_to_examine(user: User) -> list[ApplicantRow]:
    """The doctor's list: applicants of the employers the doctor serves, not yet examined first.

    Names and positions only (category D); :class:`Http404` for anyone who examines no applicants.
    """
    if not (is_doctor(user) and can(user, Action.READ, Category.C)):
        raise Http404
    applicants = list(
        applicants_visible_to(user)
        .select_related("employer")
        .prefetch_related(
            Prefetch("pre_employment_exams", PreEmploymentExam.objects.only("applicant", "exam_date"))
        )
    )
    rows = []
    for applicant in applicants:
        dates = [exam.exam_date for exam in applicant.pre_employment_exams.all()]
        rows.append(ApplicantRow(applicant, len(dates), max(dates, default=None)))
    rows.sort(key=lambda row: (row.exam_count > 0, row.applicant.surname, row.applicant.pk))
    record_access_many(user, log.Action.READ, "prevention.applicants_listed", applicants)
    return rows


# --- Applicants: what the employer receives -------------------------------------------------------


@dataclass(frozen=True)
class EmployerOutcome:
    """What an employer user sees of an applicant's keuring: a status, nothing else."""

    applicant: Applicant
    status: str  # "nog niet gekeurd", "afgerond", or the released outcome
    released: bool


def _employer_outcome(
    applicant: Applicant, loaded: dict[int, ApplicantDataKey] | None = None
) -> EmployerOutcome:
    exams = sorted(applicant.pre_employment_exams.all(), key=lambda e: (e.exam_date, e.pk))
    if not exams:
        return EmployerOutcome(applicant, _("nog niet gekeurd"), released=False)
    latest = exams[-1]
    if latest.outcome_released:
        outcome = _label(
            PreEmploymentExam.Outcome,
            keys.reader(applicant, loaded=loaded)(latest.outcome_encrypted),
        )
        if outcome:
            return EmployerOutcome(applicant, outcome, released=True)
    # Not released, blocked, or no longer readable: the employer learns only that it is complete.
    return EmployerOutcome(applicant, _("afgerond"), released=False)


def _audit_outcomes(user: User, outcomes: list[EmployerOutcome]) -> None:
    """The employer read the list (category D) and, where released with consent, the outcome (C)."""
    record_access_many(user, log.Action.READ, "prevention.applicants_listed", [o.applicant for o in outcomes])
    released = [o.applicant for o in outcomes if o.released]
    if released:
        record_access_many(
            user, log.Action.READ, "prevention.exam_outcome_viewed", released, basis=log.Basis.CONSENT
        )


def exam_outcomes_for_employer(user: User) -> list[EmployerOutcome]:
    """Every applicant of the user's employers with the status the employer may know."""
    if not is_employer_user(user):
        raise Http404
    applicants = (
        applicants_visible_to(user).select_related("employer").prefetch_related("pre_employment_exams")
    )
    rows = list(applicants.order_by("surname", "pk"))
    loaded = keys.load_applicant_keys(a.pk for a in rows)
    outcomes = [_employer_outcome(applicant, loaded) for applicant in rows]
    _audit_outcomes(user, outcomes)
    return outcomes


def exam_outcome_for_employer(user: User, applicant: Applicant) -> EmployerOutcome:
    """One applicant's status for an employer user; :class:`Http404` for anyone else."""
    if not can_receive_exam_outcome(user, applicant):
        raise Http404
    outcome = _employer_outcome(applicant)
    _audit_outcomes(user, [outcome])
    return outcome


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """The person's PMOs and exposure records that ``reader`` may read (``None``: the person's own
    package), decrypted with the person's data key only for readers of C and for the person."""
    opener = medical_keys.Opener(employee)
    return collect(
        "prevention",
        employee,
        reader,
        [
            Rows(
                PeriodicExam.objects.filter(employee=employee).select_related(
                    "examining_doctor", "employer", "department"
                ),
                created="exam_date",
            ),
            Rows(
                ExposureRecord.objects.filter(employee=employee).select_related("department", "recorded_by")
            ),
        ],
        classification=PERSONAL_DATA_CATEGORIES,
        labels=SUBJECT_FIELD_LABELS,
        open_text=opener.text,
    )


# --- Objects for the pages' forms and steps -------------------------------------------------------
# Each fetches within what the user may see (404 otherwise) and shows nothing itself: the page's
# audited read (above) or its write (domain) follows.


def employee_for(user: User, employee_id: int | str) -> Employee:
    """An employee the user may see, else 404."""
    return get_object_or_404(employees_visible_to(user), pk=employee_id)


def employers_of(user: User, employee: Employee) -> QuerySet[Employer]:
    """The employers of ``employee`` the user may see (an exam's employer choices)."""
    return employers_visible_to(user).filter(employments__employee=employee).distinct()


def departments_of(employers: QuerySet[Employer]) -> QuerySet[Department]:
    """The departments of ``employers`` (an exposure's department choices)."""
    return Department.objects.filter(employer__in=employers)


def applicant_for(user: User, applicant_id: int | str) -> Applicant:
    """An applicant the user may see (with the employer), else 404."""
    return get_object_or_404(applicants_visible_to(user).select_related("employer"), pk=applicant_id)


def pre_employment_exam_for(user: User, exam_id: int | str) -> PreEmploymentExam:
    """A pre-employment exam of an applicant the user may see (with the applicant), else 404."""
    exams = PreEmploymentExam.objects.filter(applicant__in=applicants_visible_to(user))
    return get_object_or_404(exams.select_related("applicant"), pk=exam_id)


def applicant_records(applicant: Applicant, *, reader: User | None) -> list[SubjectRecord]:
    """The applicant's pre-employment exams with results and outcome, decrypted with the
    applicant's data key: for the applicant's package (``None``) or the examining doctor's review."""
    read = keys.reader(applicant)
    return collect_applicant(
        "prevention",
        applicant,
        reader,
        [
            Rows(
                PreEmploymentExam.objects.filter(applicant=applicant).select_related(
                    "examining_doctor", "employer", "outcome_consent"
                ),
                created="exam_date",
                skip=("applicant",),
            )
        ],
        classification=PERSONAL_DATA_CATEGORIES,
        labels=SUBJECT_FIELD_LABELS,
        open_text=lambda token: read(token) or None,
    )
