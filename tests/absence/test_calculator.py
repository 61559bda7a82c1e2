"""The poortwachter calculator: the page at /absence/calculator/ and GET /api/v1/poortwachter/timeline."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from arbo.absence.milestones.timeline import MILESTONE_DAYS
from arbo.api import domain as api_domain
from arbo.audit.models import AuditEvent

PAGE = reverse("absence:calculator")
API = "/api/v1/poortwachter/timeline"

#: The worked example of research/domain.md §2.3: sick 3 Jan–3 Jul 2022, fit 21 days, sick again.
WORKED_EXAMPLE = ["2022-01-03/2022-07-03", "2022-07-25/"]
WORKED_EXAMPLE_ANSWER = {
    "case_start": "2022-01-03",
    "counted_days_until_last_start": 182,
    "milestones": {
        "report_to_arbodienst": "2022-01-09",
        "probleemanalyse": "2022-02-13",
        "plan_van_aanpak": "2022-02-27",
        # Day 294 is Sunday 13 November 2022 (the 21 fit days pushed it on).
        "uwv_42nd_week_notice": "2022-11-14",
        "eerstejaarsevaluatie": "2023-01-22",
        "riv_to_employee": "2023-10-22",
        "wia_application": "2023-11-05",
        "wage_payment_end": "2024-01-21",
    },
}


def rows(*periods: tuple[str, str] | tuple[str, str, bool]) -> dict[str, str]:
    """GET data of the calculator's formset for the given (first, last[, after leave]) rows."""
    data = {"p-TOTAL_FORMS": str(len(periods)), "p-INITIAL_FORMS": "0"}
    for i, period in enumerate(periods):
        data[f"p-{i}-first"], data[f"p-{i}-last"] = period[0], period[1]
        if len(period) == 3 and period[2]:
            data[f"p-{i}-after_pregnancy_leave"] = "on"
    return data


def milestone_row(html: str, name: str) -> str:
    match = re.search(rf'<tr id="milestone-{name}">(.*?)</tr>', html, re.S)
    assert match, name
    return match.group(1)


# --- the page ---------------------------------------------------------------------------------------


def test_page_offers_empty_rows_and_no_result(mfa_client, casemanager_carla):
    response = mfa_client(casemanager_carla).get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="date"') == 6  # three rows of first and last day
    assert 'name="p-TOTAL_FORMS" value="3"' in html
    assert "Uitkomst" not in html


def test_page_shows_the_worked_example(mfa_client, casemanager_carla):
    client = mfa_client(casemanager_carla)
    events_before = AuditEvent.objects.count()

    response = client.get(PAGE, rows(("2022-01-03", "2022-07-03"), ("2022-07-25", ""), ("", "")))

    html = response.content.decode()
    assert response.status_code == 200
    assert "maandag 3 januari 2022" in html
    assert "zondag 21 januari 2024" in milestone_row(html, "wage_payment_end")
    assert "Einde loondoorbetaling" in milestone_row(html, "wage_payment_end")
    assert "maandag 14 november 2022" in milestone_row(html, "uwv_42nd_week_notice")
    assert "eerste werkdag na dag 294 (week 42)" in milestone_row(html, "uwv_42nd_week_notice")
    assert "dag 728 (week 104)" in milestone_row(html, "wage_payment_end")
    assert re.search(r"vóór de laatste periode</dt>\s*<dd>182</dd>", html)
    # The entered rows come back, with two empty rows to add more.
    assert 'name="p-TOTAL_FORMS" value="4"' in html
    assert 'name="p-0-first" value="2022-01-03"' in html
    assert 'name="p-1-first" value="2022-07-25"' in html
    assert AuditEvent.objects.count() == events_before


def test_page_ignores_periods_before_28_fit_days_and_says_so(mfa_client, employee_eva):
    response = mfa_client(employee_eva).get(PAGE, rows(("2024-01-01", "2024-01-10"), ("2024-02-08", "")))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Eén eerdere periode telt niet mee" in html
    assert "woensdag 14 februari 2024" in milestone_row(html, "report_to_arbodienst")


def test_page_adds_up_after_pregnancy_leave(mfa_client, casemanager_carla):
    response = mfa_client(casemanager_carla).get(
        PAGE, rows(("2024-01-01", "2024-01-10"), ("2024-06-03", "", True))
    )

    html = response.content.decode()
    assert "eerdere periode" not in html
    assert re.search(r"vóór de laatste periode</dt>\s*<dd>10</dd>", html)


def test_page_explains_a_closed_last_period(mfa_client, casemanager_carla):
    response = mfa_client(casemanager_carla).get(PAGE, rows(("2022-01-03", "2022-01-20")))

    html = response.content.decode()
    assert "De laatste periode is afgesloten" in html
    assert "zondag 31 december 2023" in milestone_row(html, "wage_payment_end")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            rows(("2024-01-01", "2024-01-10"), ("2024-01-05", "")),
            "Periode 2 (vanaf 5 januari 2024) overlapt met periode 1",
        ),
        (rows(("2024-03-01", ""), ("2024-04-01", "")), "Alleen de laatste periode mag open zijn"),
        (rows(("2024-03-01", "2024-02-01")), "ligt vóór de eerste ziektedag"),
        (rows(("2024-03-01", "2024-03-05"), ("2024-01-01", "")), "zet de periodes op volgorde"),
        (rows(("", ""), ("", "")), "Vul minstens één ziekteperiode in."),
        (rows(("", "2024-03-05")), "Vul de eerste ziektedag in."),
        (rows(("2024-02-30", "")), "Controleer de ingevulde data."),
        # Issue 19: far-future and ancient dates were an OverflowError (500).
        (rows(("9999-12-01", "")), "De datum 1 december 9999 ligt te ver vooruit"),
        (rows(("2024-01-01", "9999-12-31")), "ligt te ver vooruit"),
        (rows(("0001-01-01", "")), "ligt te ver terug"),
    ],
)
def test_page_refuses_bad_input_with_a_dutch_message(mfa_client, casemanager_carla, data, message):
    response = mfa_client(casemanager_carla).get(PAGE, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Uitkomst" not in html
    assert 'id="milestone-' not in html


def test_page_needs_a_login(client, db):
    response = client.get(PAGE, rows(("2024-01-01", "")))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_page_takes_no_posts(mfa_client, casemanager_carla):
    response = mfa_client(casemanager_carla).post(PAGE, rows(("2024-01-01", "")))

    assert response.status_code == 405


# --- the API ----------------------------------------------------------------------------------------


@pytest.fixture
def api_client(hr_wim) -> APIClient:  # type: ignore[no-untyped-def]
    _token, plaintext = api_domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR-systeem", by=hr_wim
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


def test_api_answers_the_worked_example(api_client):
    response = api_client.get(API, {"period": WORKED_EXAMPLE})

    assert response.status_code == 200
    assert response.json() == WORKED_EXAMPLE_ANSWER
    assert list(response.json()["milestones"]) == list(MILESTONE_DAYS)


def test_api_answers_the_documented_example(api_client):
    response = api_client.get(f"{API}?period=2024-01-08/2024-02-20&period=2024-03-04/")

    body = response.json()
    assert response.status_code == 200
    assert body["case_start"] == "2024-01-08"
    assert body["counted_days_until_last_start"] == 44
    assert body["milestones"]["report_to_arbodienst"] == "2024-01-14"
    # Day 56 falls in the second period: 12 fit days later than from an unbroken start.
    assert body["milestones"]["plan_van_aanpak"] == "2024-03-15"


def test_api_ignores_an_earlier_case(api_client):
    response = api_client.get(API, {"period": ["2023-01-02/2023-02-01", "2023-03-02/"]})

    body = response.json()
    assert body["case_start"] == "2023-03-02"
    assert body["counted_days_until_last_start"] == 0
    assert body["milestones"]["report_to_arbodienst"] == "2023-03-08"


def test_api_accepts_a_signed_in_browser_session(mfa_client, employee_eva):
    response = mfa_client(employee_eva).get(API, {"period": WORKED_EXAMPLE})

    assert response.status_code == 200
    assert response.json() == WORKED_EXAMPLE_ANSWER


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([], "Geef minstens één periode op"),
        (["2024-01-08"], "Ongeldige periode '2024-01-08'"),
        (["08-01-2024/"], "Ongeldige periode"),
        (["2024-02-30/"], "niet bestaat"),
        (["2024-01-08/2024-02-20"], "De laatste periode moet nog lopen"),
        (["2024-01-08/2024-02-20", "2024-02-01/"], "overlapt"),
        (["2024-03-01/2024-03-05", "2024-01-01/"], "op volgorde"),
        (["2024-01-01/", "2024-03-01/"], "Alleen de laatste periode mag open zijn"),
        (["2024-02-20/2024-01-08", "2024-03-01/"], "ligt vóór de eerste ziektedag"),
        # Issue 19: far-future and ancient dates were an OverflowError (500).
        (["9999-12-01/"], "De datum 1 december 9999 ligt te ver vooruit"),
        (["2024-01-01/9999-12-31", "9999-12-31/"], "ligt te ver vooruit"),
        (["0001-01-01/"], "De datum 1 januari 0001 ligt te ver terug"),
    ],
)
def test_api_refuses_bad_periods_with_400(api_client, periods, message):
    response = api_client.get(API, {"period": periods})

    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert message in response.json()["detail"]


def test_api_refuses_anonymous_callers_with_401(db):
    response = APIClient().get(API, {"period": WORKED_EXAMPLE})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "milestones" not in response.content.decode()


def test_api_refuses_a_wrong_token(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer arbo_nope_nope")

    response = client.get(API, {"period": WORKED_EXAMPLE})

    assert response.status_code == 401


def test_api_is_documented_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][API]["get"]
    (parameter,) = operation["parameters"]
    assert parameter["name"] == "period"
    assert parameter["in"] == "query"
    assert parameter["required"] is True
    assert parameter["schema"]["type"] == "array"
    assert set(operation["responses"]) == {"200", "400", "401"}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][answer]["properties"]
    assert set(properties) == {"case_start", "counted_days_until_last_start", "milestones"}
    milestones_ref = (
        properties["milestones"]["allOf"][0]["$ref"]
        if "allOf" in properties["milestones"]
        else properties["milestones"]["$ref"]
    )
    assert set(schema["components"]["schemas"][milestones_ref.rsplit("/", 1)[1]]["properties"]) == set(
        MILESTONE_DAYS
    )
