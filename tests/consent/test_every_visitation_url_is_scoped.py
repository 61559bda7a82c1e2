"""Every visitation URL that names an object is closed to everyone but the visiting doctor (and the
privacy officer, who opened it): the URL scan of issue 9 for the ``visitation`` namespace.

The URLs are read from the URLconf, each id filled with a running visitation and a sampled
employee of employer A, and requested with GET and POST as users outside it (among them doctors
on A's team and the visited doctor): 404 or 405, nothing changed, nothing audited as allowed.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from arbo.access import care
from arbo.consent import visitation
from arbo.consent.models import Visitation
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f
from tests.medical.conftest import login
from tests.url_scan import allowed_records, logged_in, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACES = ("visitation",)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)
PERSONAS = (
    "other_employee",
    "own_employer_hr",
    "other_employer_hr",
    "own_team_casemanager",
    "own_team_director",
    "own_team_doctor",
    "other_team_doctor",
    "lone_doctor",
)


@pytest.fixture
def running(employee_of_a, employer_a) -> Visitation:  # type: ignore[no-untyped-def]
    visited = f.UserFactory(username="visited", kind=User.Kind.STAFF)
    f.give_function(visited, StaffFunction.BEDRIJFSARTS)
    f.join_team(visited, employer_a)
    care.assign_treating_doctor(employee_of_a, visited, by=visited)
    visitor = f.UserFactory(username="visitor", kind=User.Kind.STAFF)
    f.give_function(visitor, StaffFunction.BEDRIJFSARTS)
    fg = f.UserFactory(username="fg", kind=User.Kind.STAFF)
    f.give_function(fg, StaffFunction.PRIVACY_OFFICER)
    now = timezone.now()
    return visitation.open_visitation(
        fg,
        visiting_doctor=visitor,
        visited_doctor=visited,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(days=1),
        sample_size=5,
    )


def _urls(running: Visitation) -> list[tuple[str, str]]:
    employee = running.sample.get()
    return [
        (
            name,
            re.sub(
                r"<int:employee_id>", str(employee.pk), re.sub(r"<int:visitation_id>", str(running.pk), route)
            ),
        )
        for name, route in named_id_routes("visitation")
    ]


def test_the_scan_finds_the_visitation_urls(running) -> None:  # type: ignore[no-untyped-def]
    assert {name for name, _url in _urls(running)} == {"detail", "end", "file"}
    assert all("<" not in url for _name, url in _urls(running))


@pytest.mark.parametrize("who", PERSONAS)
def test_every_visitation_url_is_closed_outside_the_visitation(who, running, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    user = persona(who, employer_a, employer_b)
    client = logged_in(user)
    before = list(Visitation.objects.values_list())
    for name, url in _urls(running):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), (who, name, method, response.status_code)
    assert list(Visitation.objects.values_list()) == before
    assert allowed_records(user) == []


def test_the_visited_doctor_is_outside_too(running) -> None:  # type: ignore[no-untyped-def]
    client = logged_in(running.visited_doctor)
    for name, url in _urls(running):
        assert client.get(url).status_code in (404, 405), name


def test_the_visiting_doctor_reads_and_the_privacy_officer_ends(running) -> None:  # type: ignore[no-untyped-def]
    urls = dict(_urls(running))
    visitor = login(running.visiting_doctor)
    assert visitor.get(urls["detail"]).status_code == 200
    assert visitor.get(urls["file"]).status_code == 200
    assert visitor.post(urls["end"]).status_code == 404
    assert login(running.opened_by).post(urls["end"]).status_code == 302
    assert visitor.get(urls["file"]).status_code == 404
