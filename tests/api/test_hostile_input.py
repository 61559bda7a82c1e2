"""The probe's hostile inputs to the API (issue 19): each a 4xx in JSON with a message, never a 500,
and nothing stored that the other entry paths would refuse."""

from __future__ import annotations

import json

import pytest

from arbo.absence.models import AbsenceCase
from arbo.registry.models import Employee, Employment
from tests.api.test_employees import LIST_URL, new_employee

ABSENCES = "/api/v1/absences/"
TIMELINE = "/api/v1/poortwachter/timeline"


def _counts() -> tuple[int, int]:
    return Employee.objects.count(), Employment.objects.count()


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (
            "0001-01-01",
            "De datum 1 januari 0001 ligt te ver terug: de vroegst mogelijke datum is 1 januari 1900.",
        ),
        (
            "1899-12-31",
            "De datum 31 december 1899 ligt te ver terug: de vroegst mogelijke datum is 1 januari 1900.",
        ),
        ("9999-12-31", "De geboortedatum 31 december 9999 ligt in de toekomst."),
    ],
)
def test_ancient_and_future_birth_dates_are_refused(api_a, employer_a, birth_date, message):
    before = _counts()

    response = api_a.post(LIST_URL, new_employee(birth_date=birth_date), format="json")

    assert response.status_code == 400
    assert response.json() == {"birth_date": [message]}
    assert _counts() == before


def test_far_employment_dates_are_refused(api_a, employer_a):
    body = new_employee()
    body["employment"]["starts_on"] = "9999-12-31"

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 400
    assert "ligt te ver vooruit" in response.json()["employment"]["starts_on"][0]


def test_far_future_calculator_period_is_400_not_500(api_a):
    response = api_a.get(TIMELINE, {"period": "9999-12-01/"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "De datum 1 december 9999 ligt te ver vooruit: de laatst mogelijke datum is 31 december 2100."
    }


def test_ancient_first_sick_day_is_refused(api_a, employee_of_a):
    response = api_a.post(
        ABSENCES, {"employee": employee_of_a.pk, "first_sick_day": "0001-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "ligt te ver terug" in response.json()["first_sick_day"][0]
    assert not AbsenceCase.objects.filter(employee=employee_of_a).exists()


# --- text -------------------------------------------------------------------------------------


def test_hidden_characters_are_removed_before_storing(api_a, employer_a):
    body = new_employee(surname="Dijk\x00\u200b", city="Utre\u0301cht\x07")
    body["employment"]["personnel_number"] = "NEW-001\u200b"

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 201, response.json()
    employee = Employee.objects.get(pk=response.json()["id"])
    assert (employee.surname, employee.city) == ("Dijk", "Utr\u00e9cht")
    assert employee.employments.get().personnel_number == "NEW-001"


def test_a_personnel_number_with_a_zero_width_space_is_the_same_number(api_a, employer_a):
    taken = employer_a.employments.first().personnel_number
    body = new_employee()
    body["employment"]["personnel_number"] = taken + "\u200b"
    before = _counts()

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "employment": {"personnel_number": [f"Personeelsnummer {taken} is bij deze werkgever al in gebruik."]}
    }
    assert _counts() == before


def test_a_surname_of_only_invisible_characters_is_blank(api_a, employer_a):
    response = api_a.post(LIST_URL, new_employee(surname="\u200b\u200d\x00"), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["surname"]


# --- bodies -----------------------------------------------------------------------------------


def test_deeply_nested_json_is_400(api_a, employer_a):
    body = "[" * 20_000 + "]" * 20_000  # 40 kB: under the size limit, far over the depth

    response = api_a.generic("POST", LIST_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "De JSON is te diep genest: hoogstens 8 niveaus."}


def test_nesting_inside_strings_does_not_count(api_a, employer_a):
    body = new_employee(city="[[[[[[[[[[[[{{{{{{{{{{{{")

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 201


def test_a_body_over_64_kb_is_413(api_a, employer_a):
    body = json.dumps(new_employee(first_names="A" * 70_000))

    response = api_a.generic("POST", LIST_URL, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "Het verzoek is te groot: hoogstens 64 kB."}


@pytest.mark.parametrize("body", ["{", '{"surname": NaN}', "\xff\xfe"])
def test_broken_json_is_400(api_a, employer_a, body):
    response = api_a.generic("POST", LIST_URL, body.encode("latin-1"), content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


# --- protocol ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["employee_list", "employee_detail", "absence_list", "absence_detail", "timeline"]
)
def test_options_answers_without_a_500(api_a, employee_of_a, kind):
    case = AbsenceCase.objects.create(
        employee=employee_of_a,
        employer=employee_of_a.employments.first().employer,
        first_sick_day="2025-03-03",
    )
    url = {
        "employee_list": LIST_URL,
        "employee_detail": f"{LIST_URL}{employee_of_a.pk}/",
        "absence_list": ABSENCES,
        "absence_detail": f"{ABSENCES}{case.pk}/",
        "timeline": TIMELINE,
    }[kind]

    response = api_a.options(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_options_on_another_employers_employee_is_404(api_a, employee_of_b):
    response = api_a.options(f"{LIST_URL}{employee_of_b.pk}/")

    assert response.status_code in {200, 404}
    assert "surname" not in response.content.decode() or response.status_code == 200
    assert str(employee_of_b.surname) not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/api/v1/employees/abc/", "/api/v1/nothing/", "/api/v1/absences/1/recovery/x/", "/api/nothing"]
)
def test_unknown_api_urls_are_json_404(api_a, url):
    response = api_a.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Niet gevonden."}


def test_unknown_pages_outside_the_api_stay_html(client, db):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_missing_absence_is_a_dutch_json_404(api_a, employer_a):
    response = api_a.get(f"{ABSENCES}999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_unsupported_method_is_json_405(api_a, employee_of_a):
    response = api_a.delete(f"{LIST_URL}{employee_of_a.pk}/")

    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"offset": "2"}, "offset"),  # keyset pages (issue 12): an unknown parameter
        ({"cursor": "null"}, "cursor"),
        ({"cursor": "-1"}, "cursor"),
        ({"cursor": "1" + "0" * 30}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "١٢"}, "limit"),  # Arabic-Indic digits: isdigit() but not ASCII
    ],
)
@pytest.mark.parametrize("url", [LIST_URL, ABSENCES])
def test_paging_parameters_out_of_range_are_400(api_a, employer_a, url, query, parameter):
    response = api_a.get(url, query)

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_paging_parameters_in_range_work(api_a, employer_a):
    response = api_a.get(LIST_URL, {"limit": "500"})

    assert response.status_code == 200


# --- headers (the pages' are in tests/test_headers.py) -----------------------------------------


def test_api_answers_are_not_stored(api_a, employee_of_a):
    response = api_a.get(f"/api/v1/employees/{employee_of_a.pk}/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_errors_are_not_stored_either(api_a, db):
    response = api_a.get("/api/v1/employees/abc/")

    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
