"""The poortwachter deadline engine (arbo.absence.milestones.timeline) and the working-day calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arbo.absence.milestones import timeline
from arbo.absence.milestones.timeline import (
    MILESTONE_DAYS,
    Period,
    TimelineError,
    counted_day,
    counted_days_before,
    current_case,
    evaluation_due,
    milestones,
    parse_period,
    split_cases,
)
from arbo.absence.workdays import easter_sunday, first_working_day_after, is_working_day, public_holidays

D = dt.date
DAY = dt.timedelta(days=1)


def after_fit_days(previous: Period, fit_days: int, *, last: dt.date | None = None, **kwargs) -> Period:  # type: ignore[no-untyped-def]
    """The period whose first sick day follows ``fit_days`` fit days after ``previous``."""
    assert previous.last is not None
    return Period(previous.last + (fit_days + 1) * DAY, last, **kwargs)


# --- the worked example (research/domain.md §2.3) ---------------------------------------------


def test_worked_example_two_periods_move_the_end_of_wage_payment_by_the_gap():
    periods = [Period(D(2022, 1, 3), D(2022, 7, 3)), Period(D(2022, 7, 25))]

    due = milestones(periods)

    assert due["wage_payment_end"] == D(2024, 1, 21)
    assert counted_days_before(current_case(periods), D(2022, 7, 25)) == 182


def test_worked_example_one_open_period_ends_wage_payment_on_day_728():
    due = milestones([Period(D(2022, 1, 3))])

    assert due == {
        "report_to_arbodienst": D(2022, 1, 9),
        "probleemanalyse": D(2022, 2, 13),
        "plan_van_aanpak": D(2022, 2, 27),
        # Day 294 is Sunday 23 October 2022: the notice is due on Monday.
        "uwv_42nd_week_notice": D(2022, 10, 24),
        "eerstejaarsevaluatie": D(2023, 1, 1),
        "riv_to_employee": D(2023, 10, 1),
        "wia_application": D(2023, 10, 15),
        "wage_payment_end": D(2023, 12, 31),
    }
    assert list(due) == list(MILESTONE_DAYS)


def test_a_closed_last_period_gets_the_dates_it_would_have_had_it_gone_on():
    closed = milestones([Period(D(2022, 1, 3), D(2022, 1, 20))])

    assert closed == milestones([Period(D(2022, 1, 3))])


# --- adding up (BW 7:629 lid 10) ---------------------------------------------------------------


def test_27_fit_days_add_up_and_do_not_count():
    first = Period(D(2024, 1, 1), D(2024, 1, 10))
    second = after_fit_days(first, 27)

    cases = split_cases([first, second])

    assert second.first == D(2024, 2, 7)
    assert cases == [[first, second]]
    assert counted_day(cases[0], 10) == D(2024, 1, 10)
    assert counted_day(cases[0], 11) == D(2024, 2, 7)
    assert milestones([first, second])["report_to_arbodienst"] == D(2024, 1, 7)
    assert milestones([first, second])["probleemanalyse"] == D(2024, 1, 1) + (41 + 27) * DAY


def test_28_fit_days_start_a_new_case():
    first = Period(D(2024, 1, 1), D(2024, 1, 10))
    second = after_fit_days(first, 28)

    cases = split_cases([first, second])

    assert second.first == D(2024, 2, 8)
    assert cases == [[first], [second]]
    assert current_case([first, second]) == [second]
    assert milestones([first, second]) == milestones([Period(D(2024, 2, 8))])


def test_a_period_right_after_pregnancy_leave_adds_up_whatever_the_gap():
    before_leave = Period(D(2024, 1, 1), D(2024, 2, 29))
    after_leave = Period(D(2024, 8, 1), after_pregnancy_leave=True)

    case = current_case([before_leave, after_leave])

    assert case == [before_leave, after_leave]
    assert counted_days_before(case, after_leave.first) == 60
    assert counted_day(case, 61) == D(2024, 8, 1)


def test_adjacent_periods_with_no_fit_days_add_up():
    first = Period(D(2024, 1, 1), D(2024, 1, 10))
    second = Period(D(2024, 1, 11))

    assert split_cases([first, second]) == [[first, second]]
    assert milestones([first, second]) == milestones([Period(D(2024, 1, 1))])


def test_three_cases_only_the_last_counts():
    periods = [
        Period(D(2023, 1, 2), D(2023, 1, 5)),
        Period(D(2023, 6, 1), D(2023, 6, 30)),
        Period(D(2023, 7, 10), D(2023, 7, 20)),
        Period(D(2023, 9, 1)),
    ]

    cases = split_cases(periods)

    assert cases == [periods[:1], periods[1:3], periods[3:]]
    assert milestones(periods)["report_to_arbodienst"] == D(2023, 9, 7)


def test_counted_days_before_counts_only_sick_days_of_the_case():
    case = [Period(D(2024, 1, 1), D(2024, 1, 10)), Period(D(2024, 1, 20))]
    closed = [Period(D(2024, 1, 1), D(2024, 1, 10)), Period(D(2024, 1, 20), D(2024, 1, 21))]

    assert counted_days_before(case, D(2024, 1, 1)) == 0
    assert counted_days_before(case, D(2024, 1, 5)) == 4
    assert counted_days_before(case, D(2024, 1, 15)) == 10
    assert counted_days_before(case, D(2024, 1, 20)) == 10
    assert counted_days_before(case, D(2024, 1, 25)) == 15
    assert counted_days_before(closed, D(2024, 1, 25)) == 12


def test_evaluations_fall_due_six_weeks_after_the_previous_one():
    assert evaluation_due(D(2024, 3, 1)) == D(2024, 4, 12)


# --- working days (Algemene termijnenwet art. 3) -----------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2024, 1, 1), "Nieuwjaarsdag"),
        (D(2024, 3, 29), "Goede Vrijdag"),
        (D(2024, 4, 1), "Tweede Paasdag"),
        (D(2024, 4, 27), "Koningsdag"),
        (D(2024, 5, 5), "Bevrijdingsdag"),
        (D(2024, 5, 9), "Hemelvaartsdag"),
        (D(2024, 5, 20), "Tweede Pinksterdag"),
        (D(2024, 12, 25), "Eerste Kerstdag"),
        (D(2024, 12, 26), "Tweede Kerstdag"),
        (D(2025, 4, 26), "Koningsdag"),  # 27 April 2025 is a Sunday
        (D(2023, 4, 27), "Koningsdag"),
        (D(2013, 4, 30), "Koningsdag"),  # Koninginnedag before 2014
    ],
)
def test_public_holidays(day, name):
    assert public_holidays(day.year)[day] == name


def test_easter_sunday_matches_known_dates():
    assert easter_sunday(2024) == D(2024, 3, 31)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2038) == D(2038, 4, 25)
    assert easter_sunday(2285) == D(2285, 3, 22)


def test_easter_sunday_agrees_with_dateutil():
    easter = pytest.importorskip("dateutil.easter").easter

    assert all(easter_sunday(year) == easter(year) for year in range(1900, 2200))


def test_sundays_of_easter_and_whitsun_and_saturdays_are_no_working_days_but_no_holidays_either():
    holidays = public_holidays(2024)

    assert D(2024, 3, 31) not in holidays
    assert is_working_day(D(2024, 3, 31)) is False
    assert is_working_day(D(2024, 5, 19)) is False
    assert is_working_day(D(2024, 5, 18)) is False
    assert is_working_day(D(2024, 5, 21)) is True


def test_days_equated_by_royal_decree_are_no_working_days():
    assert is_working_day(D(2024, 5, 10)) is False  # Friday after Ascension
    assert is_working_day(D(2024, 12, 27)) is False
    assert is_working_day(D(2026, 1, 2)) is False
    assert D(2026, 1, 2) in public_holidays(2026)


def test_first_working_day_after_skips_weekends_and_holidays():
    assert first_working_day_after(D(2024, 3, 27)) == D(2024, 3, 28)
    assert first_working_day_after(D(2024, 3, 28)) == D(2024, 4, 2)
    assert first_working_day_after(D(2024, 12, 24)) == D(2024, 12, 30)
    assert first_working_day_after(D(2025, 12, 31)) == D(2026, 1, 5)


@pytest.mark.parametrize(
    ("day_294", "notice"),
    [
        (D(2024, 3, 26), D(2024, 3, 27)),  # Tuesday: the next day
        (D(2024, 3, 28), D(2024, 4, 2)),  # Good Friday, weekend, Easter Monday
        (D(2024, 5, 8), D(2024, 5, 13)),  # Ascension, the decreed Friday, weekend
        (D(2023, 4, 26), D(2023, 5, 1)),  # Koningsdag 2023 and its decreed Friday
        (D(2024, 12, 24), D(2024, 12, 30)),  # Christmas and the decreed 27th
        (D(2024, 6, 7), D(2024, 6, 10)),  # Friday: Monday
    ],
)
def test_the_42nd_week_notice_moves_past_weekends_and_holidays(day_294, notice):
    periods = [Period(day_294 - 293 * DAY)]

    due = milestones(periods)

    assert counted_day(periods, 294) == day_294
    assert due["uwv_42nd_week_notice"] == notice


# --- bad input ------------------------------------------------------------------------------------


def test_parse_period_reads_closed_and_open_periods():
    assert parse_period("2024-01-08/2024-02-20") == Period(D(2024, 1, 8), D(2024, 2, 20))
    assert parse_period(" 2024-03-04/ ") == Period(D(2024, 3, 4))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "/",
        "2024-01-08",
        "2024-01-08/2024",
        "20240108/",
        "2024-13-01/",
        "2024-02-30/",
        "abc/",
        "2024-1-8/",
    ],
)
def test_parse_period_refuses_malformed_text(text):
    with pytest.raises(TimelineError) as error:
        parse_period(text)

    assert "periode" in error.value.message.lower()


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(TimelineError, match="ligt vóór de eerste ziektedag"):
        parse_period("2024-02-20/2024-01-08")


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([Period(D(2024, 3, 1), D(2024, 3, 10)), Period(D(2024, 1, 1), D(2024, 1, 5))], "op volgorde"),
        ([Period(D(2024, 1, 1), D(2024, 1, 10)), Period(D(2024, 1, 10))], "overlapt"),
        ([Period(D(2024, 1, 1), D(2024, 1, 10)), Period(D(2024, 1, 1))], "op volgorde"),
        ([Period(D(2024, 1, 1)), Period(D(2024, 3, 1))], "Alleen de laatste periode mag open zijn"),
        ([], "minstens één"),
    ],
)
def test_invalid_period_lists_are_refused(periods, message):
    with pytest.raises(TimelineError, match=message):
        milestones(periods)


def test_split_cases_validates_too():
    with pytest.raises(TimelineError):
        split_cases([Period(D(2024, 1, 1)), Period(D(2024, 3, 1))])


def test_counted_day_starts_at_one():
    with pytest.raises(TimelineError):
        counted_day([Period(D(2024, 1, 1))], 0)


# --- properties over random period lists -----------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def period_lists(draw, *, max_gap: int = 60):  # type: ignore[no-untyped-def]
    """Valid period lists: closed periods, then one open period (or a closed one)."""
    day = draw(st.dates(D(2015, 1, 1), D(2032, 12, 31)))
    periods: list[Period] = []
    for _ in range(draw(st.integers(0, 4))):
        length = draw(st.integers(1, 200))
        periods.append(Period(day, day + (length - 1) * DAY, after_pregnancy_leave=draw(st.booleans())))
        day = day + (length + draw(st.integers(0, max_gap))) * DAY
    last = None if draw(st.booleans()) else day + draw(st.integers(0, 400)) * DAY
    periods.append(Period(day, last, after_pregnancy_leave=draw(st.booleans())))
    return periods


@PROPERTY_SETTINGS
@given(period_lists())
def test_due_dates_never_decrease_along_the_timeline(periods):
    dates = list(milestones(periods).values())

    assert dates == sorted(dates)


@PROPERTY_SETTINGS
@given(period_lists())
def test_the_uwv_notice_is_always_a_working_day_after_day_294(periods):
    case = current_case(periods)

    notice = milestones(periods)["uwv_42nd_week_notice"]

    assert is_working_day(notice)
    assert notice > counted_day(case, 294)
    assert all(
        not is_working_day(counted_day(case, 294) + n * DAY)
        for n in range(1, (notice - counted_day(case, 294)).days)
    )


@PROPERTY_SETTINGS
@given(period_lists())
def test_counted_days_before_inverts_counted_day_on_sick_days(periods):
    # Open the last period: a closed one has no sick days beyond its end to count.
    case = current_case([*periods[:-1], Period(periods[-1].first, None, periods[-1].after_pregnancy_leave)])

    for k in (1, 7, 42, 200, 294, 728):
        assert counted_days_before(case, counted_day(case, k)) == k - 1


@PROPERTY_SETTINGS
@given(
    period_lists(),
    st.integers(0, 26),
    st.integers(1, 27),
    st.booleans(),
)
def test_a_gap_under_28_fit_days_shifts_every_later_milestone_by_the_gap(periods, base_gap, extra, flag):
    # The last period of `periods` becomes the one before the gap; a new open period follows it.
    extra = min(extra, 27 - base_gap)
    before = periods[:-1] + [Period(periods[-1].first, periods[-1].last or periods[-1].first)]
    tight = before + [after_fit_days(before[-1], base_gap, after_pregnancy_leave=flag)]
    loose = before + [after_fit_days(before[-1], base_gap + extra, after_pregnancy_leave=flag)]
    tight_case, loose_case = current_case(tight), current_case(loose)
    tight_due, loose_due = milestones(tight), milestones(loose)

    for name, k in MILESTONE_DAYS.items():
        in_last_period = counted_day(tight_case, k) >= tight[-1].first
        shift = extra * DAY if in_last_period else dt.timedelta(0)
        assert counted_day(loose_case, k) == counted_day(tight_case, k) + shift
        if name == "uwv_42nd_week_notice":
            assert loose_due[name] == first_working_day_after(counted_day(tight_case, k) + shift)
        else:
            assert loose_due[name] == tight_due[name] + shift


@PROPERTY_SETTINGS
@given(period_lists(), st.integers(28, 400))
def test_a_gap_of_28_fit_days_or_more_starts_afresh(periods, gap):
    before = periods[:-1] + [Period(periods[-1].first, periods[-1].last or periods[-1].first)]
    last = after_fit_days(before[-1], gap)

    due = milestones([*before, last])

    assert current_case([*before, last]) == [last]
    assert due == milestones([Period(last.first)])


@PROPERTY_SETTINGS
@given(period_lists())
def test_split_cases_keeps_every_period_once_in_order(periods):
    cases = split_cases(periods)

    assert [p for case in cases for p in case] == periods
    for earlier, later in zip(cases, cases[1:], strict=False):
        assert not timeline.adds_up(earlier[-1], later[0])


def test_milestones_beyond_year_9999_are_a_timeline_error_not_an_overflow():
    # Issue 19: counted_day overflowed (a 500) for a period starting in December 9999.
    with pytest.raises(TimelineError, match="te ver in de toekomst"):
        milestones([Period(dt.date(9999, 12, 1))])
