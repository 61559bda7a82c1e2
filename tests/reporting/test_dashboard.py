"""The employer's dashboard, its exports and who may reach them, over HTTP."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from arbo.audit.models import AuditEvent
from tests import factories as f
from tests.reporting.conftest import make_book

TODAY = dt.datetime(2025, 4, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def test_the_employer_users_home_is_the_dashboard(mfa_client, hr):
    client = mfa_client(hr)

    assert client.get("/")["Location"] == "/reports/"
    page = client.get("/reports/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "Verzuimoverzicht Zuivelfabriek Zwolle BV" in html
    assert html.count("<svg") >= 3  # two trend charts and the department bars
    assert "Productie" in html
    assert "Logistiek" in html
    assert "Kantoor" in html


def test_a_small_employer_sees_a_dash_and_the_reason_not_its_figures(mfa_client, employer_a, hr_wim):
    page = mfa_client(hr_wim).get("/reports/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "Minder dan 10 werknemers" in html
    assert "%</td>" not in html  # not one percentage


def test_another_employers_dashboard_is_a_404(mfa_client, hr, employer_b):
    client = mfa_client(hr)

    assert client.get(f"/reports/?employer={employer_b.pk}").status_code == 404
    assert client.get(f"/reports/export/afdelingen.csv?employer={employer_b.pk}").status_code == 404


def test_doctors_and_casemanagers_get_no_dashboard_and_no_management_view(mfa_client, book, doctor_bram):
    f.join_team(doctor_bram, book)
    client = mfa_client(doctor_bram)

    assert client.get("/reports/").status_code == 404
    assert client.get(f"/reports/?employer={book.pk}").status_code == 404
    assert client.get("/reports/management/").status_code == 404


def test_the_department_filter_shows_that_departments_figures(mfa_client, hr, book):
    department = book.departments.get(name="Kantoor")
    html = mfa_client(hr).get(f"/reports/?department={department.pk}").content.decode()

    assert "Verzuimcijfers Kantoor" in html


def test_xlsx_export_of_the_department_table_is_audited(mfa_client, hr, book):
    response = mfa_client(hr).get("/reports/export/afdelingen.xlsx?period=year")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("afdeling", "werknemers", "verzuimpercentage")
    labels = [r[0] for r in rows[1:]]
    assert labels == ["Zuivelfabriek Zwolle BV", "Kantoor", "Logistiek", "Productie"]
    assert all(isinstance(r[2], float) for r in rows[1:])
    event = AuditEvent.objects.get(event="reporting.exported")
    assert event.action == AuditEvent.Action.EXPORT
    assert event.data["format"] == "xlsx"


def test_csv_export_has_the_same_rows(mfa_client, hr):
    response = mfa_client(hr).get("/reports/export/trend.csv")

    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 24
    assert mfa_client(hr).get("/reports/export/nothing.csv").status_code == 404


def test_the_dashboard_costs_the_same_queries_for_more_employees(client, db):
    # The whole book is read in a fixed number of queries, whatever the size of the employer.
    small = make_book({"A": 10, "B": 10}, name="Klein BV")
    large = make_book({"A": 40, "B": 40, "C": 40}, name="Groot BV")
    counts = []
    for employer in (small, large):
        user = f.make_employer_user(employer)
        f.enrol_totp(user)
        client.force_login(user)
        client.get("/reports/")  # warm the matrix cache and the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
