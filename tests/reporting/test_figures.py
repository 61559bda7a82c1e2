"""The absence figures (arbo.reporting.figures) against hand-computed examples, and their laws."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arbo.reporting.figures import (
    Employment,
    Spell,
    duration_classes,
    figures,
    gemiddelde_verzuimduur,
    meldingsfrequentie,
    nulverzuim,
    part_time_factor,
    verzuimpercentage,
)

D = dt.date
APRIL = (D(2025, 4, 1), D(2025, 4, 30))  # 30 days


def test_one_full_time_employee_sick_three_days_of_thirty_is_ten_percent():
    jobs = [Employment(1, D(2020, 1, 1))]
    spells = [Spell(1, D(2025, 4, 7), D(2025, 4, 9))]

    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(10.0)


def test_part_time_weighs_both_sick_and_available_days():
    # Anna works 19 of 38 hours (factor 0.5) and is sick 10 days; Bob full-time, never sick.
    jobs = [Employment(1, D(2020, 1, 1), part_time=part_time_factor(19, 38)), Employment(2, D(2020, 1, 1))]
    spells = [Spell(1, D(2025, 4, 11), D(2025, 4, 20))]

    # sick 10 × 0.5 = 5; available 30 × 0.5 + 30 = 45
    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(100 * 5 / 45)


def test_part_time_factor_uses_the_employers_full_time_week_and_never_exceeds_one():
    assert part_time_factor(20, 40) == 0.5
    assert part_time_factor(45, 38) == 1.0
    assert part_time_factor(None, 38) == 1.0


def test_partial_recovery_lowers_the_incapacity_factor_from_its_day():
    jobs = [Employment(1, D(2020, 1, 1))]
    # Fully sick 1–10 April, 50 % back at work from 11 April, still sick at the end.
    spells = [Spell(1, D(2025, 4, 1), None, resumed=((D(2025, 4, 11), 50),))]

    # 10 × 1 + 20 × 0.5 = 20 of 30
    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(100 * 20 / 30)


def test_a_spell_crossing_the_reports_edges_counts_only_its_days_inside():
    jobs = [Employment(1, D(2020, 1, 1))]
    spells = [Spell(1, D(2025, 3, 25), D(2025, 4, 5))]

    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(100 * 5 / 30)
    # It did not start in April: no report in April; it ended in April after 12 days.
    assert meldingsfrequentie(jobs, spells, *APRIL) == 0
    assert gemiddelde_verzuimduur(jobs, spells, *APRIL) == 12
    assert duration_classes(jobs, spells, *APRIL)["1-14"] == 1
    # Running into May it is cut at the period's end for its class: 25 March – 30 April = 37 days.
    long = [Spell(1, D(2025, 3, 25), None)]
    assert duration_classes(jobs, long, *APRIL) == {
        "1-14": 0,
        "15-91": 1,
        "92-365": 0,
        "366-730": 0,
        "731+": 0,
    }
    assert gemiddelde_verzuimduur(jobs, long, *APRIL) is None


def test_added_up_periods_are_separate_reports_and_their_days_add():
    # One absence case of two periods (less than 28 days apart): two ziekmeldingen for Vernet.
    jobs = [Employment(1, D(2020, 1, 1)), Employment(2, D(2020, 1, 1))]
    spells = [Spell(1, D(2025, 4, 1), D(2025, 4, 5)), Spell(1, D(2025, 4, 15), D(2025, 4, 20))]

    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(100 * 11 / 60)
    # 2 reports / 2 employees × 365 / 30
    assert meldingsfrequentie(jobs, spells, *APRIL) == pytest.approx(2 / 2 * 365 / 30)
    assert gemiddelde_verzuimduur(jobs, spells, *APRIL) == pytest.approx((5 + 6) / 2)


def test_an_employee_who_joins_mid_period_counts_from_the_first_day_and_not_for_nulverzuim():
    jobs = [Employment(1, D(2020, 1, 1)), Employment(2, D(2025, 4, 16))]
    spells = [Spell(2, D(2025, 4, 16), D(2025, 4, 18))]

    # available 30 + 15; sick 3
    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(100 * 3 / 45)
    # average employees (30 + 15) / 30 = 1.5
    assert meldingsfrequentie(jobs, spells, *APRIL) == pytest.approx(1 / 1.5 * 365 / 30)
    # Only employee 1 was employed throughout, and was never sick.
    assert nulverzuim(jobs, spells, *APRIL) == 100.0


def test_nulverzuim_is_the_share_without_a_sick_day():
    jobs = [Employment(p, D(2020, 1, 1)) for p in range(1, 5)]
    spells = [Spell(1, D(2025, 4, 30), None), Spell(2, D(2025, 3, 1), D(2025, 3, 31))]

    # 1 sick on the last day, 2 only in March: 3 of 4 had no sick day in April.
    assert nulverzuim(jobs, spells, *APRIL) == 75.0


def test_sick_days_outside_the_employment_do_not_count():
    jobs = [Employment(1, D(2020, 1, 1), D(2025, 4, 10))]
    spells = [Spell(1, D(2025, 4, 6), None)]

    # employed 10 days, sick 5 of them
    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(50.0)


def test_no_one_in_the_group_gives_no_figure_rather_than_zero():
    result = figures([], [], *APRIL)

    assert result.employees == 0
    assert result.verzuimpercentage is None
    assert result.meldingsfrequentie is None
    assert result.nulverzuim is None


def test_overlapping_spells_of_one_person_count_each_day_once():
    jobs = [Employment(1, D(2020, 1, 1))]
    spells = [Spell(1, D(2025, 4, 1), D(2025, 4, 20)), Spell(1, D(2025, 4, 10), D(2025, 4, 30))]

    assert verzuimpercentage(jobs, spells, *APRIL) == pytest.approx(100.0)


# --- laws ------------------------------------------------------------------------------------

BASE = D(2024, 1, 1)
days = st.integers(min_value=0, max_value=900)


@st.composite
def books(draw):  # type: ignore[no-untyped-def]
    people = draw(st.integers(min_value=1, max_value=6))
    jobs, spells = [], []
    for person in range(people):
        start = BASE + dt.timedelta(days=draw(days))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=600)))
        end = None if length is None else start + dt.timedelta(days=length)
        jobs.append(Employment(person, start, end, draw(st.sampled_from([0.25, 0.5, 0.8, 1.0]))))
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            first = BASE + dt.timedelta(days=draw(days))
            sick = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
            last = None if sick is None else first + dt.timedelta(days=sick)
            resumed = ()
            if draw(st.booleans()):
                resumed = ((first + dt.timedelta(days=draw(st.integers(1, 60))), draw(st.integers(1, 99))),)
            spells.append(Spell(person, first, last, resumed))
    return jobs, spells


@st.composite
def periods(draw):  # type: ignore[no-untyped-def]
    start = BASE + dt.timedelta(days=draw(days))
    return start, start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=500)))


@settings(max_examples=200, deadline=None)
@given(books(), periods())
def test_the_percentage_lies_between_0_and_100(book, period):
    jobs, spells = book
    value = verzuimpercentage(jobs, spells, *period)

    assert value is None or 0 <= value <= 100 + 1e-9


@settings(max_examples=200, deadline=None)
@given(books(), periods(), st.sampled_from([0.5, 1.0]))
def test_adding_a_healthy_employee_never_raises_the_percentage(book, period, factor):
    jobs, spells = book
    before = verzuimpercentage(jobs, spells, *period)
    after = verzuimpercentage([*jobs, Employment("new", BASE, None, factor)], spells, *period)

    assert after is not None
    assert before is None or after <= before + 1e-9


@settings(max_examples=100, deadline=None)
@given(books(), periods())
def test_nulverzuim_is_a_share_and_classes_count_spells(book, period):
    jobs, spells = book
    zero = nulverzuim(jobs, spells, *period)
    classes = duration_classes(jobs, spells, *period)

    assert zero is None or 0 <= zero <= 100
    assert all(count >= 0 for count in classes.values())
    assert sum(classes.values()) <= len(spells)


@settings(max_examples=100, deadline=None)
@given(books(), periods())
def test_figures_together_agree_with_each_function_alone(book, period):
    jobs, spells = book
    together = figures(jobs, spells, *period)

    assert together.verzuimpercentage == verzuimpercentage(jobs, spells, *period)
    assert together.meldingsfrequentie == meldingsfrequentie(jobs, spells, *period)
    assert together.gemiddelde_verzuimduur == gemiddelde_verzuimduur(jobs, spells, *period)
    assert together.nulverzuim == nulverzuim(jobs, spells, *period)
    assert together.duration_classes == duration_classes(jobs, spells, *period)
