"""Every retention URL that names an object (a legal hold, a change to the schedule) is closed to
everyone but the privacy office (issue 9's URL scan, for the retention schedule of issue 14).

The ids are read from the URLconf and filled with a standing hold on employer A's employee and a
pending change; every persona outside the office gets 404 or 405 on GET and POST, the hold stays,
the change stays pending, and nothing the persona did is audited as allowed. The privacy officer
lifting the hold is the control case. (The directeur may decide schedule changes: four eyes.)
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.retention import domain
from arbo.retention.models import LegalHold, RuleChange
from tests import factories as f
from tests.retention.test_office import FIFTEEN
from tests.url_scan import allowed_records, logged_in, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACES = ("retention",)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)
PERSONAS = (
    "other_employee",
    "other_employer_hr",
    "own_employer_hr",
    "own_team_casemanager",
    "other_team_doctor",
)


@pytest.fixture
def office(employee_of_a):  # type: ignore[no-untyped-def]
    fg = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(fg, StaffFunction.PRIVACY_OFFICER)
    hold = domain.place_hold(
        employee=employee_of_a,
        reason="labour_dispute",
        review_on=timezone.localdate() + dt.timedelta(days=30),
        by=fg,
    )
    change = domain.request_rule_change("medical_file", FIFTEEN, reason="Seed 002", by=fg)
    return fg, hold, change


def _urls(hold: LegalHold, change: RuleChange) -> list[tuple[str, str]]:
    ids = {"hold_id": hold.pk, "change_id": change.pk}
    return [
        (name, re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), route))
        for name, route in named_id_routes("retention")
    ]


def test_the_scan_finds_the_retention_urls(office) -> None:  # type: ignore[no-untyped-def]
    _fg, hold, change = office
    assert {name for name, _url in _urls(hold, change)} >= {"lift", "decide"}


@pytest.mark.parametrize("who", PERSONAS)
def test_every_retention_url_is_closed_outside_the_office(who, office, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    _fg, hold, change = office
    user = persona(who, employer_a, employer_b)
    client = logged_in(user)
    for name, url in _urls(hold, change):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"decision": "approve"} if method == "post" else None)
            assert response.status_code in (404, 405), (who, name, method, response.status_code)
    hold.refresh_from_db()
    change.refresh_from_db()
    assert (hold.lifted_at, change.status) == (None, RuleChange.Status.PENDING)
    assert allowed_records(user) == []


def test_the_privacy_officer_lifts_the_hold(office) -> None:  # type: ignore[no-untyped-def]
    fg, hold, change = office
    client = logged_in(fg)
    lift = dict(_urls(hold, change))["lift"]
    assert client.post(lift).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None
