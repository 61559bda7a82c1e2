"""Sick and recovery reports through the employer API (bearer token of an employer API client)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from arbo.absence.models import AbsenceCase, SickPeriod
from arbo.audit.models import AuditEvent

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
