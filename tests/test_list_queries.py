"""Issue 10: the list views whose reads now go through a query function cost the same number of
queries for one object as for three (the audit of a list is one chain lock and one bulk insert)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arbo.absence.reports import domain as report_domain
from arbo.access.auditing import record_access
from arbo.audit import log
from tests import factories as f
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _queries(client, url: str, **headers: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.get(url, **headers)  # the session's first request writes what later ones do not
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _sick(employer, hr):  # type: ignore[no-untyped-def]
    employee = f.EmploymentFactory(employer=employer).employee
    report_domain.report_sick(employee, by=hr, via="portal", first_sick_day=TODAY - dt.timedelta(days=3))
    return employee


def test_the_case_list_costs_the_same_for_three_cases(
    employer_a, hr_wim, casemanager_carla, mfa_client
) -> None:
    client = mfa_client(casemanager_carla)
    _sick(employer_a, hr_wim)
    one, _ = _queries(client, reverse("absence:case_list"))
    _sick(employer_a, hr_wim)
    _sick(employer_a, hr_wim)
    three, page = _queries(client, reverse("absence:case_list"))

    assert three == one
    assert page.count('href="/absence/cases/') >= 3


def test_the_api_lists_cost_the_same_for_three_more(employer_a, hr_wim) -> None:
    from arbo.api import domain as api_domain

    _, plaintext = api_domain.create_api_client(employer_a, name="HR-systeem", by=hr_wim)
    api = bearer(plaintext)
    _sick(employer_a, hr_wim)
    employees_one, _ = _queries(api, "/api/v1/employees/")
    absences_one, _ = _queries(api, "/api/v1/absences/")
    for _ in range(3):
        _sick(employer_a, hr_wim)
    employees_more, _ = _queries(api, "/api/v1/employees/")
    absences_more, _ = _queries(api, "/api/v1/absences/")

    assert (employees_more, absences_more) == (employees_one, absences_one)


def test_who_saw_my_file_costs_the_same_for_three_readers(employee_eva, employee_of_a, mfa_client) -> None:
    employee = employee_of_a
    readers = [f.UserFactory(kind="staff") for _ in range(3)]
    client = mfa_client(employee_eva)
    record_access(
        readers[0], log.Action.READ, "registry.employee_viewed", employee, basis=log.Basis.AUTHORISATION
    )
    one, _ = _queries(client, reverse("portal:who_saw_my_file"))
    for reader in readers[1:]:
        record_access(reader, log.Action.READ, "medical.notes_viewed", employee, basis=log.Basis.TREATMENT)
    three, page = _queries(client, reverse("portal:who_saw_my_file"))

    assert three == one
    assert "las je medisch dossier" in page
