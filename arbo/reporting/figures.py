"""The absence figures as the Dutch absence statistics define them (Vernet, CBS): pure functions.

No models, no database: employments and sick spells in, numbers out. Every function takes the
employments of one *group* (an employer, a department, the whole arbodienst) and the sick spells
of the people in it at that employer, and a period ``start``–``end`` (both inclusive).

**Part-time factor** of an employment: its hours per week over the employer's full-time week
(``Employer.full_time_hours``, 38 unless set), at most 1; unknown hours count as full-time.

**Incapacity factor** of a sick day: 1 while fully sick, ``1 − resumed %/100`` from the day of a
partial recovery on (until the next partial recovery or the end of the spell).

**A spell** is one sick period (ziekmelding): ``first`` through ``last`` (the day before full
recovery; ``None`` while still sick, then it runs through the end of the report period).
Pregnancy and maternity leave are not sickness: the caller leaves such periods out
(:mod:`arbo.reporting.data`). Spells of one person that overlap are cut so that no day counts twice.

The figures (docs/reporting.md has the same text and worked examples):

- :func:`verzuimpercentage` — for every employee and every calendar day of the period inside the
  employment, an available day counts ``part-time factor`` and a sick day ``part-time factor ×
  incapacity factor``; the percentage is 100 × sick days / available days.
- :func:`meldingsfrequentie` — the number of spells whose first day falls in the period (and in an
  employment of the group), over the average number of employees in the period (employment days
  / days), annualised: × 365 / days in the period.
- :func:`gemiddelde_verzuimduur` — the mean length in calendar days (``first`` through ``last``)
  of the spells that ended in the period.
- :func:`nulverzuim` — the share (%) of the employees employed throughout the period who had not
  one sick day in it.
- :func:`duration_classes` — the spells running in the period counted by their length up to the
  period's end or their last day: 1–14, 15–91, 92–365, 366–730 and more than 730 days.

A spell belongs to the employment that holds its first day (else the first employment it
overlaps): that decides its department for the counts. Sick *days* belong to the employment they
fall in, so a move to another department splits them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

DEFAULT_FULL_TIME_HOURS = Decimal(38)
#: Duration classes in days (inclusive bounds); the last is open-ended.
DURATION_CLASSES: tuple[tuple[str, int, int | None], ...] = (
    ("1-14", 1, 14),
    ("15-91", 15, 91),
    ("92-365", 92, 365),
    ("366-730", 366, 730),
    ("731+", 731, None),
)
_FAR = dt.date.max


def part_time_factor(hours_per_week: Decimal | float | None, full_time_hours: Decimal | float) -> float:
    """Hours over the full-time week, at most 1; unknown hours (or a zero week) count as full-time."""
    if hours_per_week is None or not full_time_hours or float(hours_per_week) <= 0:
        return 1.0
    return min(float(hours_per_week) / float(full_time_hours), 1.0)


@dataclass(frozen=True)
class Employment:
    """One employment in the group: a person, from ``starts`` to ``ends`` (inclusive, ``None``: on)."""

    person: Hashable
    starts: dt.date
    ends: dt.date | None = None
    part_time: float = 1.0
    group: Any = None

    @property
    def last_day(self) -> dt.date:
        return self.ends or _FAR


@dataclass(frozen=True)
class Spell:
    """One sick period of a person: ``first`` to ``last`` (``None``: still sick).

    ``resumed`` lists partial recoveries as ``(day, percentage resumed)``: from that day the
    incapacity factor is ``1 − percentage / 100``.
    """

    person: Hashable
    first: dt.date
    last: dt.date | None = None
    resumed: tuple[tuple[dt.date, int], ...] = ()

    def segments(self, until: dt.date) -> list[tuple[dt.date, dt.date, float]]:
        """``(from, to, incapacity factor)`` pieces of the spell up to ``until`` (inclusive)."""
        end = min(self.last or until, until)
        if end < self.first:
            return []
        pieces: list[tuple[dt.date, dt.date, float]] = []
        start, factor = self.first, 1.0
        for day, percentage in sorted(self.resumed):
            if day <= start:
                factor = 1 - percentage / 100
                continue
            if day > end:
                break
            pieces.append((start, day - dt.timedelta(days=1), factor))
            start, factor = day, 1 - percentage / 100
        pieces.append((start, end, factor))
        return pieces


@dataclass
class Figures:
    """All figures of one group and period; ``None`` where the figure is undefined (no one)."""

    employees: int
    verzuimpercentage: float | None
    meldingsfrequentie: float | None
    gemiddelde_verzuimduur: float | None
    nulverzuim: float | None
    duration_classes: dict[str, int] = field(default_factory=dict)


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1


def _overlap(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> int:
    lo, hi = max(a0, b0), min(a1, b1)
    return (hi - lo).days + 1 if hi >= lo else 0


def _check(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValueError("end before start")


def normalise(spells: Iterable[Spell]) -> dict[Hashable, list[Spell]]:
    """Spells per person, in order, later ones cut so that no day is counted twice."""
    by_person: dict[Hashable, list[Spell]] = defaultdict(list)
    for given in sorted(spells, key=lambda s: (str(s.person), s.first)):
        spell = given
        own = by_person[spell.person]
        if own:
            previous = own[-1]
            if previous.last is None:
                continue  # an open spell covers everything after it
            if spell.first <= previous.last:
                if spell.last is not None and spell.last <= previous.last:
                    continue
                spell = Spell(spell.person, previous.last + dt.timedelta(days=1), spell.last, spell.resumed)
        own.append(spell)
    return by_person


def _by_person(employments: Iterable[Employment]) -> dict[Hashable, list[Employment]]:
    result: dict[Hashable, list[Employment]] = defaultdict(list)
    for employment in employments:
        result[employment.person].append(employment)
    return result


def owner(spell: Spell, employments: Sequence[Employment]) -> Employment | None:
    """The employment a spell belongs to: the one holding its first day, else the first it overlaps."""
    for employment in employments:
        if employment.starts <= spell.first <= employment.last_day:
            return employment
    last = spell.last or _FAR
    for employment in employments:
        if _overlap(employment.starts, employment.last_day, spell.first, last):
            return employment
    return None


def sick_and_available_days(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> tuple[float, float]:
    """The weighted sick days and available days of the verzuimpercentage (its numerator and denominator)."""
    _check(start, end)
    return _sick_available(employments, normalise(spells), start, end)


def _sick_available(
    employments: Sequence[Employment], spells_of: dict[Hashable, list[Spell]], start: dt.date, end: dt.date
) -> tuple[float, float]:
    sick = available = 0.0
    for employment in employments:
        lo, hi = max(start, employment.starts), min(end, employment.last_day)
        if hi < lo:
            continue
        available += _days(lo, hi) * employment.part_time
        for spell in spells_of.get(employment.person, ()):
            for s0, s1, factor in spell.segments(hi):
                sick += _overlap(s0, s1, lo, hi) * factor * employment.part_time
    return sick, available


def verzuimpercentage(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> float | None:
    """100 × Σ(part-time × incapacity over sick days) / Σ(part-time over employed days); ``None`` if no one."""
    sick, available = sick_and_available_days(employments, spells, start, end)
    return 100 * sick / available if available else None


def employment_days(employments: Sequence[Employment], start: dt.date, end: dt.date) -> int:
    """Calendar days in the period inside each employment, summed (average employees × days)."""
    return sum(_overlap(e.starts, e.last_day, start, end) for e in employments)


def reports_started(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> int:
    """Spells whose first day falls in the period and that belong to an employment of the group."""
    return _reports(_by_person(employments), normalise(spells), start, end)


def _reports(
    by_person: dict[Hashable, list[Employment]],
    spells_of: dict[Hashable, list[Spell]],
    start: dt.date,
    end: dt.date,
) -> int:
    count = 0
    for person, own in spells_of.items():
        held = by_person.get(person)
        if not held:
            continue
        for spell in own:
            if start <= spell.first <= end and any(e.starts <= spell.first <= e.last_day for e in held):
                count += 1
    return count


def meldingsfrequentie(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> float | None:
    """Reports started in the period per average employee, annualised (× 365 / days); ``None`` if no one."""
    _check(start, end)
    days = _days(start, end)
    average = employment_days(employments, start, end) / days
    if not average:
        return None
    return reports_started(employments, spells, start, end) / average * 365 / days


def _owned(employments: Sequence[Employment], spells: Iterable[Spell]) -> Iterable[Spell]:
    return _owned_of(_by_person(employments), normalise(spells))


def _owned_of(
    by_person: dict[Hashable, list[Employment]], spells_of: dict[Hashable, list[Spell]]
) -> list[Spell]:
    result = []
    for person, own in spells_of.items():
        held = by_person.get(person)
        if held:
            result += [spell for spell in own if owner(spell, held) is not None]
    return result


def ended_spells(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> tuple[int, int]:
    """(number, total length in days) of the group's spells whose last day falls in the period."""
    count = total = 0
    for spell in _owned(employments, spells):
        if spell.last is not None and start <= spell.last <= end:
            count += 1
            total += _days(spell.first, spell.last)
    return count, total


def gemiddelde_verzuimduur(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> float | None:
    """Mean length (first through last sick day) of the spells that ended in the period; ``None`` if none."""
    _check(start, end)
    count, total = ended_spells(employments, spells, start, end)
    return total / count if count else None


def zero_absence_counts(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> tuple[int, int]:
    """(employees employed throughout the period, of whom without a sick day in it)."""
    return _zero(employments, normalise(spells), start, end)


def _zero(
    employments: Sequence[Employment], spells_of: dict[Hashable, list[Spell]], start: dt.date, end: dt.date
) -> tuple[int, int]:
    throughout: set[Hashable] = set()
    for e in employments:
        if e.starts <= start and e.last_day >= end:
            throughout.add(e.person)
    zero = 0
    for person in throughout:
        if not any(_overlap(s.first, s.last or end, start, end) for s in spells_of.get(person, ())):
            zero += 1
    return len(throughout), zero


def nulverzuim(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> float | None:
    """% of the employees employed throughout the period with no sick day in it; ``None`` if none were."""
    _check(start, end)
    throughout, zero = zero_absence_counts(employments, spells, start, end)
    return 100 * zero / throughout if throughout else None


def duration_class(days: int) -> str:
    for label, low, high in DURATION_CLASSES:
        if days >= low and (high is None or days <= high):
            return label
    raise ValueError(days)


def duration_classes(
    employments: Sequence[Employment], spells: Iterable[Spell], start: dt.date, end: dt.date
) -> dict[str, int]:
    """Spells running in the period, counted by length up to the period's end or their last day."""
    _check(start, end)
    counts = {label: 0 for label, _low, _high in DURATION_CLASSES}
    for spell in _owned(employments, spells):
        if _overlap(spell.first, spell.last or _FAR, start, end):
            counts[duration_class(_days(spell.first, min(spell.last or end, end)))] += 1
    return counts


def headcount(employments: Iterable[Employment], start: dt.date, end: dt.date) -> int:
    """Distinct people with an employment in the group on some day of the period."""
    return len({e.person for e in employments if _overlap(e.starts, e.last_day, start, end)})


def figures(
    employments: Sequence[Employment], spells: Sequence[Spell], start: dt.date, end: dt.date
) -> Figures:
    """Every figure of one group over one period: the functions above, sharing one pass of preparation."""
    _check(start, end)
    spells_of = normalise(spells)
    by_person = _by_person(employments)
    owned = _owned_of(by_person, spells_of)
    days = _days(start, end)
    sick, available = _sick_available(employments, spells_of, start, end)
    average = employment_days(employments, start, end) / days
    ended = [s for s in owned if s.last is not None and start <= s.last <= end]
    throughout, zero = _zero(employments, spells_of, start, end)
    classes = {label: 0 for label, _low, _high in DURATION_CLASSES}
    for spell in owned:
        if _overlap(spell.first, spell.last or _FAR, start, end):
            classes[duration_class(_days(spell.first, min(spell.last or end, end)))] += 1
    return Figures(
        employees=len({e.person for e in employments if _overlap(e.starts, e.last_day, start, end)}),
        verzuimpercentage=100 * sick / available if available else None,
        meldingsfrequentie=_reports(by_person, spells_of, start, end) / average * 365 / days
        if average
        else None,
        gemiddelde_verzuimduur=sum(_days(s.first, s.last) for s in ended if s.last) / len(ended)
        if ended
        else None,
        nulverzuim=100 * zero / throughout if throughout else None,
        duration_classes=classes,
    )
