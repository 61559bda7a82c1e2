"""Writes on prevention: PMO, pre-employment exams, exposure records.

Each function checks access first (404 when the actor may not), validates (a :class:`DomainError`
with a Dutch message, nothing written), encrypts every category C text with the person's key, and
writes its audit record in the same transaction. Audit data names fields and counts, never
results, outcomes or agents.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import can_examine_applicant, require
from arbo.audit import log
from arbo.consent import domain as consent_register
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.prevention import keys
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from arbo.registry.models import Applicant, Department, Employee, Employer, Employment

MAX_TEXT = 20_000
MAX_SHORT_TEXT = 500


def _text(value: str, *, field: str, required: bool, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Dit veld is verplicht."), field=field)
    if len(value) > limit:
        raise DomainError(
            _("Deze tekst is te lang (maximaal %(limit)s tekens).") % {"limit": limit}, field=field
        )
    return value


def _past_date(value: dt.date | None, *, field: str) -> dt.date:
    if value is None:
        raise DomainError(_("Vul een datum in."), field=field)
    if value > timezone.localdate():
        raise DomainError(_("Deze datum ligt in de toekomst."), field=field)
    return value


def _choice(value: str, allowed: list[str], *, field: str) -> str:
    if value not in allowed:
        raise DomainError(_("Kies een van de mogelijkheden."), field=field)
    return value


def _employment_at(employee: Employee, employer: Employer | None) -> Employment:
    employments = employee.employments.select_related("employer", "department")
    if employer is None:
        current = [e for e in employments if e.is_current]
        if len(current) != 1:
            raise DomainError(_("Kies de werkgever die het onderzoek aanbiedt."), field="employer")
        return current[0]
    employment = employments.filter(employer=employer).order_by("-starts_on").first()
    if employment is None:
        raise DomainError(_("Deze werknemer is niet in dienst bij deze werkgever."), field="employer")
    return employment


# --- PMO ------------------------------------------------------------------------------------------


@transaction.atomic
def record_periodic_exam(
    employee: Employee,
    *,
    programme: str,
    exam_date: dt.date | None,
    results: str,
    conclusion: str,
    advice: str = "",
    employer: Employer | None = None,
    by: User,
) -> PeriodicExam:
    """Record a held PMO with ``by`` as examining doctor; results, advice and conclusion encrypted.

    ``employer`` is the employer that offered the PMO (default: the one current employer); the
    department of that employment is kept for anonymised group reports later.
    """
    require(by, Action.CHANGE, Category.C, employee)
    programme = _choice(programme, PeriodicExam.Programme.values, field="programme")
    exam_date = _past_date(exam_date, field="exam_date")
    results = _text(results, field="results", required=True)
    advice = _text(advice, field="advice", required=False)
    conclusion = _choice(conclusion, PeriodicExam.Conclusion.values, field="conclusion")
    employment = _employment_at(employee, employer)
    exam = PeriodicExam.objects.create(
        employee=employee,
        employer=employment.employer,
        department=employment.department,
        programme=programme,
        exam_date=exam_date,
        examining_doctor=by,
        results_encrypted=keys.encrypt(employee, results),
        advice_encrypted=keys.encrypt(employee, advice),
        conclusion_encrypted=keys.encrypt(employee, conclusion),
    )
    record_access(
        by, log.Action.CREATE, "prevention.periodic_exam_recorded", employee, obj=exam, category=Category.C
    )
    return exam


# --- Exposure registers ---------------------------------------------------------------------------


@transaction.atomic
def record_exposure(
    employee: Employee,
    *,
    kind: str,
    agent: str,
    exposure_start: dt.date | None,
    exposure_end: dt.date | None = None,
    persistent_or_latent: bool = False,
    source: str = "",
    details: str = "",
    department: Department | None = None,
    by: User,
) -> ExposureRecord:
    """Add an entry to the employee's exposure register; agent, source and details encrypted."""
    require(by, Action.CHANGE, Category.C, employee)
    kind = _choice(kind, ExposureRecord.Kind.values, field="kind")
    agent = _text(agent, field="agent", required=True, limit=MAX_SHORT_TEXT)
    source = _text(source, field="source", required=False, limit=MAX_SHORT_TEXT)
    details = _text(details, field="details", required=False)
    exposure_start = _past_date(exposure_start, field="exposure_start")
    if exposure_end is not None:
        exposure_end = _past_date(exposure_end, field="exposure_end")
        if exposure_end < exposure_start:
            raise DomainError(_("De blootstelling kan niet eindigen voordat ze begon."), field="exposure_end")
    if persistent_or_latent and kind != ExposureRecord.Kind.BIOLOGICAL:
        raise DomainError(
            _("Blijvende of latente infecties gelden alleen voor biologische agentia."),
            field="persistent_or_latent",
        )
    if (
        department is not None
        and not employee.employments.filter(employer_id=department.employer_id).exists()
    ):
        raise DomainError(
            _("Deze afdeling hoort niet bij een werkgever van deze werknemer."), field="department"
        )
    record = ExposureRecord.objects.create(
        employee=employee,
        kind=kind,
        persistent_or_latent=persistent_or_latent,
        agent_encrypted=keys.encrypt(employee, agent),
        source_encrypted=keys.encrypt(employee, source),
        details_encrypted=keys.encrypt(employee, details),
        department=department,
        exposure_start=exposure_start,
        exposure_end=exposure_end,
        recorded_by=by,
    )
    record_access(
        by, log.Action.CREATE, "prevention.exposure_recorded", employee, obj=record, category=Category.C
    )
    return record


# --- Pre-employment exams -------------------------------------------------------------------------


def _applicant_basis(by: User, exam: PreEmploymentExam | None) -> str:
    """Treatment for the examining doctor, authorisation for the other doctors of the team."""
    if exam is not None and exam.examining_doctor_id == by.pk:
        return log.Basis.TREATMENT
    return log.Basis.AUTHORISATION


@transaction.atomic
def record_pre_employment_exam(
    applicant: Applicant,
    *,
    kind: str,
    exam_date: dt.date | None,
    results: str,
    outcome: str,
    position: str = "",
    by: User,
) -> PreEmploymentExam:
    """Record a held pre-employment exam with ``by`` as examining doctor. The exam is then complete
    ("afgerond"); the outcome stays with the arbodienst until the applicant, having heard it,
    allows it to go to the employer (:func:`record_release_decision`)."""
    if not can_examine_applicant(by, applicant):
        raise Http404
    kind = _choice(kind, PreEmploymentExam.Kind.values, field="kind")
    exam_date = _past_date(exam_date, field="exam_date")
    results = _text(results, field="results", required=True)
    outcome = _choice(outcome, PreEmploymentExam.Outcome.values, field="outcome")
    position = _text(position or applicant.position, field="position", required=True, limit=120)
    exam = PreEmploymentExam.objects.create(
        applicant=applicant,
        employer_id=applicant.employer_id,
        position=position,
        kind=kind,
        exam_date=exam_date,
        examining_doctor=by,
        results_encrypted=keys.encrypt(applicant, results),
        outcome_encrypted=keys.encrypt(applicant, outcome),
        completed_at=timezone.now(),
    )
    log.record(
        by,
        log.Action.CREATE,
        "prevention.pre_employment_exam_recorded",
        subject=applicant,
        obj=exam,
        category=Category.C,
        basis=log.Basis.TREATMENT,
    )
    return exam


def _locked_exam(exam: PreEmploymentExam, by: User) -> PreEmploymentExam:
    if not can_examine_applicant(by, exam.applicant):
        raise Http404
    return PreEmploymentExam.objects.select_for_update().get(pk=exam.pk)


@transaction.atomic
def record_applicant_informed(exam: PreEmploymentExam, *, by: User) -> PreEmploymentExam:
    """The applicant has heard the outcome from the doctor: only now may they decide on release."""
    exam = _locked_exam(exam, by)
    if exam.applicant_informed_at is not None:
        raise DomainError(_("Al vastgelegd: de sollicitant kent de uitslag."))
    exam.applicant_informed_at = timezone.now()
    exam.save(update_fields=["applicant_informed_at"])
    log.record(
        by,
        log.Action.UPDATE,
        "prevention.applicant_informed",
        subject=exam.applicant,
        obj=exam,
        category=Category.C,
        basis=_applicant_basis(by, exam),
    )
    return exam


@transaction.atomic
def record_release_decision(exam: PreEmploymentExam, *, release: bool, by: User) -> PreEmploymentExam:
    """Record the applicant's decision: send the outcome to the employer (``release``) or block it.

    The applicant must have heard the outcome first (blokkeringsrecht). A block may later become a
    release; a release is final, because the employer has seen the outcome. The audit record does
    not say which way the applicant decided: a block would hint at the outcome.
    """
    exam = _locked_exam(exam, by)
    if exam.applicant_informed_at is None:
        raise DomainError(
            _(
                "De sollicitant moet de uitslag eerst zelf horen; leg dat eerst vast. Pas daarna kiest de sollicitant."
            )
        )
    if exam.outcome_release_consented_at is not None:
        raise DomainError(
            _("De uitslag is al naar de werkgever gegaan; dat kan niet meer worden teruggedraaid.")
        )
    now = timezone.now()
    if release:
        exam.outcome_release_consented_at = now
        exam.outcome_consent = consent_register.record_consent(
            Consent.Kind.APPLICANT_OUTCOME,
            applicant=exam.applicant,
            employer=exam.employer,
            purpose=str(_("De uitslag van de aanstellingskeuring naar de werkgever")),
            how=Consent.How.IN_PERSON,
            given_by=str(exam.applicant),
            given_at=now,
            scope=[f"prevention.exam:{exam.pk}"],
            category=Category.C,
            by=by,
        )
    elif exam.outcome_release_refused_at is not None:
        raise DomainError(_("Al vastgelegd: de sollicitant heeft het doorgeven van de uitslag geblokkeerd."))
    else:
        exam.outcome_release_refused_at = now
    exam.save(update_fields=["outcome_release_consented_at", "outcome_release_refused_at", "outcome_consent"])
    log.record(
        by,
        log.Action.UPDATE,
        "prevention.release_decision_recorded",
        subject=exam.applicant,
        obj=exam,
        category=Category.C,
        basis=log.Basis.CONSENT,
    )
    return exam
