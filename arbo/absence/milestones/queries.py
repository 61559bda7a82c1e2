"""Reading milestones: the caseload (the tasks a user carries, due soon, overdue or done late) and
one milestone to act on, within the cases the user may see (:func:`arbo.absence.queries.cases_visible_to`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from arbo.absence.models import (
    AbsenceCase,
    Milestone,
)
from arbo.absence.queries import cases_visible_to, paginate
from arbo.access.auditing import record_access_many
from arbo.access.care import is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, is_employee_user, is_employer_user, is_staff_user, treated_employee_ids
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.pagination import CappedPaginator


def caseload_for(
    user: User, *, today: dt.date, horizon_days: int = 14, done_late_since: dt.date | None = None
) -> QuerySet[Milestone]:
    """Open milestones this user carries that fall due within ``horizon_days`` or are overdue; with
    ``done_late_since``, after them the ones done late on or after that day (issue 18: done late
    stays late, in the caseload too).

    Doctors carry the probleemanalyse of employees they treat (or treat through a doctor they work
    for); casemanagers the plan, evaluations and RIV of cases they manage or that have no
    casemanager yet (at employers they serve); employer users the UWV notice and the employer's
    other duties; employees their WIA application.
    """
    cases = cases_visible_to(user).filter(status=AbsenceCase.Status.OPEN)
    owners = Q(pk__in=[])
    if is_staff_user(user):
        if is_doctor(user):
            owners |= Q(owner=Milestone.Owner.DOCTOR, case__employee__in=treated_employee_ids(user))
        if can(user, Action.CHANGE, Category.A):
            owners |= Q(owner=Milestone.Owner.CASEMANAGER) & (
                Q(case__casemanager=user) | Q(case__casemanager__isnull=True)
            )
    elif is_employer_user(user):
        owners = Q(owner=Milestone.Owner.EMPLOYER)
    elif is_employee_user(user):
        owners = Q(owner=Milestone.Owner.EMPLOYEE)
    horizon = today + dt.timedelta(days=horizon_days)
    wanted = Q(done_on__isnull=True, effective_due__lte=horizon)
    if done_late_since is not None:
        wanted |= Q(done_on__gte=done_late_since, done_on__gt=F("effective_due"))
    return (
        Milestone.objects.filter(case__in=cases, not_applicable=False)
        .filter(owners)
        .annotate(effective_due=Coalesce("deviated_due_on", "due_on"))
        .filter(wanted)
        .exclude(kind=Milestone.Kind.WAGE_PAYMENT_END, effective_due__lt=today)
        .select_related("case", "case__employee", "case__employer")
        .order_by(F("done_on").asc(nulls_first=True), "effective_due", "id")
    )


def milestone_for(user: User, milestone_id: int | str) -> Milestone:
    """A milestone of a case the user may see (with case and employee), else 404; for a write."""
    return get_object_or_404(
        Milestone.objects.filter(case__in=cases_visible_to(user)).select_related("case", "case__employee"),
        pk=milestone_id,
    )


#: How long a milestone done late stays in the caseload, marked "gedaan op …, 7 weken te laat".
CASELOAD_DONE_LATE_DAYS = 14


#: The columns the caseload shows (issue 12: not the encrypted deviation reason, nor every column
#: of the case, the employee and the employer).
_CASELOAD_FIELDS = (
    "kind",
    "sequence",
    "owner",
    "due_on",
    "deviated_due_on",
    "done_on",
    "not_applicable",
    "case__employee__first_names",
    "case__employee__initials",
    "case__employee__tussenvoegsel",
    "case__employee__surname",
    "case__employer__name",
)


def read_caseload(
    user: User, *, today: dt.date, page_size: int, page_number: str | None, overdue_only: bool = False
) -> tuple[Page[Milestone], int]:
    """One page of the user's caseload (:func:`caseload_for`) and the number of overdue tasks in
    it (at most the paginator's cap); the page's read audited once per employee on it."""
    milestones = caseload_for(
        user, today=today, done_late_since=today - dt.timedelta(days=CASELOAD_DONE_LATE_DAYS)
    ).only(*_CASELOAD_FIELDS)
    overdue = milestones.filter(done_on__isnull=True, effective_due__lt=today)  # type: ignore[misc]  # annotated in caseload_for
    page = paginate(overdue if overdue_only else milestones, page_size, page_number)
    record_access_many(
        user,
        log.Action.READ,
        "absence.caseload_viewed",
        list({m.case.employee_id: m.case.employee for m in page}.values()),
        category=Category.A,
    )
    if page.paginator.num_pages == 1 and page.number == 1:
        # The page is the whole caseload: its overdue tasks are counted from it (issue 12).
        return page, sum(1 for m in page if m.done_on is None and m.effective_due < today)  # type: ignore[attr-defined]
    return page, CappedPaginator(overdue, page_size).count


@dataclass(frozen=True)
class MilestoneRow:
    """One row of the case page's milestones, worked out here rather than in the template."""

    milestone: Milestone
    status: str
    label: str
    owner: str
    lateness: str
    #: A task still to do: ticked off or deviated from on the page (by whom: ``may_tick``, ``is_staff``).
    actionable: bool
    may_tick: bool


def _milestone_row(milestone: Milestone, status: str, *, is_staff: bool) -> MilestoneRow:
    return MilestoneRow(
        milestone=milestone,
        status=status,
        label=str(milestone),
        owner=str(milestone.get_owner_display()),
        lateness=milestone.lateness if status == Milestone.Status.DONE else "",
        actionable=milestone.is_task and status in (Milestone.Status.DUE, Milestone.Status.OVERDUE),
        may_tick=is_staff or milestone.owner == Milestone.Owner.EMPLOYER,
    )


def milestone_rows(case: AbsenceCase, today: dt.date, *, is_staff: bool) -> list[MilestoneRow]:
    """The case page's milestones (the case read through ``absence.queries.read_case``)."""
    return [_milestone_row(m, m.status_on(today), is_staff=is_staff) for m in case.milestones.all()]
