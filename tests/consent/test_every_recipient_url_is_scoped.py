"""The recipients' pages are the privacy officer's alone: the URL scan of issue 9 for the
``recipients`` namespace (every id filled with a real organisation; every other persona 404/405,
nothing changed, nothing audited as allowed)."""

from __future__ import annotations

import re

import pytest

from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Organisation
from tests import factories as f
from tests.url_scan import allowed_records, logged_in, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACES = ("recipients",)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)
PERSONAS = (
    "other_employee",
    "own_employer_hr",
    "own_team_casemanager",
    "own_team_director",
    "own_team_doctor",
    "applicatiebeheerder",
)


@pytest.fixture
def organisation(db) -> Organisation:  # type: ignore[no-untyped-def]
    return Organisation.objects.create(
        kind=Organisation.Kind.UWV, name="UWV Amsterdam", email="uwv@example.org", phone="0201234567"
    )


def _urls(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (name, re.sub(r"<int:\w+>", str(organisation.pk), route))
        for name, route in named_id_routes("recipients")
    ]


def test_the_scan_finds_the_recipient_urls(organisation) -> None:  # type: ignore[no-untyped-def]
    assert {name for name, _url in _urls(organisation)} == {"edit"}


@pytest.mark.parametrize("who", PERSONAS)
def test_every_recipient_url_is_closed_but_to_the_privacy_officer(
    who, organisation, employer_a, employer_b
) -> None:  # type: ignore[no-untyped-def]
    user = persona(who, employer_a, employer_b)
    client = logged_in(user)
    before = list(Organisation.objects.values_list())
    for name, url in [*_urls(organisation), ("list", "/recipients/"), ("create", "/recipients/new/")]:
        for method in ("get", "post"):
            data = {"kind": "uwv", "name": "Gekaapt", "delivery": "link"} if method == "post" else None
            response = getattr(client, method)(url, data)
            assert response.status_code in (404, 405), (who, name, method, response.status_code)
    assert list(Organisation.objects.values_list()) == before
    assert allowed_records(user) == []


def test_the_privacy_officer_reaches_them(organisation) -> None:  # type: ignore[no-untyped-def]
    fg = f.UserFactory(username="fg", kind=User.Kind.STAFF)
    f.give_function(fg, StaffFunction.PRIVACY_OFFICER)
    client = logged_in(fg)
    for _name, url in _urls(organisation):
        assert client.get(url).status_code == 200
