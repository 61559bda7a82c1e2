"""What the employer's dashboard shows, as query functions (the view only renders).

Figures come from :mod:`arbo.reporting.report` (suppression applied there); the personal parts
(who is sick now, deadlines, documents and advice to read) come through the absence and medical
apps' own visibility functions, and the list of who is sick is audited as a read of category A.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.absence.documents.queries import documents_visible_to
from arbo.absence.milestones.queries import caseload_for
from arbo.absence.models import AbsenceCase
from arbo.absence.queries import cases_visible_to
from arbo.access.matrix import Category
from arbo.access.policy import is_employer_user
from arbo.audit import log
from arbo.identity.models import User
from arbo.medical.advice.queries import advice_released_to_employer_since
from arbo.registry.models import Employer
from arbo.reporting import charts
from arbo.reporting.report import NO_DEPARTMENT, Analysis, Row
from arbo.reporting.suppression import month_end, month_start

PERIOD_KINDS = {
    "month": gettext_lazy("Deze maand"),
    "quarter": gettext_lazy("Dit kwartaal"),
    "year": gettext_lazy("Dit jaar"),
}
TREND_MONTHS = 24
RECENT_DAYS = 30


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_bounds(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Whole months holding today: this month, quarter or year."""
    if kind == "month":
        return month_start(today), month_end(today)
    if kind == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return first, month_end(first.replace(month=first.month + 2))
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


def add_months(day: dt.date, count: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Comparison:
    kind: str
    label: str
    start: dt.date
    end: dt.date
    #: The last day counted: the period's end, or today while it runs.
    until: dt.date
    now: Row
    year_before: Row


def analysis_for(employer: Employer, today: dt.date) -> Analysis:
    """One load for everything the dashboard shows: 24 months of trend and last year's periods
    (what the dashboard computes when the day's rollups are not there, and what the job stores)."""
    return Analysis(employer, *analysis_window(today))


def analysis_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The months :func:`analysis_for` loads: the trend's 24 and last calendar year."""
    return min(add_months(month_start(today), -(TREND_MONTHS - 1)), dt.date(today.year - 1, 1, 1)), month_end(
        today
    )


def comparisons(analysis: Any, group: Hashable | None, today: dt.date) -> list[Comparison]:
    result = []
    for kind, label in PERIOD_KINDS.items():
        start, end = period_bounds(kind, today)
        before = (_year_back(start), month_end(_year_back(end)))
        result.append(
            Comparison(
                kind,
                str(label),
                start,
                end,
                min(end, today),
                analysis.row(group, start, end),
                analysis.row(group, *before, until=_year_back(today)),
            )
        )
    return result


def trend(analysis: Any, group: Hashable | None, today: dt.date) -> list[tuple[dt.date, Row]]:
    return analysis.trend(group, add_months(month_start(today), -(TREND_MONTHS - 1)), month_end(today))


def trend_charts(points: list[tuple[dt.date, Row]], name: str) -> dict[str, Any]:
    labels = [f"{m:%m-%y}" for m, _row in points]
    pct = [r.figures.verzuimpercentage if r.figures else None for _m, r in points]
    freq = [r.figures.meldingsfrequentie if r.figures else None for _m, r in points]
    return {
        "percentage": charts.line_chart(
            _("Verzuimpercentage per maand, %(name)s") % {"name": name},
            labels,
            [charts.Series(_("verzuimpercentage"), pct)],
        ),
        "frequency": charts.line_chart(
            _("Meldingsfrequentie per maand (per werknemer per jaar), %(name)s") % {"name": name},
            labels,
            [charts.Series(_("meldingsfrequentie"), freq)],
            unit="",
        ),
    }


def department_chart(rows: list[Row]) -> Any:
    return charts.bar_chart(
        _("Verzuimpercentage per afdeling"),
        [r.label for r in rows],
        [r.figures.verzuimpercentage if r.figures else None for r in rows],
    )


@dataclass
class Work:
    """The personal part of the dashboard: the employer's own employees, category A only."""

    sick_now: list[AbsenceCase]
    deadlines: list[Any]
    documents: list[Any]
    advice: list[tuple[Any, dt.datetime]]


def work_for(user: User, employer: Employer) -> Work:
    """Who is sick now, the deadlines the employer owns, what was released to read (recent)."""
    today = timezone.localdate()
    if not is_employer_user(user):
        return Work([], [], [], [])
    sick = list(
        cases_visible_to(user)
        .filter(employer=employer, status=AbsenceCase.Status.OPEN)
        .select_related("employee")
        .order_by("first_sick_day", "id")
    )
    deadlines = list(caseload_for(user, today=today).filter(case__employer=employer))
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    documents = list(
        documents_visible_to(user)
        .filter(case__employer=employer, released_to_employer_at__gte=since)
        .select_related("case__employee")
        .order_by("-released_to_employer_at")
    )
    advice = advice_released_to_employer_since(user, since)
    subjects = {c.employee.pk: c.employee for c in sick}
    subjects.update({m.case.employee.pk: m.case.employee for m in deadlines})
    if subjects:
        log.record_many(
            user,
            log.Action.READ,
            "reporting.dashboard_viewed",
            subjects.values(),
            category=Category.A,
            data={"employer": employer.pk},
        )
    return Work(sick, deadlines, documents, advice)


def group_key(
    value: str | None, departments: dict[Hashable, str], allowed: set[int] | None
) -> Hashable | None:
    """The department filter from the query string: a department id, ``none`` or the total."""
    if not value:
        return None if allowed is None else sorted(allowed)[0] if allowed else None
    if value == NO_DEPARTMENT and allowed is None:
        return NO_DEPARTMENT
    try:
        pk = int(value)
    except ValueError:
        return None
    if pk in departments and (allowed is None or pk in allowed):
        return pk
    return None
