"""Rollups: the dashboard's figures computed ahead by a job, so a large employer's page reads rows
instead of computing over hundreds of thousands of employments.

``refresh_report_cells`` (daily, after midnight; safe to run twice or on two machines: it replaces an
employer's rows of the day in one transaction) computes, for every employer, the periods the
dashboard shows — the last 24 months, this month, quarter and year, and the same three a year before
— with :class:`arbo.reporting.report.Analysis`, suppression applied, and stores one
:class:`ReportCell` per group and period. :class:`CachedAnalysis` answers the dashboard from those
rows when they were computed today, and falls back to computing when they were not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.registry.models import Department, Employer
from arbo.reporting import dashboard, suppression
from arbo.reporting.figures import Figures
from arbo.reporting.models import ReportCell
from arbo.reporting.report import NO_DEPARTMENT, TOTAL, Analysis, Report, Row
from arbo.reporting.suppression import month_end


def dashboard_periods(today: dt.date) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(start, end, until) of every period the dashboard shows on ``today``."""

    periods = [
        (m, month_end(m), today)
        for m in suppression.months(
            dashboard.add_months(today.replace(day=1), -(dashboard.TREND_MONTHS - 1)), today
        )
    ]
    for kind in dashboard.PERIOD_KINDS:
        start, end = dashboard.period_bounds(kind, today)
        periods.append((start, end, today))
        before_today = dashboard._year_back(today)
        periods.append((dashboard._year_back(start), month_end(dashboard._year_back(end)), before_today))
    # Last calendar year in full: the API's and exports' most asked-for report.
    periods.append((dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), today))
    # A row is kept by its first and last counted day: periods that agree on both are one.
    unique = {(start, min(end, until)): (start, end, until) for start, end, until in periods}
    return list(unique.values())


def _key(group: Hashable | None) -> str:
    return TOTAL if group is None else str(group)


def refresh_employer(employer: Employer, today: dt.date) -> int:

    analysis = dashboard.analysis_for(employer, today)
    cells = []
    for start, end, until in dashboard_periods(today):
        for group in [None, *analysis.groups()]:
            row = analysis.row(group, start, end, until=until)
            f = row.figures
            cells.append(
                ReportCell(
                    employer=employer,
                    computed_on=today,
                    group_key=_key(group),
                    start=start,
                    until=min(end, until),
                    reason=row.reason,
                    employees=f.employees if f else None,
                    verzuimpercentage=f.verzuimpercentage if f else None,
                    meldingsfrequentie=f.meldingsfrequentie if f else None,
                    gemiddelde_verzuimduur=f.gemiddelde_verzuimduur if f else None,
                    nulverzuim=f.nulverzuim if f else None,
                    duration_classes=f.duration_classes if f else None,
                )
            )
    with transaction.atomic():
        ReportCell.objects.filter(employer=employer).delete()
        ReportCell.objects.bulk_create(cells, batch_size=2000)
    return len(cells)


def refresh_report_cells(employers: Iterable[Employer] | None = None, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(
        refresh_employer(e, today) for e in (employers if employers is not None else Employer.objects.all())
    )


class CachedAnalysis:
    """The part of :class:`Analysis` the dashboard uses, read from today's :class:`ReportCell` rows."""

    def __init__(
        self,
        employer: Employer,
        today: dt.date,
        group: Hashable | None,
        report_start: dt.date,
        report_end: dt.date,
    ):
        self.employer = employer
        self.k = suppression.min_group_size()
        self.today = today
        self.departments: dict[Hashable, str] = dict(
            Department.objects.filter(employer=employer).values_list("pk", "name")
        )
        wanted = ReportCell.objects.filter(employer=employer, computed_on=today)
        rows = list(
            wanted.filter(group_key=_key(group)).union(
                wanted.filter(start=report_start, until=min(report_end, today))
            )
        )
        self.cells = {(c.group_key, c.start, c.until): c for c in rows}
        self.group_keys = sorted({c.group_key for c in rows if c.start == report_start} - {TOTAL})

    @classmethod
    def ready(cls, employer: Employer, today: dt.date) -> bool:
        return ReportCell.objects.filter(employer=employer, computed_on=today).exists()

    def _label(self, key: str) -> str:

        if key == TOTAL:
            return self.employer.name
        if key == NO_DEPARTMENT:
            return _("Zonder afdeling")
        return self.departments.get(int(key), key)

    def row(self, group: Hashable | None, start: dt.date, end: dt.date, until: dt.date | None = None) -> Row:
        key = _key(group)
        cell = self.cells.get((key, start, min(end, until or self.today)))
        if cell is None:
            # Not a period the job computes: compute it (the API's free periods).
            return Analysis(self.employer, start, end).row(group, start, end, until)
        if cell.employees is None:
            return Row(key, self._label(key), None, cell.reason, self.k)
        figures = Figures(
            cell.employees,
            cell.verzuimpercentage,
            cell.meldingsfrequentie,
            cell.gemiddelde_verzuimduur,
            cell.nulverzuim,
            cell.duration_classes or {},
        )
        return Row(key, self._label(key), figures, k=self.k)

    def groups(self) -> list[Hashable]:
        keys: list[Hashable] = [int(k) if k.isdigit() else k for k in self.group_keys]
        named = sorted((k for k in keys if k != NO_DEPARTMENT), key=lambda k: self.departments.get(k, ""))
        return [*named, *([NO_DEPARTMENT] if NO_DEPARTMENT in keys else [])]

    def report(self, start: dt.date, end: dt.date, *, only: Iterable[int] | None = None) -> Report:
        rows = [self.row(g, start, end) for g in self.groups() if only is None or g in set(only)]
        return Report(start, end, None if only is not None else self.row(None, start, end), rows)

    def trend(self, group: Hashable | None, first: dt.date, last: dt.date) -> list[tuple[dt.date, Row]]:
        return [(m, self.row(group, m, month_end(m))) for m in suppression.months(first, last)]
