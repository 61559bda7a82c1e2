"""Sick and recovery reports through the employer API (bearer token of an employer API client)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from arbo.absence.models import AbsenceCase, SickPeriod
from arbo.audit.models import AuditEvent
from tests import factories as f

LIST = reverse("api:absence_list")


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_report_sick_and_recovery_through_the_api(api_a, employee_of_a) -> None:
    response = api_a.post(
        LIST,
        {
            "employee": employee_of_a.pk,
            "first_sick_day": "2025-02-24",
            "expected_duration": "weeks",
            "phone": "0612",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["periods"][0]["first_sick_day"] == "2025-02-24"
    assert "phone" not in body["periods"][0]
    case = AbsenceCase.objects.get()
    assert case.periods.get().reported_via == "api"

    recovery = api_a.post(
        reverse("api:absence_recovery", args=[case.pk]),
        {"kind": "full", "recovered_on": "2025-03-03"},
        format="json",
    )
    assert recovery.status_code == 200
    assert recovery.json()["status"] == "recovered"
    assert AuditEvent.objects.filter(event="absence.recovery_reported").count() == 1


def test_medical_remark_is_refused_with_a_clear_message(api_a, employee_of_a) -> None:
    response = api_a.post(
        LIST,
        {"employee": employee_of_a.pk, "first_sick_day": "2025-03-03", "remarks": "Migraine, ligt op bed"},
        format="json",
    )
    assert response.status_code == 400
    assert "migraine" in response.json()["remarks"][0]
    assert not SickPeriod.objects.exists()


def test_other_employers_employees_and_cases_are_404(api_a, api_b, employee_of_a) -> None:
    assert (
        api_b.post(
            LIST, {"employee": employee_of_a.pk, "first_sick_day": "2025-03-03"}, format="json"
        ).status_code
        == 404
    )
    api_a.post(LIST, {"employee": employee_of_a.pk, "first_sick_day": "2025-03-03"}, format="json")
    case = AbsenceCase.objects.get()
    assert api_b.get(reverse("api:absence_detail", args=[case.pk])).status_code == 404
    assert api_b.get(LIST).json()["results"] == []
    assert api_a.get(reverse("api:absence_detail", args=[case.pk])).status_code == 200


def test_unauthenticated_is_refused(client, db) -> None:
    assert client.get(LIST).status_code in (401, 403)


def test_schema_documents_the_absence_endpoints_without_b_or_c(api_a) -> None:
    schema = api_a.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    report = schema["components"]["schemas"]["SickReportRequest"]["properties"]
    assert {"employee", "first_sick_day", "remarks", "safety_net"} <= set(report)
    assert "safety_net_kind" not in repr(schema)
    assert "after_pregnancy_leave" not in repr(schema)


def _report_sick(api, employer) -> int:  # type: ignore[no-untyped-def]
    employee = f.EmploymentFactory(employer=employer).employee
    response = api.post(LIST, {"employee": employee.pk, "first_sick_day": "2025-03-03"}, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_the_list_pages_by_cursor_and_a_case_reported_meanwhile_is_neither_lost_nor_repeated(
    api_a, employer_a
) -> None:
    """Issue 12: keyset pages, last registered first, no count of the whole list."""
    first_five = [_report_sick(api_a, employer_a) for _ in range(5)]
    page = api_a.get(LIST, {"limit": 2}).json()
    assert set(page) == {"next", "previous", "results"}
    seen = [case["id"] for case in page["results"]]
    newer = _report_sick(api_a, employer_a)  # while the client pages through
    while page["next"]:
        page = api_a.get(page["next"]).json()
        seen += [case["id"] for case in page["results"]]
    assert seen == sorted(first_five, reverse=True)
    assert api_a.get(LIST).json()["results"][0]["id"] == newer


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": base64.b64encode(b"p=abc").decode()},
        {"cursor": base64.b64encode(b"p=" + b"9" * 30).decode()},
        {"offset": "2"},
        {"limit": "0"},
    ],
)
def test_a_malformed_cursor_an_offset_or_a_bad_limit_is_a_400_naming_it(api_a, employer_a, params) -> None:
    _report_sick(api_a, employer_a)
    response = api_a.get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)
