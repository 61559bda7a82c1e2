"""Loads the employments and sick spells the figures are computed from: a fixed number of queries.

Only what the figures need leaves the database: person ids, dates, department ids, hours and
resumed percentages; no names. Withdrawn reports do not count. Periods classified as pregnancy or
childbirth (``SafetyNet.PREGNANCY``) are pregnancy and maternity absence, which the Dutch absence
statistics do not count as sickness.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from arbo.absence.models import RecoveryReport, SickPeriod
from arbo.registry.models import Employer, Employment
from arbo.reporting.figures import DEFAULT_FULL_TIME_HOURS, Spell, part_time_factor
from arbo.reporting.figures import Employment as Job


@dataclass
class Book:
    """One employer's employments (``group`` = department id or ``None``) and sick spells."""

    employer_id: int
    employments: list[Job] = field(default_factory=list)
    spells: list[Spell] = field(default_factory=list)

    def group(self, key: object) -> list[Job]:
        return [e for e in self.employments if e.group == key]


def load(
    employer_ids: Iterable[int], start: dt.date, end: dt.date, *, spells: bool = True
) -> dict[int, Book]:
    """The books of these employers for the period ``start``–``end``: three queries (one without
    ``spells``: the employments alone, for deciding suppression when PostgreSQL computes the figures)."""
    ids = list(employer_ids)
    books = {pk: Book(pk) for pk in ids}
    full_time = dict(Employer.objects.filter(pk__in=ids).values_list("pk", "full_time_hours"))
    overlapping = Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    for employer_id, person, department, starts, ends, hours in (
        Employment.objects.filter(overlapping, employer_id__in=ids)
        .order_by("employee_id", "starts_on")
        .values_list("employer_id", "employee_id", "department_id", "starts_on", "ends_on", "hours_per_week")
    ):
        factor = part_time_factor(hours, full_time.get(employer_id) or DEFAULT_FULL_TIME_HOURS)
        books[employer_id].employments.append(Job(person, starts, ends, factor, department))
    if not spells:
        return books

    spell_rows = list(
        SickPeriod.objects.filter(
            Q(last_sick_day__isnull=True) | Q(last_sick_day__gte=start),
            case__employer_id__in=ids,
            withdrawn_at__isnull=True,
            first_sick_day__lte=end,
        )
        .exclude(safety_net_kind=SickPeriod.SafetyNet.PREGNANCY)
        .values_list("case_id", "case__employer_id", "case__employee_id", "first_sick_day", "last_sick_day")
    )
    resumed: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for case_id, day, percentage in RecoveryReport.objects.filter(
        case__employer_id__in=ids,
        kind=RecoveryReport.Kind.PARTIAL,
        withdrawn_at__isnull=True,
    ).values_list("case_id", "recovered_on", "percentage"):
        resumed[case_id].append((day, percentage or 0))
    for case_id, employer_id, person, first, last in spell_rows:
        own = tuple(
            (day, pct)
            for day, pct in sorted(resumed.get(case_id, ()))
            if first < day <= (last or dt.date.max)
        )
        books[employer_id].spells.append(Spell(person, first, last, own))
    return books
