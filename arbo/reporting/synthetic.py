"""Synthetic absence with the national shape, for the demo history and ``generate_book``.

Per employee about one sick report a year (CBS: the meldingsfrequentie is about 1), most short,
a long tail past a year, so that the verzuimpercentage comes out near 5 % (CBS 2023–2024: 5.0–5.4).
Long absences get a partial recovery half-way. Pure: a seeded ``random.Random`` in, dates out.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

#: (share, shortest, longest) of sick-period lengths in days.
LENGTHS: tuple[tuple[float, int, int], ...] = (
    (0.55, 1, 5),
    (0.25, 6, 14),
    (0.12, 15, 42),
    (0.05, 43, 182),
    (0.025, 183, 365),
    (0.005, 366, 730),
)
REPORTS_PER_YEAR = 1.0


@dataclass(frozen=True)
class SyntheticSpell:
    first: dt.date
    last: dt.date | None
    #: (day, percentage resumed) of a partial recovery, or ``None``
    partial: tuple[dt.date, int] | None = None


def _length(rng: random.Random) -> int:
    roll, acc = rng.random(), 0.0
    for share, low, high in LENGTHS:
        acc += share
        if roll <= acc:
            return rng.randint(low, high)
    return rng.randint(1, 5)


def spells(rng: random.Random, start: dt.date, end: dt.date, today: dt.date) -> list[SyntheticSpell]:
    """Non-overlapping spells of one employee between ``start`` and ``end`` (a spell may still run)."""
    result: list[SyntheticSpell] = []
    day = start
    rate = REPORTS_PER_YEAR / 365
    while True:
        day += dt.timedelta(days=int(rng.expovariate(rate)) + 1)
        if day > end or day > today:
            return result
        length = _length(rng)
        last = day + dt.timedelta(days=length - 1)
        partial = None
        if length > 42:
            partial = (day + dt.timedelta(days=length // 2), rng.choice([25, 50, 50, 75]))
        if last >= today:
            result.append(SyntheticSpell(day, None, partial if partial and partial[0] <= today else None))
            return result
        result.append(SyntheticSpell(day, last, partial))
        day = last + dt.timedelta(days=1)
