"""Every access, care, identity and journal URL that names an object is closed to personas outside
their rights (issue 9, item 7).

As the medical, absence and prevention scans: the URL list is read from the URLconf (every named
URL of the scanned namespaces with an ``<int:...>`` id), each id filled with a real object of its
kind, requested with GET and POST as every demo-like persona. The answer must be 404 or 405 and no
row of the access, identity, registry or journal tables may change, except on the pages
:data:`ALLOWED` lists for a persona (with the reason); those run in a rolled-back savepoint and must
answer. The D-only functions are among the personas: they may *ask* for a treating doctor, never
make one, and reach no care request, emergency access or account page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from arbo.access import care, care_requests
from arbo.access import domain as access_domain
from arbo.access.models_care import DoctorTeamMember
from arbo.identity import domain as identity_domain
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f
from tests.url_scan import allowed_records, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACES = ("care", "access", "identity", "journal")
TABLES = ("access", "identity", "registry", "journal")

PERSONAS = (
    "other_employer_hr",
    "other_employee",
    "other_team_casemanager",
    "other_team_doctor",
    "own_team_casemanager",
    "own_employer_hr",
    "own_team_planner",
    "own_team_director",
    "own_team_financieel",
    "own_team_arbeidshygienist",
    "own_team_secretariaat",
)

_ASK = "a D-changer on the team may ask for a treating doctor (it opens nothing: care_requests)"
_JOURNAL = "the journal takes entries of the categories the persona changes (D at least)"

#: Pages legitimately open to a persona, and why. Anything else must answer 404 or 405.
ALLOWED: dict[str, dict[str, str]] = {
    "own_team_casemanager": {"request_treating_doctor": _ASK, "add_entry": _JOURNAL},
    "own_team_planner": {"request_treating_doctor": _ASK, "add_entry": _JOURNAL},
    "own_team_financieel": {"request_treating_doctor": _ASK, "add_entry": _JOURNAL},
    "own_team_secretariaat": {"request_treating_doctor": _ASK, "add_entry": _JOURNAL},
    "own_team_director": {
        "request_treating_doctor": _ASK,
        "add_entry": _JOURNAL,
        # The board: decides on function requests and matrix changes, requests functions.
        "user_detail": "the board opens staff accounts to decide on functions",
        "function_request": "management asks for functions (seed 000 §7)",
        "function_approve": "the board decides (four eyes with the requester)",
        "function_reject": "the board decides",
        "function_revoke": "the board revokes",
        "matrix_change_approve": "the board decides matrix changes",
        "matrix_change_reject": "the board decides matrix changes",
    },
}


@dataclass
class World:
    ids: dict[str, list[int]]

    def urls(self) -> Iterator[tuple[str, str]]:
        for namespace in NAMESPACES:
            for name, route in named_id_routes(namespace):
                params = re.findall(r"<int:(\w+)>", route)
                for values in itertools.product(*(self.ids[p] for p in params)):
                    chosen = dict(zip(params, values, strict=True))
                    yield name, re.sub(r"<int:(\w+)>", lambda m, c=chosen: str(c[m.group(1)]), route)  # type: ignore[misc]


def _staff(username: str, function: str, *employers: Any) -> User:
    user = f.UserFactory(username=username, kind=User.Kind.STAFF)
    f.give_function(user, function)
    for employer in employers:
        f.join_team(user, employer)
    return user


@pytest.fixture
def world(employer_a, employee_of_a) -> World:  # type: ignore[no-untyped-def]
    """A treated employee of A, an open treating-doctor request and doctor's-team request, a
    break-the-glass access, a staff account with a pending function, a team and a doctor's team,
    a pending matrix change."""
    dora = _staff("dora", StaffFunction.BEDRIJFSARTS, employer_a)
    olaf = _staff("olaf", StaffFunction.BEDRIJFSARTS, employer_a)
    sara = _staff("sara", StaffFunction.SECRETARIAAT, employer_a)
    mona = _staff("mona", StaffFunction.REGIOMANAGER)
    fred = _staff("fred", StaffFunction.PRIVACY_OFFICER)
    tim = _staff("tim", StaffFunction.CASEMANAGER_TAAKDELEGATIE, employer_a)
    care.assign_treating_doctor(employee_of_a, dora, by=dora)
    request = care_requests.request_treating_doctor(
        employee_of_a, olaf, reason="Nieuwe arts op het contract", by=sara
    )
    team_request = care_requests.request_doctor_team_member(
        dora, olaf, kind="substitute", reason="Vaste vervanger tijdens verlof", by=dora
    )
    emergency = care.break_the_glass(
        employee_of_a, reason="Spoedvraag van de huisartsenpost vannacht", by=olaf
    )
    assignment = identity_domain.request_function(
        tim, StaffFunction.PLANNER, starts_on=tim.date_joined.date(), reason="Ook planning", by=mona
    )
    team_member = DoctorTeamMember.objects.create(
        doctor=dora, member=tim, kind=DoctorTeamMember.Kind.DELEGATE
    )
    change = access_domain.request_matrix_change(
        StaffFunction.PLANNER, "A", "R", reason="Planner moet verzuimdata zien", by=fred
    )
    return World(
        ids={
            "employee_id": [employee_of_a.pk],
            "request_id": [request.pk, team_request.pk],
            "access_id": [emergency.pk],
            "user_id": [tim.pk, dora.pk],
            "assignment_id": [assignment.pk],
            "membership_id": [tim.team_memberships.get().pk],
            "member_id": [team_member.pk],
            "change_id": [change.pk],
        }
    )


def _post_data() -> dict[str, Any]:
    return {
        "candidate": "1",
        "reason": "Een reden van ruim twintig tekens lang",
        "note": "Notitie",
        "verdict": "justified",
        "category": "D",
        "text": "Een notitie",
        "function": StaffFunction.PLANNER,
        "starts_on": "2027-01-01",
        "signed_on": "2020-01-01",
        "version": "2020-01",
        "kind": "general",
        "leaves_on": "2027-01-01",
        "employer": "1",
        "member": "1",
        "colleague": "1",
        "days": "3",
    }


def _send(client: Client, method: str, url: str) -> HttpResponse:
    return client.get(url) if method == "get" else client.post(url, _post_data())  # type: ignore[return-value]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for app in TABLES
        for model in apps.get_app_config(app).get_models()
    }


def _login(user: User) -> Client:
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_scan_finds_the_urls(world) -> None:  # type: ignore[no-untyped-def]
    names = {name for name, _url in world.urls()}
    assert {
        "request_treating_doctor",
        "care_request_approve",
        "care_request_reject",
        "care_request_withdraw",
        "emergency_mark_reviewed",
        "consult_colleague",
        "user_detail",
        "invitation_resend",
        "team_join",
        "team_leave",
        "doctor_team_add",
        "doctor_team_end",
        "function_approve",
        "matrix_change_approve",
        "add_entry",
    } <= names
    assert {name for allowed in ALLOWED.values() for name in allowed} <= names


@pytest.mark.parametrize("who", PERSONAS)
def test_every_url_is_closed_outside_the_personas_rights(who, world, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    allowed = ALLOWED.get(who, {})
    user = persona(who, employer_a, employer_b)
    client = _login(user)
    before = _snapshot()
    answered: set[str] = set()
    closed = 0
    for name, url in world.urls():
        for method in ("get", "post"):
            if name not in allowed:
                response = _send(client, method, url)
                assert response.status_code in (404, 405), (who, name, url, method, response.status_code)
                closed += 1
                continue
            with transaction.atomic():
                response = _send(client, method, url)
                transaction.set_rollback(True)
            assert response.status_code in (200, 302, 405), (who, name, url, method, response.status_code)
            if response.status_code != 405:
                answered.add(name)
    after = _snapshot()
    assert closed >= 20
    assert [label for label in before if before[label] != after[label]] == []
    assert allowed_records(user) == []
    assert answered == set(allowed)
