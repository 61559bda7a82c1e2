"""Rollups: the job's rows answer the dashboard and the API exactly as computing would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arbo.absence.models import SickPeriod
from arbo.identity.models import User
from arbo.registry.models import Department, Employment
from arbo.reporting.cache import CachedAnalysis, dashboard_periods, refresh_report_cells
from arbo.reporting.dashboard import analysis_for
from arbo.reporting.models import ReportCell
from tests import factories as f
from tests.reporting.conftest import add_spell, make_book

D = dt.date

TODAY = dt.datetime(2025, 4, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def _hard_book():  # type: ignore[no-untyped-def]
    """make_book plus what the SQL path must get right: partial recoveries (one before a cut start),
    overlapping and nested spells, an open spell, a joiner, a leaver, a move between departments,
    part-time hours, pregnancy, a withdrawn period and employees without a department."""
    employer = make_book({"Groot": 20, "Midden": 12, "Klein": 4, "": 11})
    by = f.UserFactory(kind=User.Kind.STAFF)
    groot, midden = (Department.objects.get(employer=employer, name=n) for n in ("Groot", "Midden"))
    people = list(Employment.objects.filter(employer=employer).select_related("employee")[:12])

    def person(n):  # type: ignore[no-untyped-def]
        return people[n].employee

    add_spell(person(0), employer, D(2024, 11, 4), D(2025, 2, 20), by=by, partial=(D(2025, 1, 6), 50))
    add_spell(person(0), employer, D(2025, 1, 10), D(2025, 3, 30), by=by, partial=(D(2025, 1, 20), 25))
    add_spell(person(0), employer, D(2025, 2, 1), D(2025, 2, 10), by=by)  # nested: dropped
    add_spell(person(1), employer, D(2025, 2, 17), None, by=by, partial=(D(2025, 3, 17), 75))
    add_spell(person(1), employer, D(2025, 3, 20), D(2025, 3, 25), by=by)  # after an open one
    add_spell(person(2), employer, D(2024, 6, 1), D(2025, 4, 2), by=by, pregnancy=True)
    withdrawn = add_spell(person(3), employer, D(2025, 1, 6), D(2025, 1, 30), by=by)
    SickPeriod.objects.filter(case=withdrawn).update(withdrawn_at=timezone.now())
    Employment.objects.filter(pk=people[4].pk).update(ends_on=D(2024, 12, 31))
    add_spell(person(4), employer, D(2024, 12, 20), D(2025, 1, 14), by=by)  # a leaver sick at the end
    f.EmploymentFactory(
        employee=person(4), employer=employer, department=midden, starts_on=D(2025, 1, 1), hours_per_week=20
    )
    joiner = f.EmploymentFactory(
        employer=employer, department=groot, starts_on=D(2025, 2, 10), hours_per_week=24
    )
    add_spell(joiner.employee, employer, D(2025, 2, 12), D(2025, 2, 13), by=by)
    Employment.objects.filter(pk=people[5].pk).update(hours_per_week=Decimal("19.5"))
    add_spell(person(5), employer, D(2023, 6, 1), D(2025, 1, 3), by=by, partial=(D(2024, 1, 1), 50))
    return employer


@pytest.mark.parametrize("method", ["python", "sql"])
def test_the_rollups_hold_exactly_what_computing_gives_for_every_dashboard_period(db, method):
    if method == "sql" and connection.vendor != "postgresql":
        pytest.skip("the SQL path runs on PostgreSQL (CI)")
    employer = _hard_book()
    today = dt.date(2025, 4, 15)
    refresh_report_cells([employer], today, method=method)
    live = analysis_for(employer, today)
    shown = 0

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
                shown += 1
                for name in (
                    "verzuimpercentage",
                    "meldingsfrequentie",
                    "gemiddelde_verzuimduur",
                    "nulverzuim",
                ):
                    assert getattr(got.figures, name) == pytest.approx(getattr(expected.figures, name)), (
                        name,
                        group,
                        start,
                    )
                assert got.figures.duration_classes == expected.figures.duration_classes
    assert shown > 50


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
