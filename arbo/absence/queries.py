"""Which absence cases a user may reach: every absence view, API endpoint and job fetches here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from arbo.absence.milestones import timeline
from arbo.absence.models import (
    PERSONAL_DATA_CATEGORIES,
    AbsenceCase,
    CaseDocument,
    DocumentVersion,
    Milestone,
    RecoveryReport,
    ReportChange,
    SickPeriod,
    TherapeuticWork,
)
from arbo.access.auditing import record_access, record_access_many
from arbo.access.matrix import Action, Category
from arbo.access.policy import acts_for_employers, can, employee_reach, holders_of, reaches
from arbo.access.subjects import Rows, collect
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.roles import CASE_HANDLER_FUNCTIONS
from arbo.lib.pagination import CappedPaginator
from arbo.lib.subject import SubjectRecord
from arbo.registry.models import Employee, EmployerMembership, TeamMembership


def cases_visible_to(user: User) -> QuerySet[AbsenceCase]:
    """Cases of employees the user may reach, for users who may read category A at all.

    Employer users see only cases of their own employers (an employee may also work elsewhere);
    employees see their own cases; staff need category A in the matrix (a secretary has none).
    """
    reach = employee_reach(user)
    if reach is None or not can(user, Action.READ, Category.A):
        return AbsenceCase.objects.none()
    return _of_own_employers(user, AbsenceCase.objects.filter(reach))  # on the case's employee_id: no join


def _of_own_employers(user: User, cases: QuerySet[AbsenceCase]) -> QuerySet[AbsenceCase]:
    """Employer users see only the cases of their own employers (an employee may work elsewhere too)."""
    if acts_for_employers(user):
        cases = cases.filter(employer__in=EmployerMembership.objects.filter(user=user).values("employer_id"))
    return cases


def cases_of(user: User, employee: Employee) -> QuerySet[AbsenceCase]:
    """``cases_visible_to(user)`` of one employee, without building the user's whole reach: the
    policy already decided (one statement per request) whether ``user`` reaches ``employee``."""
    if not can(user, Action.READ, Category.A) or not reaches(user, employee):
        return AbsenceCase.objects.none()
    return _of_own_employers(user, AbsenceCase.objects.filter(employee=employee))


def _visible(user: User, cases: QuerySet[AbsenceCase], case_id: int | str) -> AbsenceCase:
    """The case ``case_id`` of ``cases`` when it is one of :func:`cases_visible_to`, else 404:
    read by its key, then decided by the policy's relationship with its employee (one statement
    per request, issue 12) instead of through the user's whole reach."""
    case = get_object_or_404(cases, pk=case_id)
    if not can(user, Action.READ, Category.A) or not reaches(user, case.employee):
        raise Http404
    if (
        acts_for_employers(user)
        and not EmployerMembership.objects.filter(user=user, employer=case.employer_id).exists()
    ):
        raise Http404
    return case


def case_for(user: User, case_id: int | str) -> AbsenceCase:
    """A case the user may see (with employee and employer), else 404. Not audited: for a write,
    which audits itself; a page that shows the case reads it through :func:`read_case`."""
    return _visible(user, AbsenceCase.objects.select_related("employee", "employer"), case_id)


#: The case list's status filter: (value, label), open cases first.
CASE_STATUSES = AbsenceCase.Status.choices

OPEN = AbsenceCase.Status.OPEN


def cases_with_status(user: User, status: str) -> QuerySet[AbsenceCase]:
    """The cases the user may see with ``status`` (all of them for an unknown status), for
    :func:`cases_page`; 404 for a user without category A."""
    cases = cases_visible_to(user)
    if not can(user, Action.READ, Category.A):
        raise Http404
    if status in AbsenceCase.Status.values:
        cases = cases.filter(status=status)
    return cases


def counted_week(case: AbsenceCase, today: dt.date, periods: list[SickPeriod] | None = None) -> int | None:
    """The sick week the case is in today (week 1 = counted days 1–7), ``None`` when recovered.
    ``periods``: the case's sick periods, when the caller read them already."""
    if not case.is_open:
        return None
    counted = [
        timeline.Period(p.first_sick_day, p.last_sick_day, p.after_pregnancy_leave)
        for p in (case.periods.all() if periods is None else periods)
        if p.withdrawn_at is None
    ]
    if not counted:
        return None
    days = timeline.counted_days_before(counted, today + dt.timedelta(days=1))
    return max(1, (days + 6) // 7)


def read_case(user: User, case_id: int | str, *, for_page: bool = False) -> AbsenceCase:
    """A case the user may see (with employee, employer and casemanager), else 404; the read
    audited (category A, the reader's basis).

    ``for_page``: the case page's read, which also tells whether the case has recoveries,
    therapeutic work, corrections and documents (``has_recoveries``, ``has_therapeutic_work``,
    ``has_changes``, ``has_documents``), so that the page reads those only when there are some
    (issue 12)."""
    cases = AbsenceCase.objects.select_related("employee", "employer", "casemanager")
    if for_page:
        cases = cases.annotate(
            has_recoveries=Exists(RecoveryReport.objects.filter(case=OuterRef("pk"))),
            has_therapeutic_work=Exists(TherapeuticWork.objects.filter(case=OuterRef("pk"))),
            has_changes=Exists(ReportChange.objects.filter(case=OuterRef("pk"))),
            has_documents=Exists(CaseDocument.objects.filter(case=OuterRef("pk"))),
        )
    case = _visible(user, cases, case_id)
    record_access(user, log.Action.READ, "absence.case_viewed", case.employee, obj=case, category=Category.A)
    return case


def paginate(rows: QuerySet[Any], page_size: int, page_number: str | None) -> Page[Any]:
    """One page of ``rows``, counted up to 1,000 (``CappedPaginator``). Always a count and a page,
    also when the first page is not full: a page costs the same statements at any size of the
    book and of the list (issue 12's bench compares them)."""
    return CappedPaginator(rows, page_size).get_page(page_number)


#: The columns of a sick period :func:`counted_week` reads (the list leaves the rest, some of
#: them encrypted, unread).
_COUNTED_PERIOD_FIELDS = (
    "case_id",
    "first_sick_day",
    "last_sick_day",
    "after_pregnancy_leave",
    "withdrawn_at",
)


#: The columns the case list shows (and its audit record reads: the employee's id): the names of
#: the employee and the casemanager, the employer's name (issue 12: not every column of four tables).
_LISTED_CASE_FIELDS = (
    "status",
    "first_sick_day",
    "employee__first_names",
    "employee__initials",
    "employee__tussenvoegsel",
    "employee__surname",
    "employer__name",
    "casemanager__first_name",
    "casemanager__last_name",
    "casemanager__username",
)


def cases_page(
    user: User, cases: QuerySet[AbsenceCase], *, page_size: int, page_number: str | None
) -> Page[AbsenceCase]:
    """One page of ``cases`` (already scoped to the user); the list read audited per employee."""
    periods = Prefetch("periods", queryset=SickPeriod.objects.only(*_COUNTED_PERIOD_FIELDS))
    page = paginate(
        cases.select_related("employee", "employer", "casemanager")
        .only(*_LISTED_CASE_FIELDS)
        .prefetch_related(periods),
        page_size,
        page_number,
    )
    record_access_many(
        user, log.Action.READ, "absence.cases_listed", [case.employee for case in page], category=Category.A
    )
    return page


def employee_cases(user: User, employee: Employee) -> list[AbsenceCase]:
    """The cases shown on an employee's page (the page's read is audited by the registry's gateway)."""
    return list(cases_of(user, employee).select_related("employer").order_by("-first_sick_day")[:10])


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """Every absence record of ``employee`` (cases, reports, milestones, WvP documents) that
    ``reader`` may read (``None``: the person's own package)."""
    cases = AbsenceCase.objects.filter(employee=employee)
    of_cases = {"case__employee": employee}
    return collect(
        "absence",
        employee,
        reader,
        [
            Rows(cases.select_related("employer", "casemanager")),
            Rows(
                SickPeriod.objects.filter(**of_cases).select_related("case", "reported_by"),
                created="reported_at",
            ),
            Rows(
                RecoveryReport.objects.filter(**of_cases).select_related("case", "reported_by"),
                created="reported_at",
            ),
            Rows(
                TherapeuticWork.objects.filter(**of_cases).select_related("case", "recorded_by"),
                created="recorded_at",
            ),
            Rows(
                ReportChange.objects.filter(**of_cases).select_related("case", "changed_by"),
                created="changed_at",
            ),
            Rows(
                Milestone.objects.filter(**of_cases).select_related("case", "done_by", "document"),
                created="due_on",
            ),
            Rows(
                CaseDocument.objects.filter(**of_cases).select_related("case", "created_by", "finalised_by")
            ),
            Rows(
                DocumentVersion.objects.filter(document__case__employee=employee).select_related(
                    "document", "author"
                )
            ),
        ],
        classification=PERSONAL_DATA_CATEGORIES,
    )


def casemanager_choices(case: AbsenceCase) -> list[tuple[int, str]]:
    """Casemanagers on the team serving the case's employer (or already its casemanager), as
    choices: the case page's form and its POST."""
    today = timezone.localdate()
    on_team = TeamMembership.objects.filter(
        Q(employer=case.employer_id, starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    ).values("user_id")
    candidates = holders_of(CASE_HANDLER_FUNCTIONS).filter(Q(pk__in=on_team) | Q(pk=case.casemanager_id))
    # Only what the choice shows (``str(user)``: the full name, else the username).
    candidates = candidates.only("first_name", "last_name", "username")
    return [(u.pk, str(u)) for u in candidates.order_by("last_name", "username")]
