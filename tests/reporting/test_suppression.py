"""Small-group suppression: the rules, and an attack on the demo that tries every department and
every period of whole months and checks that no small group can be derived by subtraction."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from arbo.registry.models import Employer
from arbo.reporting import suppression
from arbo.reporting.report import NO_DEPARTMENT, Analysis
from arbo.reporting.suppression import month_end, months, suppressed_cells
from tests.reporting.conftest import make_book

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def people(n: int, offset: int = 0) -> set[int]:
    return set(range(offset, offset + n))


def test_a_small_cell_is_suppressed_with_the_smallest_other_so_the_total_reveals_only_both():
    cells = {"big": {JAN: people(30)}, "mid": {JAN: people(12, 100)}, "small": {JAN: people(3, 200)}}

    assert suppressed_cells(cells, 10) == {("small", JAN), ("mid", JAN)}


def test_the_bundle_grows_until_it_holds_k_people():
    cells = {
        "a": {JAN: people(3)},
        "b": {JAN: people(4, 100)},
        "c": {JAN: people(11, 200)},
        "d": {JAN: people(40, 300)},
    }

    # a and b are both small and together only 7: c joins the bundle.
    assert suppressed_cells(cells, 10) == {("a", JAN), ("b", JAN), ("c", JAN)}


def test_months_are_decided_apart_and_large_groups_stay():
    cells = {"a": {JAN: people(12), FEB: people(9)}, "b": {JAN: people(15, 50), FEB: people(15, 50)}}

    assert suppressed_cells(cells, 10) == {("a", FEB), ("b", FEB)}


def test_k_is_never_below_five(settings):
    settings.REPORT_MIN_GROUP_SIZE = 2
    assert suppression.min_group_size() == 5
    settings.REPORT_MIN_GROUP_SIZE = 12
    assert suppression.min_group_size() == 12


def test_a_department_that_shrinks_below_k_is_hidden_for_every_period_holding_that_month(db):
    employer = make_book({"Groot": 20, "Krimp": 10})
    leaver = employer.employments.filter(department__name="Krimp").first()
    leaver.ends_on = dt.date(2024, 6, 30)
    leaver.save()
    analysis = Analysis(employer, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    krimp = employer.departments.get(name="Krimp").pk

    # January–June it still has 10; from July 9.
    assert analysis.row(krimp, dt.date(2024, 1, 1), dt.date(2024, 6, 30), until=dt.date(2024, 12, 31)).figures
    assert (
        analysis.row(krimp, dt.date(2024, 1, 1), dt.date(2024, 12, 31), until=dt.date(2024, 12, 31)).figures
        is None
    )
    # and its complement (Groot) with it, for the months where Krimp is small
    groot = employer.departments.get(name="Groot").pk
    assert (
        analysis.row(groot, dt.date(2024, 7, 1), dt.date(2024, 7, 31), until=dt.date(2024, 12, 31)).figures
        is None
    )
    # the total stays
    assert analysis.row(None, dt.date(2024, 1, 1), dt.date(2024, 12, 31), until=dt.date(2024, 12, 31)).figures


def _attack(analysis: Analysis, window: list[dt.date], today: dt.date) -> None:
    groups = analysis.groups()
    columns = {(g, m): i for i, (g, m) in enumerate((g, m) for g in groups for m in window)}
    shown_rows = []
    for a in range(len(window)):
        for b in range(a, len(window)):
            period = window[a : b + 1]
            start, end = period[0], month_end(period[-1])
            for group in [None, *groups]:
                row = analysis.row(group, start, end, until=today)
                if row.figures is None:
                    continue
                assert row.figures.employees >= analysis.k, (group, start, end)
                vector = np.zeros(len(columns))
                for g in groups if group is None else [group]:
                    for m in period:
                        vector[columns[(g, m)]] = 1
                shown_rows.append(vector)
    matrix = np.array(shown_rows)
    rank = np.linalg.matrix_rank(matrix)
    small = {
        (g, m) for g in groups for m in window if 0 < len(analysis.cells.get(g, {}).get(m, ())) < analysis.k
    }
    assert small <= analysis.suppressed
    for cell in analysis.suppressed:
        if cell[1] not in window:
            continue
        probe = np.zeros(len(columns))
        probe[columns[cell]] = 1
        # Derivable means: the cell's indicator lies in the span of what was shown.
        assert np.linalg.matrix_rank(np.vstack([matrix, probe])) == rank + 1, f"derivable: {cell}"


def test_no_small_group_of_the_demo_can_be_derived_from_any_department_and_period(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    today = timezone.localdate()
    first = dt.date(today.year - 1, 1, 1)
    window = months(first, today)
    attacked = 0
    for employer in Employer.objects.all():
        analysis = Analysis(employer, first, month_end(today))
        _attack(analysis, window, today)
        attacked += bool(analysis.suppressed)
    assert attacked  # the demo's bakery has a department of four: there was something to find


def test_the_attack_would_find_a_leak_without_complementary_suppression(db, monkeypatch):
    employer = make_book({"Groot": 20, "Midden": 12, "Klein": 4})
    today = dt.date(2025, 6, 30)
    window = months(dt.date(2025, 1, 1), today)
    monkeypatch.setattr(
        suppression,
        "suppressed_cells",
        lambda cells, k=None: {(g, m) for g, per in cells.items() for m, p in per.items() if len(p) < 10},
    )
    analysis = Analysis(employer, window[0], today)

    with pytest.raises(AssertionError, match="derivable"):
        _attack(analysis, window, today)


def test_employees_without_a_department_are_a_group_of_their_own(db):
    employer = make_book({"Productie": 20, "": 3})
    analysis = Analysis(employer, dt.date(2025, 1, 1), dt.date(2025, 3, 31))

    assert NO_DEPARTMENT in analysis.groups()
    row = analysis.row(NO_DEPARTMENT, dt.date(2025, 1, 1), dt.date(2025, 3, 31), until=dt.date(2025, 3, 31))
    assert row.figures is None
    assert row.reason == "primary"
    productie = employer.departments.get().pk
    assert (
        analysis.row(productie, dt.date(2025, 1, 1), dt.date(2025, 3, 31), until=dt.date(2025, 3, 31)).figures
        is None
    )
