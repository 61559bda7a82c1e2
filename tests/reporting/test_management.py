"""The arbodienst's management view: caseloads, overdue deadlines per employer, every employer's figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.absence.models import Milestone
from tests import factories as f
from tests.reporting.conftest import add_spell, make_book

TODAY = dt.datetime(2025, 4, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


def test_the_director_sees_caseloads_overdue_notices_and_every_employers_figures(
    mfa_client, director, book, employer_a, casemanager_carla
):
    employee = book.employments.first().employee
    case = add_spell(employee, book, dt.date(2024, 5, 1), by=casemanager_carla)
    case.casemanager = casemanager_carla
    case.save()
    Milestone.objects.create(
        case=case,
        kind=Milestone.Kind.UWV_42ND_WEEK_NOTICE,
        owner=Milestone.Owner.EMPLOYER,
        due_on=dt.date(2025, 2, 20),
    )

    page = mfa_client(director).get("/reports/management/")
    html = page.content.decode()

    assert page.status_code == 200
    assert str(casemanager_carla) in html
    assert "Zuivelfabriek Zwolle BV" in html
    assert '<strong class="badge badge-danger">1</strong>' in html  # the overdue 42nd-week notice
    # The small employer (three employees) is named but its figures are not shown.
    assert "Bakkerij Aalbers BV" in html
    assert "Minder dan 10 werknemers" in html


def test_a_director_is_sent_to_the_management_view_and_may_open_an_employers_figures(
    mfa_client, director, book
):
    client = mfa_client(director)

    assert client.get("/reports/")["Location"] == "/reports/management/"
    page = client.get(f"/reports/?employer={book.pk}")
    assert page.status_code == 200
    assert "Nu ziek" not in page.content.decode()  # no personal list for staff


def test_the_management_view_costs_the_same_queries_for_more_employers(client, director):
    counts = []
    f.enrol_totp(director)
    client.force_login(director)
    for n in (1, 3):
        for i in range(n):
            make_book({"A": 10}, name=f"Werkgever {n}-{i}")
        client.get("/reports/management/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/management/").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
