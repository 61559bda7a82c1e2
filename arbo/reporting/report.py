"""The one place absence figures leave the reporting app: every page, export and API answer is
built here, and small-group suppression (:mod:`arbo.reporting.suppression`) is applied here.

Callers get :class:`Row` objects whose ``figures`` is ``None`` when suppressed; they never see the
numbers of a suppressed group. Reports cover whole calendar months (see suppression's rule 3); the
last month runs to today at most.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.audit import log
from arbo.identity.models import User
from arbo.registry.models import Department, Employer
from arbo.reporting import suppression
from arbo.reporting.data import Book, load
from arbo.reporting.figures import Figures, figures
from arbo.reporting.suppression import Month, month_end, month_start, months

TOTAL = "total"
NO_DEPARTMENT = "none"

PRIMARY = "primary"
COMPLEMENTARY = "complementary"


def reason_text(reason: str, k: int) -> str:
    if reason == PRIMARY:
        return _("Minder dan %(k)s werknemers: niet getoond, om niemand herkenbaar te maken.") % {"k": k}
    if reason == COMPLEMENTARY:
        return _(
            "Niet getoond: anders zou een kleine afdeling uit het totaal en de andere afdelingen af te "
            "leiden zijn."
        )
    return ""


@dataclass
class Row:
    key: str
    label: str
    figures: Figures | None
    reason: str = ""
    k: int = 10

    @property
    def suppressed(self) -> bool:
        return self.figures is None

    @property
    def reason_text(self) -> str:
        return reason_text(self.reason, self.k)


@dataclass
class Report:
    start: dt.date
    end: dt.date
    total: Row | None
    rows: list[Row] = field(default_factory=list)


class ReportError(ValueError):
    """A period that cannot be reported on, with a Dutch message."""


def check_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Whole calendar months, not in the future, at most ten years: the reportable periods."""
    if start != month_start(start):
        raise ReportError(
            _("Rapportages gaan over hele kalendermaanden: 'from' moet de eerste dag van een maand zijn.")
        )
    if end != month_end(end):
        raise ReportError(
            _("Rapportages gaan over hele kalendermaanden: 'to' moet de laatste dag van een maand zijn.")
        )
    if end < start:
        raise ReportError(_("'to' ligt vóór 'from'."))
    if start > timezone.localdate():
        raise ReportError(_("Deze periode ligt in de toekomst."))
    if (end - start).days > 3660:
        raise ReportError(_("Kies een periode van hoogstens tien jaar."))
    return start, end


def _clip(end: dt.date, until: dt.date | None = None) -> dt.date:
    return min(end, until or timezone.localdate())


class Analysis:
    """One employer's book over a window of months with the suppression decided for every cell."""

    def __init__(self, employer: Employer, first: dt.date, last: dt.date, *, book: Book | None = None):
        self.employer = employer
        self.k = suppression.min_group_size()
        self.first, self.last = month_start(first), month_end(last)
        self.book = book or load([employer.pk], self.first, _clip(self.last))[employer.pk]
        self.departments: dict[Hashable, str] = {
            d.pk: d.name for d in Department.objects.filter(employer=employer)
        }
        self.members: dict[Hashable, list] = {}
        for job in self.book.employments:
            self.members.setdefault(job.group, []).append(job)
        self.spells_of: dict[Hashable, list] = {}
        for spell in self.book.spells:
            self.spells_of.setdefault(spell.person, []).append(spell)
        self.cells = self._cells()
        self._month_people: dict[Month, set[Hashable]] = {}
        self.suppressed = suppression.suppressed_cells(self.cells, self.k)

    def _group_spells(self, members: list) -> list:
        people = {job.person for job in members}
        return [spell for person in people for spell in self.spells_of.get(person, ())]

    def _cells(self) -> dict[Hashable, dict[Month, set[Hashable]]]:
        cells: dict[Hashable, dict[Month, set[Hashable]]] = {}
        window = months(self.first, self.last)
        ends = [month_end(m) for m in window]
        for e in self.book.employments:
            group = e.group if e.group is not None else NO_DEPARTMENT
            per_month = cells.setdefault(group, {})
            for month, end in zip(window, ends, strict=True):
                if e.starts <= end and e.last_day >= month:
                    per_month.setdefault(month, set()).add(e.person)
        return cells

    def _total_people(self, period: list[Month]) -> dict[Month, set[Hashable]]:
        """The employer's people per month of ``period`` (each month's union made once)."""
        for month in period:
            if month not in self._month_people:
                people: set[Hashable] = set()
                for per_month in self.cells.values():
                    people |= per_month.get(month, set())
                self._month_people[month] = people
        return {month: self._month_people[month] for month in period}

    def total(self, start: dt.date, end: dt.date, until: dt.date | None = None) -> Row:
        period = months(start, _clip(end, until))
        label = self.employer.name
        if not suppression.total_shown(self._total_people(period), self.k):
            return Row(TOTAL, label, None, PRIMARY, self.k)
        return Row(TOTAL, label, self._figures(None, start, _clip(end, until)), k=self.k)

    def group_row(self, group: Hashable, start: dt.date, end: dt.date, until: dt.date | None = None) -> Row:
        key = str(group)
        label = (
            self.departments.get(group, _("Zonder afdeling"))
            if group != NO_DEPARTMENT
            else _("Zonder afdeling")
        )  # type: ignore[call-overload]
        period = months(start, _clip(end, until))
        per_month = self.cells.get(group, {})
        if not any(per_month.get(m) for m in period):
            return Row(key, label, None, PRIMARY, self.k)
        if not suppression.total_shown({m: per_month.get(m, set()) for m in period}, self.k):
            return Row(key, label, None, PRIMARY, self.k)
        if not suppression.shown(group, period, self.suppressed):
            return Row(key, label, None, COMPLEMENTARY, self.k)
        return Row(key, label, self._figures(group, start, _clip(end, until)), k=self.k)

    def _figures(self, group: Hashable | None, start: dt.date, stop: dt.date) -> Figures:
        """The figures of a group (``None``: the total) from ``start`` through ``stop``, once shown."""
        if group is None:
            return figures(self.book.employments, self.book.spells, start, stop)
        members = self.members.get(None if group == NO_DEPARTMENT else group, [])
        return figures(members, self._group_spells(members), start, stop)

    def groups(self) -> list[Hashable]:
        """Departments (by name), then the employees without one when there are any."""
        ordered: list[Hashable] = sorted(self.departments, key=lambda pk: self.departments[pk])
        if NO_DEPARTMENT in self.cells:
            ordered.append(NO_DEPARTMENT)
        return ordered

    def report(self, start: dt.date, end: dt.date, *, only: Iterable[int] | None = None) -> Report:
        """Total and department rows; ``only`` (a manager's departments) leaves out the total and other rows."""
        if only is not None:
            allowed = set(only)
            rows = [self.group_row(g, start, end) for g in self.groups() if g in allowed]
            return Report(start, end, None, rows)
        return Report(
            start, end, self.total(start, end), [self.group_row(g, start, end) for g in self.groups()]
        )

    def row(self, group: Hashable | None, start: dt.date, end: dt.date, until: dt.date | None = None) -> Row:
        """The total (``group=None``) or one group; ``until`` cuts the last month (default today)."""
        if group is None:
            return self.total(start, end, until)
        return self.group_row(group, start, end, until)

    def trend(self, group: Hashable | None, first: dt.date, last: dt.date) -> list[tuple[Month, Row]]:
        return [(m, self.row(group, m, month_end(m))) for m in months(first, last)]


# --- Across employers: the arbodienst's view ----------------------------------------------------


def arbodienst_report(employers: Iterable[Employer], start: dt.date, end: dt.date) -> Report:
    """A row per employer and the total over the employers shown.

    An employer is shown when each month of the period has at least k employees (the same rule as
    the employer's own total), and the total adds up the shown employers only: total minus rows
    is then nothing, and no small employer can be derived.
    """
    employers = list(employers)
    k = suppression.min_group_size()
    books = load([e.pk for e in employers], start, _clip(end))
    period = months(start, _clip(end))
    rows: list[Row] = []
    employments, spells = [], []
    for employer in employers:
        book = books[employer.pk]
        people: dict[Month, set[Hashable]] = {m: set() for m in period}
        for e in book.employments:
            for m in period:
                if e.starts <= month_end(m) and e.last_day >= m:
                    people[m].add(e.person)
        if not suppression.total_shown(people, k):
            rows.append(Row(str(employer.pk), employer.name, None, PRIMARY, k))
            continue
        rows.append(
            Row(
                str(employer.pk),
                employer.name,
                figures(book.employments, book.spells, start, _clip(end)),
                k=k,
            )
        )
        # People are distinct per employer here: an employee of two employers counts at each.
        employments += [_tag(e, employer.pk) for e in book.employments]
        spells += [_tag_spell(s, employer.pk) for s in book.spells]
    total = (
        Row(TOTAL, _("Alle getoonde werkgevers"), figures(employments, spells, start, _clip(end)), k=k)
        if employments
        else Row(TOTAL, _("Alle getoonde werkgevers"), None, PRIMARY, k)
    )
    return Report(start, end, total, rows)


def _tag(e, employer_id: int):  # type: ignore[no-untyped-def]

    return replace(e, person=(employer_id, e.person))


def _tag_spell(s, employer_id: int):  # type: ignore[no-untyped-def]

    return replace(s, person=(employer_id, s.person))


def record_figures_left(user: User, employer: Employer, *, export: bool, details: dict[str, Any]) -> None:
    """Figures of ``employer`` left the application: a file (``export``) or an API answer; audited."""
    if export:
        log.record(user, log.Action.EXPORT, "reporting.exported", obj=employer, data=details)
    else:
        log.record(user, log.Action.READ, "reporting.api_read", obj=employer, data=details)
