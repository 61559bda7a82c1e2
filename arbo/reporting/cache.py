"""Rollups: the dashboard's figures computed ahead by a job, so a large employer's page reads rows
instead of computing over hundreds of thousands of employments.

``refresh_report_cells`` (daily, after midnight; safe to run twice or on two machines: it replaces an
employer's rows of the day in one transaction) computes, for every employer, the periods the
dashboard shows — the last 24 months, this month, quarter and year, and the same three a year before
— with :class:`arbo.reporting.report.Analysis`, suppression applied, and stores one
:class:`ReportCell` per group and period. :class:`CachedAnalysis` answers the dashboard from those
rows when they were computed today, and falls back to computing when they were not.

How the job gets through a national book at night: on PostgreSQL the figures of every group and
period of an employer come from one statement (:mod:`arbo.reporting.rollup_sql`); Python loads only
the employments, to decide suppression exactly as every other path does, and writes the rows. On
SQLite (small books) :class:`~arbo.reporting.report.Analysis` computes them in Python.

How the dashboard reads them: one statement for the report's period (every group's row with its
department's name), and one for the chosen group's trend; rows come back as tuples, not model
instances, straight into :class:`~arbo.reporting.report.Row` objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.registry.models import Department, Employer
from arbo.reporting import dashboard, rollup_sql, suppression
from arbo.reporting.data import load
from arbo.reporting.figures import DURATION_CLASSES, Figures
from arbo.reporting.models import ReportCell
from arbo.reporting.report import NO_DEPARTMENT, TOTAL, Analysis, Report, Row, _clip
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


class _Computed(Analysis):
    """Suppression decided from the employments as :class:`Analysis` decides it; the figures of the
    shown rows are the ones PostgreSQL computed for the job's periods (:mod:`arbo.reporting.rollup_sql`)."""

    def __init__(self, employer: Employer, today: dt.date, periods: list[tuple[dt.date, dt.date]]):
        first, last = dashboard.analysis_window(today)
        window = (first, _clip(last))
        book = load([employer.pk], *window, spells=False)[employer.pk]
        super().__init__(employer, first, last, book=book)
        self.index = {period: i for i, period in enumerate(periods)}
        self.computed = rollup_sql.figures_by_group(employer.pk, employer.full_time_hours, window, periods)

    def _figures(self, group: Hashable | None, start: dt.date, stop: dt.date) -> Figures:
        return self.computed[(rollup_sql.group_of(group), self.index[(start, stop)])]


def refresh_employer(employer: Employer, today: dt.date, *, method: str | None = None) -> int:
    """Replace ``employer``'s rollups with the ones of ``today``; ``method`` "sql" (PostgreSQL's
    default) or "python" (elsewhere, and the reference the SQL is tested against)."""
    method = method or ("sql" if connection.vendor == "postgresql" else "python")
    periods = dashboard_periods(today)
    analysis: Analysis
    if method == "sql":
        analysis = _Computed(employer, today, [(start, min(end, until)) for start, end, until in periods])
    else:
        analysis = dashboard.analysis_for(employer, today)
    cells = []
    for start, end, until in periods:
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


def refresh_report_cells(
    employers: Iterable[Employer] | None = None, today: dt.date | None = None, *, method: str | None = None
) -> int:
    today = today or timezone.localdate()
    return sum(
        refresh_employer(e, today, method=method)
        for e in (employers if employers is not None else Employer.objects.all())
    )


#: The report's rows: every group's cell of one period, with its department's name.
#: The duration classes as numbers, taken out of the JSON by the database (not json.loads per row).
CLASS_COLUMNS = {
    "postgresql": ", ".join(
        f"CAST(c.duration_classes ->> '{label}' AS integer)" for label, _low, _high in DURATION_CLASSES
    ),
    "sqlite": ", ".join(
        f"""CAST(json_extract(c.duration_classes, '$."{label}"') AS integer)"""
        for label, _low, _high in DURATION_CLASSES
    ),
}
PERIOD_SQL = """
SELECT c.group_key, d.name, c.reason, c.employees, c.verzuimpercentage, c.meldingsfrequentie,
       c.gemiddelde_verzuimduur, c.nulverzuim, {classes}
FROM reporting_reportcell c
LEFT JOIN registry_department d ON d.employer_id = c.employer_id AND c.group_key = CAST(d.id AS text)
WHERE c.employer_id = %s AND c.computed_on = %s AND c.start = %s AND c.until = %s
"""
#: One group's cells of every period (its trend and comparisons).
GROUP_SQL = """
SELECT c.start, c.until, c.reason, c.employees, c.verzuimpercentage, c.meldingsfrequentie,
       c.gemiddelde_verzuimduur, c.nulverzuim, {classes}
FROM reporting_reportcell c
WHERE c.employer_id = %s AND c.computed_on = %s AND c.group_key = %s
"""
_Cell = tuple[Any, ...]  # reason, employees, four figures, the class counts
_CLASS_LABELS = tuple(label for label, _low, _high in DURATION_CLASSES)


def _sql(template: str) -> str:
    return template.format(classes=CLASS_COLUMNS[connection.vendor])


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


class CachedAnalysis:
    """The part of :class:`Analysis` the dashboard uses, read from today's :class:`ReportCell` rows.

    Reads lazily: :meth:`report` one statement for its period, :meth:`row` of another period one
    statement for the group's cells; a period the job does not compute is computed live.
    """

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
        self.period = (report_start, min(report_end, today))
        self.cells: dict[tuple[str, dt.date, dt.date], _Cell] = {}
        self.labels: dict[str, str] = {}
        self.loaded_groups: set[str] = set()
        self.group_keys: list[str] | None = None
        self._departments: dict[Hashable, str] | None = None

    @classmethod
    def ready(cls, employer: Employer, today: dt.date) -> bool:
        return ReportCell.objects.filter(employer=employer, computed_on=today).exists()

    @property
    def departments(self) -> dict[Hashable, str]:
        if self._departments is None:
            self._departments = dict(
                Department.objects.filter(employer=self.employer).values_list("pk", "name")
            )
        return self._departments

    def _load_period(self) -> None:
        if self.group_keys is not None:
            return
        start, until = self.period
        with connection.cursor() as cursor:
            cursor.execute(_sql(PERIOD_SQL), [self.employer.pk, self.today, start, until])
            rows = cursor.fetchall()
        for key, name, *cell in rows:
            self.cells[(key, start, until)] = tuple(cell)  # type: ignore[assignment]
            if name is not None:
                self.labels[key] = name
        self.group_keys = [key for key, *_rest in rows if key != TOTAL]

    def _load_group(self, key: str) -> None:
        if key in self.loaded_groups:
            return
        self.loaded_groups.add(key)
        with connection.cursor() as cursor:
            cursor.execute(_sql(GROUP_SQL), [self.employer.pk, self.today, key])
            for start, until, *cell in cursor.fetchall():
                self.cells[(key, _date(start), _date(until))] = tuple(cell)  # type: ignore[assignment]

    def _label(self, key: str) -> str:
        if key == TOTAL:
            return self.employer.name
        if key == NO_DEPARTMENT:
            return _("Zonder afdeling")
        if key not in self.labels:
            self.labels[key] = self.departments.get(int(key), key)
        return self.labels[key]

    def _row(self, key: str, cell: _Cell) -> Row:
        reason, employees, pct, freq, duration, zero, *classes = cell
        if employees is None:
            return Row(key, self._label(key), None, reason, self.k)
        figures = Figures(
            employees, pct, freq, duration, zero, dict(zip(_CLASS_LABELS, classes, strict=True))
        )
        return Row(key, self._label(key), figures, k=self.k)

    def row(self, group: Hashable | None, start: dt.date, end: dt.date, until: dt.date | None = None) -> Row:
        key = _key(group)
        wanted = (key, start, min(end, until or self.today))
        if wanted[1:] == self.period:
            self._load_period()
        if wanted not in self.cells:
            self._load_group(key)
        cell = self.cells.get(wanted)
        if cell is None:
            # Not a period the job computes: compute it (the API's free periods).
            return Analysis(self.employer, start, end).row(group, start, end, until)
        return self._row(key, cell)

    def groups(self) -> list[Hashable]:
        self._load_period()
        keys: list[Hashable] = [int(k) if k.isdigit() else k for k in self.group_keys or []]
        named = sorted((k for k in keys if k != NO_DEPARTMENT), key=lambda k: self._label(str(k)))
        return [*named, *([NO_DEPARTMENT] if NO_DEPARTMENT in keys else [])]

    def report(self, start: dt.date, end: dt.date, *, only: Iterable[int] | None = None) -> Report:
        allowed = set(only) if only is not None else None
        rows = [self.row(g, start, end) for g in self.groups() if allowed is None or g in allowed]
        return Report(start, end, None if allowed is not None else self.row(None, start, end), rows)

    def trend(self, group: Hashable | None, first: dt.date, last: dt.date) -> list[tuple[dt.date, Row]]:
        return [(m, self.row(group, m, month_end(m))) for m in suppression.months(first, last)]
