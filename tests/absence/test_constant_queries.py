"""Issue 12: every absence list (pages and API) and the daily signal job run the same number of SQL
statements for one object as for three (no query per row)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arbo.absence import domain
from arbo.absence.milestones.reminders import raise_signals
from arbo.absence.reports import domain as report_domain
from arbo.access import care
from arbo.api.domain import create_api_client
from tests import factories as f
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2025, 1, 6)


def _sick(employer, hr, casemanager, doctor, n: int) -> None:  # type: ignore[no-untyped-def]
    """``n`` open cases at ``employer``, each with a casemanager and a treating doctor."""
    with time_machine.travel(dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC), tick=False):
        for _ in range(n):
            employee = f.EmploymentFactory(employer=employer).employee
            case = report_domain.report_sick(employee, by=hr, via="portal", first_sick_day=FIRST_DAY).case
            domain.assign_casemanager(case, casemanager, by=casemanager)
            care.assign_treating_doctor(employee, doctor, by=doctor)


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm up: session and authenticator lookups of a first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def world(employer_a, hr_wim, casemanager_carla, doctor_bram):  # type: ignore[no-untyped-def]
    return employer_a, hr_wim, casemanager_carla, doctor_bram


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("casemanager", reverse("absence:case_list")),
        ("casemanager", reverse("absence:caseload")),
        ("casemanager", reverse("absence:caseload") + "?overdue=1"),
        ("hr", reverse("absence:case_list")),
        ("doctor", reverse("absence:caseload")),
    ],
)
def test_absence_pages_cost_the_same_for_one_and_three_cases(mfa_client, world, who, url) -> None:
    employer, hr, casemanager, doctor = world
    user = {"casemanager": casemanager, "hr": hr, "doctor": doctor}[who]
    with time_machine.travel(dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC), tick=False):  # tasks overdue
        _sick(employer, hr, casemanager, doctor, 1)
        client = mfa_client(user)
        one = _count(client, url)
        _sick(employer, hr, casemanager, doctor, 2)
        three = _count(client, url)

    assert one == three


@pytest.mark.parametrize("url", [reverse("api:absence_list"), reverse("api:employee_list")])
def test_api_lists_cost_the_same_for_one_and_three_rows(world, url) -> None:
    employer, hr, casemanager, doctor = world
    api = bearer(create_api_client(employer, name="HR-systeem", by=hr)[1])
    _sick(employer, hr, casemanager, doctor, 1)
    one = _count(api, url)
    _sick(employer, hr, casemanager, doctor, 2)
    three = _count(api, url)

    assert one == three


def test_the_signal_job_costs_the_same_for_one_and_three_cases(world) -> None:
    employer, hr, casemanager, doctor = world
    for user in (hr, casemanager, doctor):
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    _sick(employer, hr, casemanager, doctor, 1)
    with CaptureQueriesContext(connection) as one:
        first = raise_signals(dt.date(2025, 10, 30))  # doctor, casemanager and employer tasks overdue
    _sick(employer, hr, casemanager, doctor, 2)
    with CaptureQueriesContext(connection) as three:
        second = raise_signals(dt.date(2025, 10, 30))  # only the two new cases' signals

    assert len(second.created) == 2 * len(first.created)
    assert len(one) == len(three)
