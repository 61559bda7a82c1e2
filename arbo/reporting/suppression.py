"""Small-group suppression: no figure of fewer than k employees, nothing derivable by subtraction.

k is ``settings.REPORT_MIN_GROUP_SIZE`` (10 by default, never below :data:`FLOOR`).

The unit of decision is the **cell**: one group (a department, the employees without one, or an
employer in the arbodienst's view) in one calendar month. Its headcount is the number of people
with an employment in the group on some day of that month. Reports only cover whole months, so
every figure shown is built from cells, and every rule below is a rule about cells:

1. *Primary*: a cell with fewer than k people is suppressed.
2. *Complementary*: in a month with a suppressed cell, further cells of that month are suppressed
   (the smallest first) until the suppressed cells are at least two and hold at least k people
   together. The total minus the shown departments then reveals only that bundle, a group of at
   least k, never one small cell.
3. *Consistency over time*: a group's figures over a period are shown only when none of its cells
   in the period is suppressed. A long period minus a shorter one is then a set of whole shown
   months of the same group: the difference is itself a figure of at least k people.
4. The total (an employer) is shown when each of its months has at least k people.

The decisions depend on the data only, never on who asks, so combining what several users see
reveals no more than one of them sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping

from django.conf import settings

#: Never below this, whatever the setting says.
FLOOR = 5


def min_group_size() -> int:
    return max(FLOOR, int(getattr(settings, "REPORT_MIN_GROUP_SIZE", 10)))


Month = dt.date  # the first day of the month
Cells = Mapping[Hashable, Mapping[Month, frozenset[Hashable] | set[Hashable]]]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def months(start: dt.date, end: dt.date) -> list[Month]:
    """First days of the months from ``start``'s to ``end``'s, in order."""
    result, current = [], month_start(start)
    while current <= end:
        result.append(current)
        current = month_end(current) + dt.timedelta(days=1)
    return result


def suppressed_cells(cells: Cells, k: int | None = None) -> set[tuple[Hashable, Month]]:
    """The (group, month) cells that must not be shown: primary and complementary (rules 1 and 2).

    ``cells[group][month]`` is the set of people of the group in that month; the groups must
    partition the total (every person-month in exactly the groups it belongs to).
    """
    k = k or min_group_size()
    by_month: dict[Month, dict[Hashable, frozenset[Hashable] | set[Hashable]]] = {}
    for group, per_month in cells.items():
        for month, people in per_month.items():
            if people:
                by_month.setdefault(month, {})[group] = people
    suppressed: set[tuple[Hashable, Month]] = set()
    for month, groups in by_month.items():
        bundle = [g for g, people in groups.items() if len(people) < k]
        if not bundle:
            continue
        rest = sorted((g for g in groups if g not in bundle), key=lambda g: (len(groups[g]), str(g)))
        covered: set[Hashable] = set().union(*(groups[g] for g in bundle))
        while rest and (len(bundle) < 2 or len(covered) < k):
            group = rest.pop(0)
            bundle.append(group)
            covered |= groups[group]
        suppressed.update((g, month) for g in bundle)
    return suppressed


def shown(group: Hashable, period_months: Iterable[Month], suppressed: set[tuple[Hashable, Month]]) -> bool:
    """Rule 3: a group is shown over a period when none of its cells in it is suppressed."""
    return not any((group, month) in suppressed for month in period_months)


def total_shown(
    per_month_people: Mapping[Month, set[Hashable]] | Mapping[Month, frozenset[Hashable]],
    k: int | None = None,
) -> bool:
    """Rule 4: the total is shown when every month of the period holds at least k people."""
    k = k or min_group_size()
    return bool(per_month_people) and all(len(p) >= k for p in per_month_people.values())
