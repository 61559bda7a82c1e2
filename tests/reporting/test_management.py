"""The arbodienst's management view: caseloads, overdue deadlines per employer, every employer's figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.absence.models import Milestone
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
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


def test_the_director_sees_open_requests_complaints_and_incidents_as_counts_only(
    mfa_client, director, employer_a, employee_of_a, employee_eva
):
    from arbo.privacy.breaches.domain import report_breach
    from arbo.privacy.complaints import domain as complaints
    from arbo.privacy.rights import domain as rights
    from arbo.privacy.rights.models import RightsRequest

    fg_piet = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(fg_piet, StaffFunction.PRIVACY_OFFICER)
    rights.file_request(by=employee_eva, employee=employee_of_a, kind=RightsRequest.Kind.ACCESS)
    complaints.file_complaint(
        by=fg_piet,
        kind="wkkgz",
        description="Klacht over de wachttijd bij Canarie-Klager.",
        complainant=employee_of_a,
        received_on=dt.date(2025, 1, 2),
    )
    complaints.file_complaint(
        by=fg_piet, kind="wkkgz", description="Nog een klacht.", complainant=employee_of_a
    )
    report_breach(
        by=fg_piet,
        summary="Canarie-Laptop kwijt",
        description="In de trein laten liggen.",
        data_description="Verzuimoverzichten",
        data_categories=["A"],
        people_estimate=12,
        aware_at=TODAY - dt.timedelta(days=4),
    )

    page = mfa_client(director).get("/reports/management/")
    html = page.content.decode()

    assert page.status_code == 200
    rows = {
        label: html.split(label, 1)[1].split("</tr>", 1)[0]
        for label in ("Klachten", "Incidenten en datalekken", "Verzoeken van betrokkenen (AVG)")
    }
    assert "<td>2</td>" in rows["Klachten"]
    assert '<strong class="badge badge-danger">1</strong>' in rows["Klachten"]  # due 2025-02-13
    assert '<strong class="badge badge-danger">1</strong>' in rows["Incidenten en datalekken"]
    assert "<td>1</td>" in rows["Verzoeken van betrokkenen (AVG)"]
    assert "Canarie" not in html  # counts only: no content of a complaint or an incident
