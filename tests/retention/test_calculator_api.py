"""GET /api/v1/privacy/retention and the schedule page's calculator."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from arbo.api import domain as api_domain
from arbo.audit.models import AuditEvent

API = "/api/v1/privacy/retention"


@pytest.fixture
def api_client(hr_wim) -> APIClient:  # type: ignore[no-untyped-def]
    _token, plaintext = api_domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR-systeem", by=hr_wim
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "pre_employment_exam", "exam_date": "2023-08-31"}, "2024-02-29"),
        ({"kind": "medical_file", "last_change": "2004-02-29"}, "2024-02-29"),
        ({"kind": "wvp_file", "end_of_employment": "2024-02-29"}, "2026-02-28"),
        ({"kind": "wvp_file", "case_closed": "2023-05-31"}, "2025-05-31"),
        ({"kind": "wvp_file"}, None),
        ({"kind": "erd_wga", "end_of_employment": "2020-02-29"}, "2030-02-28"),
        (
            {"kind": "exposure_biological", "exposure_end": "2016-02-29", "persistent_or_latent": "1"},
            "2056-02-29",
        ),
        (
            {"kind": "exposure_biological", "exposure_end": "2016-02-29", "persistent_or_latent": "0"},
            "2026-02-28",
        ),
        (
            {"kind": "exposure_radiation", "exposure_end": "2000-01-01", "birth_date": "1960-02-29"},
            "2035-02-28",
        ),
        ({"kind": "exposure_radiation", "birth_date": "1960-02-29"}, None),
        ({"kind": "rights_request", "handled": "2024-02-29"}, "2026-02-28"),
        ({"kind": "audit_log", "logged": "2021-01-31"}, "2026-01-31"),
    ],
)
def test_the_api_answers_from_the_schedule(api_client, query, expected) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    response = api_client.get(API, query)

    assert response.status_code == 200, response.json()
    assert response.json()["destroy_after"] == expected
    assert response.json()["kind"] == query["kind"]
    assert AuditEvent.objects.count() == before  # no personal data, no audit record


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Geef de soort op"),
        ({"kind": "shoebox"}, "Onbekende soort: shoebox."),
        ({"kind": "pre_employment_exam"}, "Geef exam_date op"),
        ({"kind": "pre_employment_exam", "exam_date": "2023-02-29"}, "exam_date is geen datum"),
        ({"kind": "pre_employment_exam", "exam_date": "2023-8-31"}, "exam_date is geen datum"),
        (
            {"kind": "pre_employment_exam", "exam_date": "2023-08-31", "handled": "2023-08-31"},
            "kent het gegeven handled",
        ),
        ({"kind": "exposure_radiation", "exposure_end": "2000-01-01"}, "Geef birth_date op"),
        (
            {"kind": "exposure_biological", "exposure_end": "2016-02-29", "persistent_or_latent": "yes"},
            "0 of 1",
        ),
        ({"kind": "medical_file", "last_change": "3000-01-01"}, "tussen 1900-01-01 en 2100-12-31"),
    ],
)
def test_bad_input_is_a_400_with_a_message(api_client, query, message) -> None:  # type: ignore[no-untyped-def]
    response = api_client.get(API, query)

    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_message_has_an_english_translation() -> None:
    from django.utils import translation

    from arbo.retention.terms import Term, TermError, parse_facts

    with translation.override("en"), pytest.raises(TermError) as error:
        parse_facts(Term("pre_employment_exam", "exam_date", months=6), {})
    assert error.value.message == "Give exam_date (YYYY-MM-DD)."


@pytest.mark.django_db
def test_anonymous_callers_get_a_401() -> None:
    assert APIClient().get(API, {"kind": "audit_log", "logged": "2021-01-01"}).status_code == 401


def test_the_schema_documents_the_calculator(api_client) -> None:  # type: ignore[no-untyped-def]
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][API]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "kind",
        "end_of_employment",
        "case_closed",
        "last_change",
        "exam_date",
        "exposure_end",
        "birth_date",
        "handled",
        "persistent_or_latent",
    } <= names
    assert {"200", "400", "401"} <= set(operation["responses"])


def test_the_page_calculates_for_staff(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    page = client.get(reverse("retention:schedule"))
    assert page.status_code == 200
    assert "pre_employment_exam" in page.content.decode()

    answer = client.get(
        reverse("retention:schedule"), {"kind": "pre_employment_exam", "exam_date": "2023-08-31"}
    )
    assert "Wordt vernietigd op 29 februari 2024." in answer.content.decode()

    refused = client.get(
        reverse("retention:schedule"), {"kind": "pre_employment_exam", "exam_date": "31-08-2023"}
    )
    assert "exam_date is geen datum" in refused.content.decode()


def test_the_page_is_not_for_employees_or_employers(mfa_client, employee_eva, hr_wim) -> None:  # type: ignore[no-untyped-def]
    assert mfa_client(employee_eva).get(reverse("retention:schedule")).status_code == 404
    assert mfa_client(hr_wim).get(reverse("retention:schedule")).status_code == 404
