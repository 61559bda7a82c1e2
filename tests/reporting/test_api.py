"""GET /api/v1/reports/absence: own employer only, whole months, suppression as null."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from arbo.api import domain
from tests import factories as f
from tests.api.conftest import bearer
from tests.reporting.conftest import make_book

TODAY = dt.datetime(2025, 4, 15, 12, tzinfo=dt.UTC)
URL = "/api/v1/reports/absence"
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def api(hr, book):  # type: ignore[no-untyped-def]
    _token, plaintext = domain.create_api_client(book, name="HR-systeem", by=hr)
    return bearer(plaintext)


def test_an_api_client_gets_its_employers_figures(api, book):
    response = api.get(URL, MARCH)

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {
        "employees",
        "verzuimpercentage",
        "meldingsfrequentie",
        "gemiddelde_verzuimduur",
        "nulverzuim",
        "duration_classes",
        "suppressed",
    }
    assert body["employer"] == book.pk
    assert body["employees"] == 37
    assert body["suppressed"] is False
    # 10 of 37 employees sick 3–12 March (10 days) of 31 days, all full-time
    assert body["verzuimpercentage"] == pytest.approx(100 * 10 * 10 / (37 * 31))
    assert body["duration_classes"]["1-14"] == 10


def test_a_department_and_a_small_department_suppressed(db, hr, book):
    small = make_book({"Groot": 15, "Klein": 3}, name="Klein en groot BV")
    user = f.make_employer_user(small)
    _token, plaintext = domain.create_api_client(small, name="HR", by=user)
    api = bearer(plaintext)
    klein = small.departments.get(name="Klein")
    groot = small.departments.get(name="Groot")

    suppressed = api.get(URL, {**MARCH, "department": klein.pk}).json()
    assert suppressed["suppressed"] is True
    assert suppressed["verzuimpercentage"] is None
    assert suppressed["employees"] is None
    # Groot alone would reveal Klein as total minus Groot: suppressed too.
    assert api.get(URL, {**MARCH, "department": groot.pk}).json()["suppressed"] is True
    assert api.get(URL, MARCH).json()["suppressed"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "to"),
        ({"from": "2025-03-02", "to": "2025-03-31"}, "detail"),
        ({"from": "2025-03-01", "to": "2025-03-30"}, "detail"),
        ({"from": "2025-04-01", "to": "2025-03-31"}, "detail"),
        ({"from": "2030-01-01", "to": "2030-01-31"}, "detail"),
        ({"from": "maart", "to": "2025-03-31"}, "from"),
        ({**MARCH, "department": "x"}, "department"),
    ],
)
def test_bad_input_is_a_400_with_a_message(api, query, field):
    response = api.get(URL, query)

    assert response.status_code == 400
    assert field in response.json()


def test_another_employer_or_its_department_is_a_404(api, employer_b):
    other = f.DepartmentFactory(employer=employer_b)

    assert api.get(URL, {**MARCH, "employer": employer_b.pk}).status_code == 404
    assert api.get(URL, {**MARCH, "department": other.pk}).status_code == 404


def test_staff_need_a_management_function_and_name_the_employer(mfa_client, director, doctor_bram, book):
    client = mfa_client(director)
    assert client.get(URL, MARCH).status_code == 400
    assert client.get(URL, {**MARCH, "employer": book.pk}).json()["suppressed"] is False
    f.join_team(doctor_bram, book)
    assert mfa_client(doctor_bram).get(URL, {**MARCH, "employer": book.pk}).status_code == 404


def test_anonymous_is_401(client, db):
    assert client.get(URL, MARCH).status_code == 401
