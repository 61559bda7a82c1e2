"""The authorisation lifecycle: confidentiality declaration, request and four-eyes approval of
functions, end dates, revocation, leaving (offboarding and ``end_leavers``) and the periodic review."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arbo.access import policy, review
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRelationship, DoctorTeamMember
from arbo.audit import log
from arbo.audit.models import AuditEvent
from arbo.identity import domain
from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
from arbo.identity.roles import StaffFunction as F
from arbo.lib.errors import DomainError
from arbo.registry.models import TeamMembership
from tests import factories as f
from tests.identity.flows import REAUTH_URL, text

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
#: Monday 2 March 2026, 10:00 in Amsterdam.
FROZEN = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
TODAY = FROZEN.date()
Status = FunctionAssignment.Status


def _staff(username: str, first: str, last: str, *functions: str) -> User:
    user = f.UserFactory(username=username, first_name=first, last_name=last, kind=User.Kind.STAFF)
    for function in functions:
        f.give_function(user, function)
    return user


def _fresh(user: User) -> User:
    """The user as the next request sees it (nothing memoised)."""
    return User.objects.get(pk=user.pk)


def _client(user: User) -> Client:
    """A new browser with ``user`` logged in (a new session: safe across time travel)."""
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def _employee_page(employee) -> str:  # type: ignore[no-untyped-def]
    return f"/registry/employees/{employee.pk}/"


def _reads(user: User, employee) -> bool:  # type: ignore[no-untyped-def]
    return policy.can(_fresh(user), Action.READ, Category.D, employee)


@pytest.fixture
def manager_mona(db) -> User:  # type: ignore[no-untyped-def]
    return _staff("mona", "Mona", "Manager", F.REGIOMANAGER)


@pytest.fixture
def admin_bert(db) -> User:  # type: ignore[no-untyped-def]
    return _staff("bert", "Bert", "Beheer", F.APPLICATIEBEHEERDER)


@pytest.fixture
def newcomer_nina(employer_a) -> User:  # type: ignore[no-untyped-def]
    """On employer A's team, with a declaration, without any function yet."""
    nina = _staff("nina", "Nina", "Nieuw")
    f.sign_declaration(nina)
    f.join_team(nina, employer_a)
    return nina


# --- The confidentiality declaration ------------------------------------------------------------


def test_without_a_declaration_a_casemanager_sees_nobody(employer_a, employee_of_a, admin_anna) -> None:  # type: ignore[no-untyped-def]
    carl = _staff("carl", "Carl", "Zonder")
    FunctionAssignment.objects.create(
        user=carl, function=F.CASEMANAGER, starts_on=dt.date(2020, 1, 1), status=Status.APPROVED,
        request_reason="Test", decided_at=timezone.now(),
    )  # fmt: skip
    f.join_team(carl, employer_a)

    assert _fresh(carl).functions_on() == {F.CASEMANAGER}
    assert policy.staff_functions(_fresh(carl)) == set()
    assert not _reads(carl, employee_of_a)
    assert not policy.can(_fresh(carl), Action.READ, Category.A)
    assert not policy.employees_visible_to(_fresh(carl)).exists()
    assert _client(carl).get(_employee_page(employee_of_a)).status_code == 404

    declaration = domain.record_declaration(
        carl, signed_on=TODAY - dt.timedelta(days=1), version="2026-01", by=admin_anna
    )

    assert policy.staff_functions(_fresh(carl)) == {F.CASEMANAGER}
    assert _reads(carl, employee_of_a)
    assert _client(carl).get(_employee_page(employee_of_a)).status_code == 200
    event = AuditEvent.objects.get(event="identity.declaration_recorded")
    assert (event.actor_id, event.action, event.object_id, event.data) == (
        admin_anna.pk,
        "create",
        str(declaration.pk),
        {
            "user_id": carl.pk,
            "kind": "general",
            "signed_on": (TODAY - dt.timedelta(days=1)).isoformat(),
            "version": "2026-01",
        },
    )


def test_a_declaration_counts_from_the_day_it_was_signed(employer_a, employee_of_a, admin_anna) -> None:  # type: ignore[no-untyped-def]
    carl = _staff("carl", "Carl", "Later")
    f.give_function(carl, F.CASEMANAGER)
    ConfidentialityDeclaration.objects.filter(user=carl).update(signed_on=TODAY)
    f.join_team(carl, employer_a)
    with time_machine.travel(FROZEN - dt.timedelta(days=1), tick=False):
        assert not _reads(carl, employee_of_a)
    with time_machine.travel(FROZEN, tick=False):
        assert _reads(carl, employee_of_a)


def test_a_declaration_is_recorded_by_another_administrator(
    admin_anna, admin_bert, casemanager_carla
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as own:
        domain.record_declaration(admin_anna, signed_on=TODAY, version="2026-01", by=admin_anna)
    assert own.value.message == "Je kunt dit niet bij je eigen account doen."
    with pytest.raises(DomainError) as by_non_admin:
        domain.record_declaration(admin_bert, signed_on=TODAY, version="2026-01", by=casemanager_carla)
    assert (
        by_non_admin.value.message
        == "Alleen de applicatiebeheerder kan een geheimhoudingsverklaring vastleggen."
    )
    with pytest.raises(DomainError) as future:
        domain.record_declaration(
            casemanager_carla,
            signed_on=timezone.localdate() + dt.timedelta(days=1),
            version="2026-01",
            by=admin_anna,
        )
    assert (future.value.field, future.value.message) == (
        "signed_on",
        "De datum van ondertekening ligt in de toekomst.",
    )
    assert (
        ConfidentialityDeclaration.objects.filter(user__in=[admin_anna, admin_bert]).count() == 2
    )  # the factory's


# --- Request and approval -----------------------------------------------------------------------


def test_a_requested_function_gives_nothing_until_another_admin_approves(
    manager_mona, admin_anna, newcomer_nina, employee_of_a
) -> None:  # type: ignore[no-untyped-def]
    assignment = domain.request_function(
        newcomer_nina,
        F.CASEMANAGER,
        starts_on=TODAY,
        reason="Start als casemanager team Aalbers",
        by=manager_mona,
    )
    assert (assignment.status, assignment.requested_by, assignment.decided_by) == (
        Status.REQUESTED,
        manager_mona,
        None,
    )
    assert _fresh(newcomer_nina).functions_on() == set()
    assert not _reads(newcomer_nina, employee_of_a)
    assert _client(newcomer_nina).get(_employee_page(employee_of_a)).status_code == 404

    approved = domain.approve_function(assignment, by=admin_anna)

    assert (approved.status, approved.decided_by, approved.decided_at is not None) == (
        Status.APPROVED,
        admin_anna,
        True,
    )
    assert _fresh(newcomer_nina).functions_on() == {F.CASEMANAGER}
    assert _reads(newcomer_nina, employee_of_a)
    assert _client(newcomer_nina).get(_employee_page(employee_of_a)).status_code == 200
    data = {
        "user_id": newcomer_nina.pk,
        "function": "casemanager",
        "starts_on": TODAY.isoformat(),
        "ends_on": None,
    }
    events = AuditEvent.objects.filter(event__startswith="identity.function_").order_by("seq")
    assert [(e.event, e.actor_id, e.action, e.outcome, e.object_id, e.data) for e in events] == [
        ("identity.function_requested", manager_mona.pk, "create", "allowed", str(assignment.pk), data),
        ("identity.function_approved", admin_anna.pk, "update", "allowed", str(assignment.pk), data),
    ]


def test_only_managers_and_the_administrator_may_request(casemanager_carla, newcomer_nina) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        domain.request_function(
            newcomer_nina, F.CASEMANAGER, starts_on=TODAY, reason="Graag", by=casemanager_carla
        )
    assert (
        refused.value.message
        == "Alleen een leidinggevende of de applicatiebeheerder kan een functie aanvragen."
    )
    assert not FunctionAssignment.objects.filter(user=newcomer_nina).exists()


def test_four_eyes_no_approving_ones_own_request_or_ones_own_function(
    admin_anna, admin_bert, manager_mona, newcomer_nina
) -> None:  # type: ignore[no-untyped-def]
    own_request = domain.request_function(
        newcomer_nina, F.CASEMANAGER, starts_on=TODAY, reason="Team A", by=admin_anna
    )
    with pytest.raises(DomainError) as refused:
        domain.approve_function(own_request, by=admin_anna)
    assert refused.value.message == "Je kunt je eigen aanvraag niet goedkeuren: iemand anders moet dat doen."

    for_bert = domain.request_function(
        admin_bert, F.DIRECTEUR, starts_on=TODAY, reason="Interim", by=manager_mona
    )
    with pytest.raises(DomainError) as own_function:
        domain.approve_function(for_bert, by=admin_bert)
    assert (
        own_function.value.message
        == "Je kunt geen functie voor jezelf goedkeuren: iemand anders moet dat doen."
    )

    with pytest.raises(DomainError) as not_a_decider:
        domain.approve_function(for_bert, by=manager_mona)
    assert (
        not_a_decider.value.message
        == "Alleen de applicatiebeheerder of een directeur kan een functie goedkeuren."
    )

    assert set(
        FunctionAssignment.objects.filter(pk__in=[own_request.pk, for_bert.pk]).values_list(
            "status", flat=True
        )
    ) == {Status.REQUESTED}
    assert _fresh(newcomer_nina).functions_on() == set()
    assert _fresh(admin_bert).functions_on() == {F.APPLICATIEBEHEERDER}
    denied = AuditEvent.objects.filter(event="identity.function_approved").order_by("seq")
    assert [(e.actor_id, e.outcome, e.object_id) for e in denied] == [
        (admin_anna.pk, "denied", str(own_request.pk)),
        (admin_bert.pk, "denied", str(for_bert.pk)),
        (manager_mona.pk, "denied", str(for_bert.pk)),
    ]

    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        FunctionAssignment.objects.filter(pk=own_request.pk).update(
            status=Status.APPROVED, decided_by=admin_anna, decided_at=timezone.now()
        )

    # The other administrator may.
    domain.approve_function(own_request, by=admin_bert)
    assert _fresh(newcomer_nina).functions_on() == {F.CASEMANAGER}


def test_approval_through_the_pages_needs_reauthentication_and_is_audited(
    admin_anna, manager_mona, newcomer_nina
) -> None:  # type: ignore[no-untyped-def]
    assignment = domain.request_function(
        newcomer_nina, F.CASEMANAGER, starts_on=TODAY, reason="Team A", by=manager_mona
    )
    client = _client(admin_anna)
    review_page = client.get("/account/users/review/")
    assert f'action="/account/functions/{assignment.pk}/reject/"' in text(review_page)
    assert f'formaction="/account/functions/{assignment.pk}/approve/"' in text(review_page)

    url = f"/account/functions/{assignment.pk}/approve/"
    asked = client.post(url, {"back": "review"})
    assert asked["Location"] == f"{REAUTH_URL}?next={url.replace('/', '%2F')}"
    assignment.refresh_from_db()
    assert assignment.status == Status.REQUESTED

    done = client.post(asked["Location"], {"password": f.TEST_PASSWORD})
    assert done["Location"] == "/account/users/review/#pending"
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decided_by_id) == (Status.APPROVED, admin_anna.pk)
    event = AuditEvent.objects.get(event="identity.function_approved")
    assert (event.actor_id, event.outcome, event.ip_address) == (admin_anna.pk, "allowed", "127.0.0.1")
    assert "Casemanager voor Nina Nieuw is goedgekeurd." in text(client.get("/account/users/review/"))


def test_rejection_and_withdrawal(admin_anna, manager_mona, newcomer_nina) -> None:  # type: ignore[no-untyped-def]
    first = domain.request_function(
        newcomer_nina, F.CASEMANAGER, starts_on=TODAY, reason="Team A", by=manager_mona
    )
    domain.reject_function(first, by=admin_anna)
    second = domain.request_function(
        newcomer_nina, F.CASEMANAGER, starts_on=TODAY, reason="Nogmaals", by=manager_mona
    )
    domain.reject_function(second, by=manager_mona)  # withdrawn by the requester
    with pytest.raises(DomainError) as decided:
        domain.approve_function(second, by=admin_anna)
    assert decided.value.message == "Over deze aanvraag is al besloten."
    rows = FunctionAssignment.objects.filter(user=newcomer_nina).order_by("pk")
    assert [(a.status, a.decided_by_id) for a in rows] == [
        (Status.REJECTED, admin_anna.pk),
        (Status.REJECTED, manager_mona.pk),
    ]
    assert _fresh(newcomer_nina).functions_on() == set()


def test_request_form_saves_nothing_on_bad_input(manager_mona, newcomer_nina, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    url = f"/account/users/{newcomer_nina.pk}/functions/request/"
    client = _client(manager_mona)
    page = client.get(f"/account/users/{newcomer_nina.pk}/")
    assert page.status_code == 200
    assert f'action="{url}#request"' in text(page)
    assert f'action="/account/users/{newcomer_nina.pk}/declaration/' not in text(page)  # admins only

    bad = client.post(
        url, {"function": "koning", "starts_on": "2026-03-10", "ends_on": "2026-03-01", "reason": " "}
    )
    assert bad.status_code == 200
    form = bad.context["request_form"]
    assert {k: [str(e) for e in v] for k, v in form.errors.items()} == {
        "function": ["Kies een bestaande functie."],
        "ends_on": ["De einddatum ligt vóór de ingangsdatum."],
        "reason": ["Geef een reden voor de aanvraag."],
    }
    assert "Er is niets opgeslagen. Verbeter de gemarkeerde velden." in text(bad)
    dates = client.post(url, {"function": "casemanager", "starts_on": "morgen", "reason": "x"})
    assert {k: [str(e) for e in v] for k, v in dates.context["request_form"].errors.items()} == {
        "starts_on": ["Vul een geldige datum in (dd-mm-jjjj)."]
    }
    assert not FunctionAssignment.objects.filter(user=newcomer_nina).exists()
    assert not AuditEvent.objects.filter(event="identity.function_requested").exists()

    good = client.post(
        url,
        {"function": "casemanager", "starts_on": timezone.localdate().isoformat(), "reason": "Team Aalbers"},
    )
    assert good["Location"] == f"/account/users/{newcomer_nina.pk}/"
    assignment = FunctionAssignment.objects.get(user=newcomer_nina)
    assert (
        assignment.function,
        assignment.status,
        assignment.requested_by_id,
        assignment.request_reason,
    ) == (
        "casemanager",
        Status.REQUESTED,
        manager_mona.pk,
        "Team Aalbers",
    )

    again = client.post(
        url, {"function": "casemanager", "starts_on": timezone.localdate().isoformat(), "reason": "x"}
    )
    assert [str(e) for e in again.context["request_form"].errors["function"]] == [
        "Voor deze functie loopt al een aanvraag."
    ]
    assert FunctionAssignment.objects.filter(user=newcomer_nina).count() == 1

    # Not a manager: no account pages at all.
    other = _client(casemanager_carla)
    assert other.get(f"/account/users/{newcomer_nina.pk}/").status_code == 404
    assert (
        other.post(url, {"function": "casemanager", "starts_on": "2026-03-10", "reason": "x"}).status_code
        == 404
    )
    assert other.get("/account/users/").status_code == 404


# --- End dates and revocation --------------------------------------------------------------------


def test_an_assignment_ends_after_its_end_date(
    admin_anna, manager_mona, newcomer_nina, employee_of_a
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        assignment = domain.request_function(
            newcomer_nina, F.CASEMANAGER, starts_on=TODAY, ends_on=dt.date(2026, 3, 31), reason="Vervanging",
            by=manager_mona,
        )  # fmt: skip
        domain.approve_function(assignment, by=admin_anna)
        clock.move_to(dt.datetime(2026, 3, 31, 23, 59, tzinfo=AMS))
        assert _fresh(newcomer_nina).functions_on() == {F.CASEMANAGER}
        assert _client(newcomer_nina).get(_employee_page(employee_of_a)).status_code == 200
        clock.move_to(dt.datetime(2026, 4, 1, 0, 0, tzinfo=AMS))
        assert _fresh(newcomer_nina).functions_on() == set()
        assert not _reads(newcomer_nina, employee_of_a)
        assert _client(newcomer_nina).get(_employee_page(employee_of_a)).status_code == 404
        assignment.refresh_from_db()
        assert assignment.state_label == "verlopen"


def test_revoking_ends_the_function_today(admin_anna, manager_mona, newcomer_nina, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False):
        assignment = domain.request_function(
            newcomer_nina, F.CASEMANAGER, starts_on=dt.date(2026, 1, 1), reason="Team", by=manager_mona
        )
        domain.approve_function(assignment, by=admin_anna)
        assert _reads(newcomer_nina, employee_of_a)
        with pytest.raises(DomainError) as no_reason:
            domain.revoke_function(assignment, by=admin_anna, reason="  ")
        assert (no_reason.value.field, no_reason.value.message) == (
            "reason",
            "Geef een reden voor het intrekken.",
        )

        domain.revoke_function(assignment, by=admin_anna, reason="Andere functie")

        assignment.refresh_from_db()
        assert (
            assignment.status,
            assignment.ends_on,
            assignment.revoked_by_id,
            assignment.revoke_reason,
        ) == (
            Status.REVOKED,
            TODAY,
            admin_anna.pk,
            "Andere functie",
        )
        assert not _reads(newcomer_nina, employee_of_a)
        event = AuditEvent.objects.get(event="identity.function_revoked")
        assert event.data == {
            "user_id": newcomer_nina.pk, "function": "casemanager",
            "starts_on": "2026-01-01", "ends_on": "2026-03-02",
        }  # fmt: skip


def test_blocking_an_account_revokes_its_functions_and_rejects_its_requests(
    admin_anna, manager_mona, casemanager_carla
) -> None:  # type: ignore[no-untyped-def]
    pending = domain.request_function(
        casemanager_carla, F.PLANNER, starts_on=timezone.localdate(), reason="Erbij", by=manager_mona
    )

    assert domain.deactivate_user(casemanager_carla, by=admin_anna) is True
    assert (
        domain.deactivate_user(casemanager_carla, by=admin_anna) is False
    )  # already blocked: nothing happens

    rows = {a.function: a for a in FunctionAssignment.objects.filter(user=casemanager_carla)}
    assert (rows["casemanager"].status, rows["casemanager"].ends_on) == (Status.REVOKED, timezone.localdate())
    assert (rows["planner"].pk, rows["planner"].status, rows["planner"].decided_by_id) == (
        pending.pk,
        Status.REJECTED,
        admin_anna.pk,
    )
    event = AuditEvent.objects.get(event="identity.user_deactivated")
    assert event.data == {
        "user_id": casemanager_carla.pk, "sessions_ended": 0, "functions_revoked": 1, "requests_rejected": 1,
    }  # fmt: skip


# --- Leaving --------------------------------------------------------------------------------------


def _state(user: User) -> dict[str, object]:
    """Everything end_leavers may touch, to compare two runs."""
    return {
        "user": User.objects.filter(pk=user.pk).values("is_active", "deactivated_at", "leaves_on").get(),
        "functions": list(FunctionAssignment.objects.filter(user=user).order_by("pk").values()),
        "teams": list(TeamMembership.objects.filter(user=user).order_by("pk").values()),
        "doctor_team": list(DoctorTeamMember.objects.filter(member=user).order_by("pk").values()),
        "care": list(CareRelationship.objects.filter(user=user).order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


def test_leaving_ends_every_right_and_end_leavers_blocks_the_account_once(
    admin_anna, casemanager_carla, doctor_bram, employee_of_a, employer_a
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        delegate = DoctorTeamMember.objects.create(
            doctor=doctor_bram,
            member=casemanager_carla,
            kind=DoctorTeamMember.Kind.DELEGATE,
            starts_on=dt.date(2025, 1, 1),
        )
        case = CareRelationship.objects.create(
            employee=employee_of_a, user=casemanager_carla, kind=CareRelationship.Kind.CASE_HANDLER,
            starts_at=FROZEN - dt.timedelta(days=30),
        )  # fmt: skip

        ended = domain.offboard_user(casemanager_carla, leaves_on=dt.date(2026, 3, 6), by=admin_anna)

        assert ended == {"functions": 1, "teams": 1, "doctor_team": 1, "care_relationships": 1}
        casemanager_carla.refresh_from_db()
        assert (casemanager_carla.leaves_on, casemanager_carla.is_active) == (dt.date(2026, 3, 6), True)
        assert list(
            FunctionAssignment.objects.filter(user=casemanager_carla).values_list("status", "ends_on")
        ) == [(Status.APPROVED, dt.date(2026, 3, 6))]
        assert TeamMembership.objects.get(user=casemanager_carla, employer=employer_a).ends_on == dt.date(
            2026, 3, 6
        )
        delegate.refresh_from_db()
        case.refresh_from_db()
        assert delegate.ends_on == dt.date(2026, 3, 6)
        assert case.ends_at == dt.datetime(2026, 3, 7, 0, 0, tzinfo=AMS)
        event = AuditEvent.objects.get(event="identity.user_offboarded")
        assert (event.actor_id, event.data) == (
            admin_anna.pk,
            {"user_id": casemanager_carla.pk, "leaves_on": "2026-03-06", "functions": 1, "teams": 1,
             "doctor_team": 1, "care_relationships": 1},
        )  # fmt: skip

        # Until and including the last working day nothing changes for her.
        clock.move_to(dt.datetime(2026, 3, 6, 17, 0, tzinfo=AMS))
        assert _reads(casemanager_carla, employee_of_a)
        out = io.StringIO()
        call_command("end_leavers", stdout=out)
        assert out.getvalue() == "end_leavers: 0 account(s) blocked\n"
        assert User.objects.get(pk=casemanager_carla.pk).is_active

        # The day after: the cron blocks the account.
        clock.move_to(dt.datetime(2026, 3, 7, 6, 0, tzinfo=AMS))
        assert not _reads(casemanager_carla, employee_of_a)  # the rights ended already
        out = io.StringIO()
        call_command("end_leavers", stdout=out)
        assert out.getvalue() == "end_leavers: 1 account(s) blocked\n"
        carla = User.objects.get(pk=casemanager_carla.pk)
        assert (carla.is_active, carla.deactivated_at) == (False, dt.datetime(2026, 3, 7, 6, 0, tzinfo=AMS))
        blocked = AuditEvent.objects.get(event="identity.user_deactivated")
        assert (blocked.actor_id, blocked.actor_label, blocked.basis, blocked.data) == (
            None,
            "system",
            "system",
            {"user_id": carla.pk, "sessions_ended": 0, "functions_revoked": 0, "requests_rejected": 0},
        )
        assert not AuditEvent.objects.filter(event="identity.leaver_rights_ended").exists()

        before = _state(carla)
        out = io.StringIO()
        call_command("end_leavers", stdout=out)
        assert out.getvalue() == "end_leavers: 0 account(s) blocked\n"
        assert _state(carla) == before


def test_end_leavers_also_ends_what_was_added_after_offboarding(
    admin_anna, casemanager_carla, employer_b
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        domain.offboard_user(casemanager_carla, leaves_on=dt.date(2026, 3, 6), by=admin_anna)
        late = TeamMembership.objects.create(
            user=casemanager_carla, employer=employer_b, starts_on=dt.date(2026, 3, 3)
        )
        clock.move_to(dt.datetime(2026, 3, 9, 6, 0, tzinfo=AMS))
        assert domain.end_leavers() == [casemanager_carla.pk]
        late.refresh_from_db()
        assert late.ends_on == dt.date(2026, 3, 6)
        event = AuditEvent.objects.get(event="identity.leaver_rights_ended")
        assert (event.actor_id, event.data) == (
            None,
            {"user_id": casemanager_carla.pk, "leaves_on": "2026-03-06", "functions": 0, "teams": 1,
             "doctor_team": 0, "care_relationships": 0},
        )  # fmt: skip
        assert domain.end_leavers() == []


def test_a_leaving_date_in_the_past_blocks_at_once_and_cannot_move_later(
    admin_anna, casemanager_carla
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False):
        domain.offboard_user(casemanager_carla, leaves_on=dt.date(2026, 2, 27), by=admin_anna)
        carla = User.objects.get(pk=casemanager_carla.pk)
        assert (carla.is_active, carla.leaves_on) == (False, dt.date(2026, 2, 27))
        with pytest.raises(DomainError) as later:
            domain.offboard_user(carla, leaves_on=dt.date(2026, 3, 31), by=admin_anna)
        assert later.value.field == "leaves_on"
        assert later.value.message.startswith("De laatste werkdag is al vastgelegd op 27 februari 2026.")
        with pytest.raises(DomainError) as own:
            domain.offboard_user(admin_anna, leaves_on=dt.date(2026, 3, 31), by=admin_anna)
        assert own.value.message == "Je kunt dit niet bij je eigen account doen."


def test_leaving_date_through_the_page_needs_reauthentication(admin_anna, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_anna)
    url = f"/account/users/{casemanager_carla.pk}/leaving/"
    asked = client.post(url, {"leaves_on": "2099-12-31"})
    assert asked["Location"] == f"{REAUTH_URL}?next={url.replace('/', '%2F')}"
    assert User.objects.get(pk=casemanager_carla.pk).leaves_on is None
    done = client.post(asked["Location"], {"password": f.TEST_PASSWORD})
    assert done["Location"] == f"/account/users/{casemanager_carla.pk}/"
    assert User.objects.get(pk=casemanager_carla.pk).leaves_on == dt.date(2099, 12, 31)
    page = text(client.get(done["Location"]))
    assert (
        "De laatste werkdag is vastgelegd. Functies, teams en relaties eindigen op 31 december 2099." in page
    )

    bad = client.post(url, {"leaves_on": ""})
    assert [str(e) for e in bad.context["leaving_form"].errors["leaves_on"]] == ["Vul de laatste werkdag in."]


def test_declaration_through_the_page(admin_anna, newcomer_nina) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_anna)
    url = f"/account/users/{newcomer_nina.pk}/declaration/"
    bad = client.post(url, {"signed_on": "", "version": ""})
    assert bad.status_code == 200
    assert {k: [str(e) for e in v] for k, v in bad.context["declaration_form"].errors.items()} == {
        "signed_on": ["Vul de datum van ondertekening in."],
        "version": ["Vul de versie van de verklaring in."],
    }
    assert ConfidentialityDeclaration.objects.filter(user=newcomer_nina).count() == 1
    good = client.post(url, {"signed_on": "01-03-2026", "version": "2026-01"})
    assert good["Location"] == f"/account/users/{newcomer_nina.pk}/"
    assert list(
        ConfidentialityDeclaration.objects.filter(user=newcomer_nina).values_list(
            "signed_on", "version", "recorded_by"
        )
    ) == [(dt.date(2026, 3, 1), "2026-01", admin_anna.pk), (dt.date(2020, 1, 1), "2020-01", newcomer_nina.pk)]


# --- The periodic review --------------------------------------------------------------------------


def _page_row(html: str, username: str) -> str:
    """The text of one row of the review table, tags removed and whitespace collapsed."""
    match = re.search(rf'<tr data-user="{username}">(.*?)</tr>', html, re.S)
    assert match is not None, username
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


HEADERS = [
    "Gebruikersnaam", "Naam", "Account", "Laatste werkdag", "Functies", "Teams (werkgevers)",
    "Rollen in artsenteams", "Geheimhoudingsverklaring ondertekend op", "Versie verklaring",
    "Laatst ingelogd", "Laatst gebruikt", "Verklaring afgeleid beroepsgeheim ondertekend op",
]  # fmt: skip


def test_the_review_lists_functions_declarations_and_last_use(employer_a, employee_of_a, hr_wim) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        anna = _staff("anna", "Anna", "Admin", F.APPLICATIEBEHEERDER)
        bert = _staff("bert", "Bert", "Beheer", F.APPLICATIEBEHEERDER)
        dora = _staff("dora", "Dora", "Dokter", F.BEDRIJFSARTS)
        mona = _staff("mona", "Mona", "Manager", F.REGIOMANAGER)
        nina = _staff("nina", "Nina", "Nieuw")
        olga = _staff("olga", "Olga", "Oud")
        f.join_team(nina, employer_a)
        DoctorTeamMember.objects.create(doctor=dora, member=nina, kind=DoctorTeamMember.Kind.DELEGATE)
        domain.record_declaration(nina, signed_on=dt.date(2026, 2, 20), version="2026-01", by=anna)
        clock.shift(dt.timedelta(minutes=5))  # 10:05
        assignment = domain.request_function(nina, F.CASEMANAGER, starts_on=TODAY, reason="Team A", by=mona)
        clock.shift(dt.timedelta(minutes=5))  # 10:10
        domain.approve_function(assignment, by=bert)
        domain.request_function(nina, F.PLANNER, starts_on=dt.date(2026, 4, 1), reason="Later erbij", by=mona)
        clock.shift(dt.timedelta(minutes=20))  # 10:30
        User.objects.filter(pk=nina.pk).update(last_login=timezone.now())
        clock.shift(dt.timedelta(minutes=30))  # 11:00
        log.record(
            _fresh(nina), log.Action.READ, "registry.employee_viewed", subject=employee_of_a, category="D"
        )
        User.objects.filter(pk=olga.pk).update(is_active=False)

        clock.shift(dt.timedelta(hours=1))  # 12:00
        client = _client(anna)  # logging in is a use, and sets the last login
        page = client.get("/account/users/review/")
        clock.shift(dt.timedelta(minutes=1))  # 12:01
        export = client.get("/account/users/review.csv")

    assert page.status_code == 200
    assert export["Content-Disposition"] == 'attachment; filename="autorisaties-2026-03-02.csv"'
    rows = _csv_rows(export)
    since_2020 = (
        "goedgekeurd; 1 januari 2020 t/m …; aangevraagd door systeem op 2 maart 2026 10:00; "
        "goedgekeurd door systeem op 2 maart 2026 10:00"
    )
    beheerder = "Functioneel beheerder verzuimapplicatie"
    delegate = "werkt onder verantwoordelijkheid van de arts"
    assert rows == [
        HEADERS,
        ["anna", "Anna Admin", "actief", "", f"{beheerder} ({since_2020})",
         "", "", "1 januari 2020", "2020-01", "2 maart 2026 12:00", "2 maart 2026 12:00", ""],
        ["bert", "Bert Beheer", "actief", "", f"{beheerder} ({since_2020})",
         "", "", "1 januari 2020", "2020-01", "", "2 maart 2026 10:10", ""],
        ["dora", "Dora Dokter", "actief", "", f"Bedrijfsarts ({since_2020})",
         "", f"in het eigen artsenteam: Nina Nieuw ({delegate})", "1 januari 2020", "2020-01", "", "", ""],
        ["mona", "Mona Manager", "actief", "", f"Regiomanager ({since_2020})",
         "", "", "1 januari 2020", "2020-01", "", "2 maart 2026 10:10", ""],
        ["nina", "Nina Nieuw", "actief", "",
         "Casemanager (goedgekeurd; 2 maart 2026 t/m …; aangevraagd door Mona Manager op 2 maart 2026 10:05; "
         "goedgekeurd door Bert Beheer op 2 maart 2026 10:10) | "
         "Planner (aangevraagd; 1 april 2026 t/m …; aangevraagd door Mona Manager op 2 maart 2026 10:10)",
         "Bakkerij Aalbers BV (vanaf 1 januari 2020)",
         f"{delegate}: Dora Dokter",
         "20 februari 2026", "2026-01", "2 maart 2026 10:30", "2 maart 2026 11:00", ""],
        ["olga", "Olga Oud", "geblokkeerd", "", "", "", "", "", "", "", "", ""],
    ]  # fmt: skip

    # The page shows the same rows, in the same order, and the pending request.
    html = text(page)
    assert re.findall(r'<tr data-user="([^"]+)">', html) == [row[0] for row in rows[1:]]
    assert _page_row(html, "nina") == (
        "Nina Nieuw nina actief "
        "Casemanager · goedgekeurd 2 maart 2026 t/m … aangevraagd: Mona Manager, 2 maart 2026 10:05 "
        "goedgekeurd: Bert Beheer, 2 maart 2026 10:10 "
        "Planner · aangevraagd 1 april 2026 t/m … aangevraagd: Mona Manager, 2 maart 2026 10:10 "
        "Bakkerij Aalbers BV (vanaf 1 januari 2020) "
        "werkt onder verantwoordelijkheid van de arts: Dora Dokter "
        "20 februari 2026 versie 2026-01 ingelogd: 2 maart 2026 10:30 gebruikt: 2 maart 2026 11:00"
    )
    assert _page_row(html, "olga") == "Olga Oud olga geblokkeerd — — — ontbreekt ingelogd: — gebruikt: —"
    assert _page_row(html, "dora").endswith(
        "in het eigen artsenteam: Nina Nieuw (werkt onder verantwoordelijkheid van de arts) "
        "1 januari 2020 versie 2020-01 ingelogd: — gebruikt: —"
    )
    pending = re.search(r'<tr id="request-\d+">(.*?)</tr>', html, re.S)
    assert pending is not None
    assert " ".join(re.sub(r"<[^>]+>", " ", pending.group(1)).split()).startswith(
        "Nina Nieuw Planner 1 april 2026 – … Later erbij Mona Manager 2 maart 2026 10:10 Goedkeuren Afwijzen"
    )

    viewed = AuditEvent.objects.get(event="identity.access_review_viewed")
    exported = AuditEvent.objects.get(event="identity.access_review_exported")
    assert (viewed.actor_id, viewed.action, viewed.data) == (anna.pk, "read", {"rows": 6})
    assert (exported.actor_id, exported.action, exported.data, exported.occurred_at) == (
        anna.pk,
        "export",
        {"rows": 6},
        dt.datetime(2026, 3, 2, 12, 1, tzinfo=AMS),
    )


def test_the_review_costs_the_same_queries_for_more_people(admin_anna, employer_a) -> None:  # type: ignore[no-untyped-def]
    def build() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = review.rows()
            for row in rows:
                row.cells()
        return len(queries)

    few = build()
    for n in range(5):
        person = _staff(f"extra{n}", "Extra", f"Medewerker {n}", F.CASEMANAGER, F.PLANNER)
        f.join_team(person, employer_a)
        log.record(person, log.Action.READ, "test.used")
    assert build() == few


def test_the_review_is_for_administrators_privacy_officer_and_directeur_only(
    admin_anna, casemanager_carla, manager_mona, hr_wim, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    for user in (casemanager_carla, manager_mona, hr_wim, employee_eva):
        client = _client(user)
        assert client.get("/account/users/review/").status_code == 404
        assert client.get("/account/users/review.csv").status_code == 404
    assert not AuditEvent.objects.filter(event__startswith="identity.access_review").exists()

    piet = _staff("piet", "Piet", "Privacy", F.PRIVACY_OFFICER)
    dirk = _staff("dirk", "Dirk", "Directeur", F.DIRECTEUR)
    pending = domain.request_function(
        casemanager_carla, F.PLANNER, starts_on=timezone.localdate(), reason="x", by=manager_mona
    )
    approve = f'formaction="/account/functions/{pending.pk}/approve/"'
    assert approve not in text(_client(piet).get("/account/users/review/"))  # reviews, does not decide
    assert approve in text(_client(dirk).get("/account/users/review/"))
    assert _client(piet).get("/account/users/review.csv").status_code == 200
    # The privacy officer opens staff accounts read-only: no forms to request, record or decide.
    carla_page = _client(piet).get(f"/account/users/{casemanager_carla.pk}/")
    assert carla_page.status_code == 200
    assert "<form" not in text(carla_page).split('<main id="main"', 1)[1].split("</main>")[0]
    assert _client(piet).get(f"/account/users/{hr_wim.pk}/").status_code == 404  # staff accounts only
    assert approve in text(_client(admin_anna).get("/account/users/review/"))
