"""The answer term of a data-subject request (arbo.privacy.rights.clock) and its API."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from arbo.absence.workdays import is_working_day
from arbo.api import domain as api_domain
from arbo.privacy.complaints.terms import add_months
from arbo.privacy.rights.clock import due_date, may_extend

D = dt.date
API = "/api/v1/privacy/deadline"
received_days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))


@given(received_days)
@settings(max_examples=500, deadline=None)  # a loaded CI machine is no failure of the rule
def test_the_term_is_never_before_one_calendar_month(received: dt.date) -> None:
    assert due_date(received) >= add_months(received, 1)


@given(received_days, st.booleans())
@settings(max_examples=500, deadline=None)  # a loaded CI machine is no failure of the rule
def test_the_term_never_ends_on_a_weekend_or_holiday(received: dt.date, extended: bool) -> None:
    due = due_date(received, extended=extended)
    assert due.weekday() < 5
    assert is_working_day(due)


@given(received_days, st.booleans())
@settings(max_examples=500, deadline=None)  # a loaded CI machine is no failure of the rule
def test_the_term_ends_on_the_first_working_day_from_the_calendar_date(
    received: dt.date, extended: bool
) -> None:
    calendar_end = add_months(received, 3 if extended else 1)
    due = due_date(received, extended=extended)
    day = calendar_end
    while day < due:
        assert not is_working_day(day)
        day += dt.timedelta(days=1)


@given(received_days)
@settings(max_examples=500, deadline=None)  # a loaded CI machine is no failure of the rule
def test_the_extension_adds_at_most_two_months(received: dt.date) -> None:
    extended = due_date(received, extended=True)
    assert extended > due_date(received)
    # At most two months after the first month's calendar end, save the working-day roll.
    latest = add_months(received, 3)
    assert extended >= latest
    assert all(not is_working_day(latest + dt.timedelta(days=n)) for n in range((extended - latest).days))


@given(received_days, st.integers(min_value=-40, max_value=120))
@settings(deadline=None)
def test_an_extension_is_possible_only_while_the_first_month_runs(received: dt.date, offset: int) -> None:
    on = received + dt.timedelta(days=offset)
    assert may_extend(received, on) == (received <= on <= due_date(received))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 1, 31), D(2026, 3, 2)),  # 28 Feb 2026 is a Saturday → Monday 2 March
        (D(2024, 1, 31), D(2024, 2, 29)),  # leap year: 29 Feb, a Thursday
        (D(2026, 3, 27), D(2026, 4, 28)),  # 27 April is King's Day (a Monday) → 28 April
        (D(2026, 11, 25), D(2026, 12, 28)),  # 25 Dec and 26 Dec are holidays, 27 Dec a Sunday
    ],
)
def test_worked_examples(received: dt.date, due: dt.date) -> None:
    assert due_date(received) == due


# --- the API ----------------------------------------------------------------------------------------


@pytest.fixture
def api_client(hr_wim) -> APIClient:  # type: ignore[no-untyped-def]
    _token, plaintext = api_domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR-systeem", by=hr_wim
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def test_api_answers_the_due_date(api_client) -> None:  # type: ignore[no-untyped-def]
    assert api_client.get(API, {"received": "2026-01-31"}).json() == {"due": "2026-03-02"}
    assert api_client.get(API, {"received": "2026-01-31", "extended": "1"}).json() == {"due": "2026-04-30"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Geef de ontvangstdatum op"),
        ({"received": "31-01-2026"}, "Ongeldige ontvangstdatum"),
        ({"received": "2999-01-01"}, "toekomst"),
        ({"received": "2026-01-31", "extended": "yes"}, "extended is 0 of 1"),
        ({"received": "2026-01-31", "kind": "x"}, "Onbekende queryparameter: kind"),
    ],
)
def test_api_refuses_bad_input_with_400(api_client, params, message) -> None:  # type: ignore[no-untyped-def]
    response = api_client.get(API, params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_api_refuses_anonymous_callers_with_401(db) -> None:  # type: ignore[no-untyped-def]
    assert APIClient().get(API, {"received": "2026-01-31"}).status_code == 401


def test_api_is_documented_in_the_schema(api_client) -> None:  # type: ignore[no-untyped-def]
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"received", "extended"}
    assert set(operation["responses"]) == {"200", "400", "401"}
