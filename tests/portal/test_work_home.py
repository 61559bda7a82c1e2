"""Each role starts on its own work (issue 18): the home page per role, over HTTP.

The demo personas land where their work is and see their demo work; the page reads through the
visibility querysets and audits every employee it names; it costs the same queries for one case
as for three.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from arbo.absence.reports import domain as report_domain
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db

#: Where each demo persona lands, and a section of their home that holds demo work.
LANDING = {
    "bram.arts": ("/portal/work/", ["milestones", "advice", "answers"]),
    "carla.cm": ("/portal/work/", ["milestones", "new_cases", "without_plan", "documents"]),
    "tim.td": ("/portal/work/", ["new_cases"]),
    "vera.vm": ("/portal/work/", ["new_cases"]),
    "sara.sec": ("/portal/work/", ["paper"]),
    "paul.planner": ("/portal/work/", ["slots"]),
    "dirk.directeur": ("/portal/work/", ["decisions"]),
    "mia.mm": ("/portal/work/", ["decisions"]),
    "anna.beheer": ("/portal/work/", ["my_requests"]),
    "eva.werknemer": ("/portal/work/", ["appointments", "to_read", "requests"]),
    "wim.hr": ("/reports/", []),
    "hanna.hr": ("/reports/", []),
    "piet.privacy": ("/privacy/", []),
}


def _client(user: User) -> Client:
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def _sections_with_work(html: str) -> set[str]:
    """Keys of the sections that list at least one row."""
    found = set()
    for key, body in re.findall(r'data-section="([a-z_]+)">(.*?)</section>', html, re.S):
        if '<ul class="work-list">' in body:
            found.add(key)
    return found


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_every_demo_persona_lands_on_a_home_with_their_work(demo, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    for username, (landing, sections) in LANDING.items():
        client = _client(User.objects.get(username=username))
        home = client.get("/")
        assert home.status_code == 302, username
        assert home["Location"] == landing, username
        page = client.get(landing)
        assert page.status_code == 200, username
        html = page.content.decode()
        assert set(sections) <= _sections_with_work(html), (username, _sections_with_work(html))
        # Every link on the home page works for this person (no 404, no 500).
        if landing == "/portal/work/":
            for url in sorted(set(re.findall(r'<a href="(/[^"#]*)"', html))):
                if url.startswith(("/accounts/", "/i18n/")):
                    continue
                assert client.get(url, follow=True).status_code == 200, (username, url)


def test_the_employee_is_told_whose_data_the_medical_part_is(demo) -> None:  # type: ignore[no-untyped-def]
    html = _client(User.objects.get(username="eva.werknemer")).get("/portal/work/").content.decode()
    assert "<h1>Welkom, Eva</h1>" in html
    assert "je werkgever nooit" in html


def test_employer_users_and_suppliers_have_no_work_page(hr_wim) -> None:  # type: ignore[no-untyped-def]
    assert _client(hr_wim).get("/portal/work/").status_code == 404


def test_the_secretary_sees_no_absence_work(secretary_sara, employee_of_a, hr_wim) -> None:  # type: ignore[no-untyped-def]
    report_domain.report_sick(employee_of_a, by=hr_wim, via="portal", first_sick_day=dt.date.today())
    html = _client(secretary_sara).get("/portal/work/").content.decode()
    assert employee_of_a.full_name not in html
    assert 'data-section="new_cases"' not in html
    assert 'data-section="paper"' in html


def _report(employee, by, first):  # type: ignore[no-untyped-def]
    return report_domain.report_sick(employee, by=by, via="portal", first_sick_day=first)


def test_the_casemanagers_home_lists_the_cases_audits_them_and_costs_the_same_queries(  # type: ignore[no-untyped-def]
    casemanager_carla, employer_a, hr_wim
) -> None:
    employees = [e.employee for e in employer_a.employments.order_by("pk")]
    client = _client(casemanager_carla)
    counts = []
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        for n, employee in enumerate(employees):  # 1, 2 and 3 open cases
            _report(employee, hr_wim, dt.date(2025, 1, 6) + dt.timedelta(days=n))
            client.get("/portal/work/")
            with CaptureQueriesContext(connection) as queries:
                html = client.get("/portal/work/").content.decode()
            counts.append(len(queries))
        events = AuditEvent.objects.filter(event="portal.work_viewed", actor=casemanager_carla)
        last_view = list(events.order_by("-seq")[: len(employees)])
    assert counts[0] == counts[2], counts
    for employee in employees:
        assert employee.full_name in html
    assert {e.subject_id for e in last_view} == {e.pk for e in employees}
    assert {e.category for e in last_view} == {"A"}
    # Reported in January, no plan of approach on 3 March (week 8): listed as without a plan.
    without_plan = re.search(r'data-section="without_plan">(.*?)</section>', html, re.S)
    assert without_plan is not None
    assert all(e.full_name in without_plan.group(1) for e in employees)


def test_font_subsetting_is_not_logged_line_by_line() -> None:
    """Issue 18: seed_demo and the worker printed a fontTools line per font table at INFO."""
    import logging

    assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
    assert logging.getLogger("fontTools.subset").isEnabledFor(logging.WARNING)
