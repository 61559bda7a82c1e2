"""Rollups: the job's rows answer the dashboard and the API exactly as computing would."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.reporting.cache import CachedAnalysis, dashboard_periods, refresh_report_cells
from arbo.reporting.dashboard import analysis_for
from arbo.reporting.models import ReportCell
from tests import factories as f
from tests.reporting.conftest import make_book

TODAY = dt.datetime(2025, 4, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def test_the_rollups_hold_exactly_what_computing_gives_for_every_dashboard_period(db):
    employer = make_book({"Groot": 20, "Midden": 12, "Klein": 4})
    today = dt.date(2025, 4, 15)
    refresh_report_cells([employer], today)
    live = analysis_for(employer, today)

    for start, end, until in dashboard_periods(today):
        cached = CachedAnalysis(employer, today, None, start, end)
        for group in [None, *live.groups()]:
            expected, got = (
                live.row(group, start, end, until=until),
                cached.row(group, start, end, until=until),
            )
            assert (got.figures is None) == (expected.figures is None), (group, start)
            assert got.reason == expected.reason
            if expected.figures:
                assert got.figures.employees == expected.figures.employees
                assert got.figures.verzuimpercentage == pytest.approx(expected.figures.verzuimpercentage)
                assert got.figures.duration_classes == expected.figures.duration_classes


def test_running_the_job_twice_keeps_one_set_of_rows(db):
    employer = make_book({"A": 12})
    call_command("refresh_report_cells", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = ReportCell.objects.filter(employer=employer).count()
    call_command("refresh_report_cells", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert ReportCell.objects.filter(employer=employer).count() == first > 0


def test_with_rollups_the_dashboard_reads_rows_in_a_few_queries_whatever_the_size(client, db):
    counts = []
    for sizes in ({"A": 10, "B": 10}, {"A": 40, "B": 40, "C": 40}):
        employer = make_book(sizes, name=f"Werkgever {len(sizes)}")
        refresh_report_cells([employer], dt.date(2025, 4, 15))
        user = f.make_employer_user(employer)
        f.enrol_totp(user)
        client.force_login(user)
        client.get("/reports/")
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/reports/")
        assert page.status_code == 200
        assert not any("absence_sickperiod" in q["sql"] for q in queries.captured_queries)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_api_answers_the_same_from_the_rollups(db):
    from arbo.api import domain
    from tests.api.conftest import bearer

    employer = make_book({"Groot": 20, "Klein": 4})
    user = f.make_employer_user(employer)
    api = bearer(domain.create_api_client(employer, name="HR", by=user)[1])
    query = {"from": "2024-01-01", "to": "2024-12-31"}
    computed = api.get("/api/v1/reports/absence", query).json()
    refresh_report_cells([employer], dt.date(2025, 4, 15))

    assert api.get("/api/v1/reports/absence", query).json() == computed
