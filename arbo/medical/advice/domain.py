"""Advice after a consultation: written apart from the notes, released to employee and employer.

The rules (seed 004, shared/domain.md §4):
- the advice of a regular consultation reaches employee and employer at one moment;
- when the employee asked to see it first, it reaches the employee, and the employer only once
  the employee marked it seen without asking for a correction (a correction request sends it
  back to the doctor, whose changed advice goes to the employee again);
- the advice of any other consultation (preventive above all) reaches the employee only, and the
  employer only as this one report, once the employee explicitly consented to it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.matrix import Category
from arbo.audit import log
from arbo.consent import domain as consent_register
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.lib import concurrency
from arbo.lib.errors import DomainError
from arbo.medical.domain import seal
from arbo.medical.models import Consultation, ConsultationAdvice, EmployerReportConsent
from arbo.medical.policies import is_own, may_treat

ADVICE_FIELDS = ("can_do", "cannot_do", "expected_duration", "adjustments", "reintegration")
#: The edit form's token when there was no advice yet (issue 19).
NEW_ADVICE = "new"


def advice_version(updated_at: dt.datetime | None) -> str:
    """The edit form's token of a saved advice: its last save time."""
    return updated_at.isoformat() if updated_at is not None else NEW_ADVICE


@transaction.atomic
def save_advice(
    consultation: Consultation,
    *,
    by: User,
    can_do: str = "",
    cannot_do: str = "",
    expected_duration: str = "",
    adjustments: str = "",
    reintegration: str = "",
    employee_review_requested: bool = False,
    based_on: str | None = None,
) -> ConsultationAdvice:
    """Write (or change, until it reached the employer) the advice of a held consultation.

    Changing advice the employee already received takes it back: the doctor releases the new text.
    ``based_on`` is :func:`advice_version` of the advice the author's form showed (``NEW_ADVICE``
    when there was none): when someone saved it since, :class:`StaleEdit` and nothing changes.
    """
    employee = consultation.employee
    if not may_treat(by, employee):
        raise Http404
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.HELD:
        raise DomainError(_("Een advies volgt op een gehouden spreekuur."))
    texts = {
        "can_do": can_do,
        "cannot_do": cannot_do,
        "expected_duration": expected_duration,
        "adjustments": adjustments,
        "reintegration": reintegration,
    }
    if not any(t.strip() for t in texts.values()):
        raise DomainError(_("Schrijf ten minste één onderdeel van het advies."), field="can_do")
    advice = ConsultationAdvice.objects.select_for_update().filter(consultation=consultation).first()
    concurrency.check(based_on or None, advice_version(advice.updated_at if advice else None))
    created = advice is None
    if advice is None:
        advice = ConsultationAdvice(consultation=consultation, employee=employee, author=by)
    elif advice.employer_released_at is not None:
        raise DomainError(_("Dit advies is al aan de werkgever verstrekt en kan niet meer worden gewijzigd."))
    for name, text in texts.items():
        setattr(advice, f"{name}_encrypted", seal(employee, text.strip()))
    advice.author = by
    advice.employee_review_requested = employee_review_requested
    advice.employee_released_at = advice.employee_seen_at = None
    advice.correction_requested = False
    advice.save()
    record_access(
        by,
        log.Action.CREATE if created else log.Action.UPDATE,
        "medical.advice_saved",
        employee,
        obj=advice,
        category=Category.B,
    )
    return advice


@transaction.atomic
def release_advice(advice: ConsultationAdvice, *, by: User) -> ConsultationAdvice:
    """Release the advice: to employee and employer at one moment (one timestamp), or to the
    employee only while a review is due or when the consultation does not reach the employer."""
    if not may_treat(by, advice.employee):
        raise Http404
    advice = ConsultationAdvice.objects.select_for_update().select_related("consultation").get(pk=advice.pk)
    if advice.employee_released_at is not None:
        raise DomainError(_("Dit advies is al verstrekt."))
    now = timezone.now()
    advice.employee_released_at = now
    to_employer = advice.consultation.reaches_employer and not advice.employee_review_requested
    if to_employer:
        advice.employer_released_at = now
    advice.save(update_fields=["employee_released_at", "employer_released_at", "updated_at"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.advice_released",
        advice.employee,
        obj=advice,
        category=Category.B,
        data={"to_employer": to_employer, "review_first": advice.employee_review_requested},
    )
    return advice


@transaction.atomic
def mark_advice_seen(
    advice: ConsultationAdvice,
    *,
    by: User,
    response: str = "",
    correction_requested: bool = False,
) -> ConsultationAdvice:
    """The employee saw the advice (and may respond or ask for a correction).

    After a requested review, seeing it without a correction request releases it to the employer
    at this moment (for a regular consultation).
    """
    if not is_own(by, advice.employee):
        raise Http404
    advice = ConsultationAdvice.objects.select_for_update().select_related("consultation").get(pk=advice.pk)
    if advice.employee_released_at is None:
        raise Http404
    if advice.employee_seen_at is not None:
        raise DomainError(_("Je hebt dit advies al gezien."))
    if correction_requested and not response.strip():
        raise DomainError(_("Schrijf wat er volgens jou gecorrigeerd moet worden."), field="response")
    now = timezone.now()
    advice.employee_seen_at = now
    advice.correction_requested = correction_requested
    advice.employee_response_encrypted = seal(advice.employee, response.strip())
    to_employer = (
        advice.consultation.reaches_employer
        and advice.employee_review_requested
        and advice.employer_released_at is None
        and not correction_requested
    )
    if to_employer:
        advice.employer_released_at = now
    advice.save()
    record_access(
        by,
        log.Action.UPDATE,
        "medical.advice_seen",
        advice.employee,
        obj=advice,
        category=Category.B,
        data={"correction_requested": correction_requested, "to_employer": to_employer},
    )
    return advice


@transaction.atomic
def consent_to_employer_report(
    advice: ConsultationAdvice,
    *,
    by: User,
    how: str = EmployerReportConsent.How.PORTAL,
) -> EmployerReportConsent:
    """Record the employee's explicit consent that this one report reaches the employer, and
    release it to the employer now. Only for advice that does not reach the employer by itself.

    The employee gives it in the portal; the doctor's team records a consent given in writing or
    in person.
    """
    own = is_own(by, advice.employee)
    if not own and not may_treat(by, advice.employee):
        raise Http404
    advice = ConsultationAdvice.objects.select_for_update().select_related("consultation").get(pk=advice.pk)
    if advice.employee_released_at is None:
        if own:
            raise Http404
        raise DomainError(_("Verstrek het advies eerst aan de werknemer."))
    if advice.consultation.reaches_employer:
        raise DomainError(_("Dit advies gaat al naar de werkgever; toestemming is niet nodig."))
    if advice.employer_released_at is not None:
        raise DomainError(_("Voor dit verslag is al toestemming gegeven."))
    if own != (how == EmployerReportConsent.How.PORTAL) or how not in EmployerReportConsent.How.values:
        raise DomainError(_("Kies hoe de werknemer toestemming gaf."), field="how")
    now = timezone.now()
    entry = consent_register.record_consent(
        Consent.Kind.EMPLOYER_REPORT,
        employee=advice.employee,
        purpose=str(_("Eén verslag van het spreekuur naar de werkgever")),
        how=how,
        given_by=advice.employee.full_name,
        given_at=now,
        scope=[f"medical.advice:{advice.pk}"],
        category=Category.B,
        by=by,
    )
    consent = EmployerReportConsent.objects.create(
        advice=advice, employee=advice.employee, how=how, given_at=now, recorded_by=by, register_entry=entry
    )
    advice.employer_released_at = now
    advice.employee_seen_at = advice.employee_seen_at or now
    advice.save(update_fields=["employer_released_at", "employee_seen_at", "updated_at"])
    record_access(
        by,
        log.Action.CREATE,
        "medical.report_consent_given",
        advice.employee,
        obj=consent,
        category=Category.B,
        data={"advice": advice.pk, "how": how},
    )
    return consent
