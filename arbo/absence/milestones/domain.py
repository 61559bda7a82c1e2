"""Writes on the milestones of an absence case (Regeling procesgang art. 2, 4, 5, 6).

Milestones are derived data: :func:`sync_milestones` recomputes their due dates from the case's
periods with the pure engine :mod:`arbo.absence.milestones.timeline` after every change of a period
(the reports' domain calls it). Completing a milestone and recording an agreed deviation validate
first and write in one transaction with their audit record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.absence.checks import check_reason, check_remarks
from arbo.absence.milestones import timeline
from arbo.absence.models import (
    AbsenceCase,
    Milestone,
)
from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import is_staff_user, require
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError

#: Who carries each milestone (issue 4 item 5; Regeling procesgang art. 2, 4, 6).
OWNERS: dict[str, str] = {
    Milestone.Kind.REPORT_TO_ARBODIENST: Milestone.Owner.EMPLOYER,
    Milestone.Kind.PROBLEEMANALYSE: Milestone.Owner.DOCTOR,
    Milestone.Kind.PLAN_VAN_AANPAK: Milestone.Owner.CASEMANAGER,
    Milestone.Kind.EVALUATION: Milestone.Owner.CASEMANAGER,
    Milestone.Kind.UWV_42ND_WEEK_NOTICE: Milestone.Owner.EMPLOYER,
    Milestone.Kind.EERSTEJAARSEVALUATIE: Milestone.Owner.CASEMANAGER,
    Milestone.Kind.RIV_TO_EMPLOYEE: Milestone.Owner.CASEMANAGER,
    Milestone.Kind.WIA_APPLICATION: Milestone.Owner.EMPLOYEE,
    Milestone.Kind.WAGE_PAYMENT_END: Milestone.Owner.EMPLOYER,
}


def periods_for_engine(case: AbsenceCase) -> list[timeline.Period]:
    return [
        timeline.Period(p.first_sick_day, p.last_sick_day, p.after_pregnancy_leave)
        for p in case.periods.filter(withdrawn_at__isnull=True).order_by("first_sick_day", "id")
    ]


def sync_milestones(case: AbsenceCase) -> None:
    """Bring the case's milestones in line with its periods (due dates, applicability).

    Due dates come from the engine for the periods that stand. Open milestones of a recovered case
    are no longer applicable; they apply again when a new period adds up to the case. Done
    milestones keep their date and document.
    """
    periods = periods_for_engine(case)
    if not periods:
        case.milestones.filter(done_on__isnull=True).update(not_applicable=True)
        return
    due = timeline.milestones(periods)
    recovered = case.status == AbsenceCase.Status.RECOVERED
    existing = {(m.kind, m.sequence): m for m in case.milestones.all()}
    for kind, due_on in due.items():
        milestone = existing.get((kind, 0))
        if milestone is None:
            Milestone.objects.create(
                case=case, kind=kind, owner=OWNERS[kind], due_on=due_on, not_applicable=recovered
            )
        elif milestone.due_on != due_on or milestone.not_applicable != (recovered and not milestone.done_on):
            milestone.due_on = due_on
            milestone.not_applicable = recovered and not milestone.done_on
            milestone.save(update_fields=["due_on", "not_applicable"])
    for (kind, _sequence), milestone in existing.items():
        stale = milestone.not_applicable != recovered
        if kind == Milestone.Kind.EVALUATION and not milestone.done_on and stale:
            milestone.not_applicable = recovered
            milestone.save(update_fields=["not_applicable"])


def close_milestone(
    case: AbsenceCase,
    kind: str,
    *,
    by: User,
    done_on: dt.date,
    document: Any = None,
    only_first_time: bool = False,
) -> Milestone | None:
    """Mark the earliest open milestone of ``kind`` done, without a check or an audit record of its
    own: for a write that checked and audits itself (:func:`complete_milestone`, the sick report)."""
    milestone = case.milestones.filter(kind=kind, done_on__isnull=True).order_by("sequence").first()
    if milestone is None:
        return None
    if only_first_time and case.milestones.filter(kind=kind, done_on__isnull=False).exists():
        return None
    milestone.done_on = done_on
    milestone.done_by = by
    milestone.document = document
    milestone.not_applicable = False
    milestone.save(update_fields=["done_on", "done_by", "document", "not_applicable"])
    if (
        kind in (Milestone.Kind.PLAN_VAN_AANPAK, Milestone.Kind.EVALUATION)
        and case.status == AbsenceCase.Status.OPEN
    ):
        last = case.milestones.filter(kind=Milestone.Kind.EVALUATION).order_by("-sequence").first()
        Milestone.objects.create(
            case=case,
            kind=Milestone.Kind.EVALUATION,
            sequence=(last.sequence if last else 0) + 1,
            owner=OWNERS[Milestone.Kind.EVALUATION],
            due_on=timeline.evaluation_due(done_on),
        )
    return milestone


@transaction.atomic
def complete_milestone(
    case: AbsenceCase,
    kind: str,
    *,
    by: User,
    document: Any = None,
    done_on: dt.date | None = None,
) -> Milestone | None:
    """Mark the case's open milestone of ``kind`` done (for evaluations: the earliest open one,
    and the next evaluation is scheduled at most six weeks later). ``None`` when none is open."""
    require(by, Action.CHANGE, Category.A, case.employee)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise DomainError(_("Een mijlpaal kan niet in de toekomst zijn afgerond."), field="done_on")
    if done_on < case.first_sick_day:
        raise DomainError(_("Een mijlpaal kan niet vóór de eerste ziektedag zijn afgerond."), field="done_on")
    if kind == Milestone.Kind.WAGE_PAYMENT_END:
        raise DomainError(_("Het einde van de loondoorbetaling is een datum, geen taak om af te vinken."))
    milestone = close_milestone(case, kind, by=by, done_on=done_on, document=document)
    if milestone is not None:
        record_access(
            by,
            log.Action.UPDATE,
            "absence.milestone_completed",
            case.employee,
            obj=milestone,
            data={"case": case.pk, "kind": kind, "sequence": milestone.sequence},
        )
    return milestone


@transaction.atomic
def record_deviation(
    milestone: Milestone,
    *,
    by: User,
    due_on: dt.date,
    reason: str,
) -> Milestone:
    """Record an agreed deviation from a term, with its reason (Regeling procesgang art. 5)."""
    case = milestone.case
    require(by, Action.CHANGE, Category.A, case.employee)
    if not is_staff_user(by):
        raise DomainError(_("Een afwijking van een termijn legt de arbodienst vast."), field="due_on")
    reason = check_reason(reason)
    check_remarks(reason, by)
    if milestone.done_on:
        raise DomainError(_("Deze mijlpaal is al afgerond."), field="due_on")
    if due_on < case.first_sick_day:
        raise DomainError(_("De afwijkende datum kan niet vóór de eerste ziektedag liggen."), field="due_on")
    milestone.deviated_due_on = due_on
    milestone.deviation_reason = reason
    milestone.save(update_fields=["deviated_due_on", "deviation_reason"])
    record_access(
        by,
        log.Action.UPDATE,
        "absence.deviation_recorded",
        case.employee,
        obj=milestone,
        data={"case": case.pk, "kind": milestone.kind},
    )
    return milestone
