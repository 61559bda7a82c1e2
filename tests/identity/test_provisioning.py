"""Governed provisioning (issue 9, item 6): accounts by invitation, teams and doctor teams."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from arbo.access import care_requests
from arbo.access.models_care import CareRequest, DoctorTeamMember
from arbo.audit.models import AuditEvent
from arbo.identity import provisioning
from arbo.identity.models import FunctionAssignment, Invitation, User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.registry.models import EmployerMembership, TeamMembership
from tests import factories as f
from tests.identity.flows import ACTIVATE_URL, code_at, password_step

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-wachtwoord-2026!"


def _admin_client(admin: User) -> Client:
    """Logged in with TOTP and just re-authenticated (provisioning asks for the password again)."""
    if not f.has_totp(admin):
        f.enrol_totp(admin)
    client = Client()
    client.force_login(admin)
    client.post("/accounts/reauthenticate/", {"password": f.TEST_PASSWORD})
    return client


def test_creating_an_account_asks_for_the_password_again(admin_anna) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    f.enrol_totp(admin_anna)
    client.force_login(admin_anna)
    url = reverse("identity:user_new")
    for response in (client.get(url), client.post(url, {"kind": "employee"})):
        assert response["Location"].startswith("/accounts/reauthenticate/")
    # The password resumes the form post (here an empty one: refused, nothing created).
    resumed = client.post(response["Location"], {"password": f.TEST_PASSWORD})
    assert resumed.status_code == 200
    assert "Vul een gebruikersnaam in." in resumed.content.decode()
    assert client.get(url).status_code == 200
    assert User.objects.count() == 1


def _token(mail) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"/account/invitations/([\w-]+)/", mail.body).group(1)  # type: ignore[union-attr]


def test_an_employee_account_by_invitation_end_to_end(
    admin_anna, employee_of_a, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """The administrator creates the account, the employee chooses a password, enrols TOTP at
    the first login and sees their own file; every step is in the audit log."""
    employee_of_a.email = "werknemer@example.nl"
    admin = _admin_client(admin_anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("identity:user_new"),
            {
                "kind": "employee",
                "employee": employee_of_a.pk,
                "username": "amina",
                "email": "amina@example.nl",
            },
        )
    account = User.objects.get(username="amina")
    assert response.status_code == 302
    assert (account.kind, account.has_usable_password()) == (User.Kind.EMPLOYEE, False)
    employee_of_a.refresh_from_db()
    assert employee_of_a.user == account
    assert [m.to for m in mailoutbox] == [["amina@example.nl"]]
    token = _token(mailoutbox[0])
    assert Invitation.objects.get().token_hash != token  # only its hash is stored

    person = Client()
    accept = reverse("identity:invitation_accept", args=[token])
    assert person.get(accept).status_code == 200
    weak = person.post(accept, {"password1": "kort", "password2": "kort"})
    assert weak.status_code == 200
    assert not User.objects.get(pk=account.pk).has_usable_password()
    assert person.post(accept, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    assert person.get(accept).status_code == 404  # used once

    assert password_step(person, "amina", PASSWORD)["Location"] == "/"
    assert person.get("/")["Location"] == ACTIVATE_URL  # nothing before the second factor
    person.get(ACTIVATE_URL)
    secret = person.session[SECRET_SESSION_KEY]
    assert person.post(ACTIVATE_URL, {"code": code_at(secret)}).status_code == 302
    assert Authenticator.objects.filter(user=account, type=Authenticator.Type.TOTP).exists()
    own = person.get(reverse("registry:my_data"))
    assert own.status_code == 200
    assert employee_of_a.surname in own.content.decode()

    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "identity.user_created",
        "registry.employee_account_linked",
        "identity.invitation_sent",
        "identity.invitation_accepted",
        "registry.own_data_viewed",
    } <= events
    linked = AuditEvent.objects.get(event="registry.employee_account_linked")
    assert (linked.actor, linked.subject_id) == (admin_anna, employee_of_a.pk)
    assert AuditEvent.objects.get(event="identity.invitation_accepted").actor == account


def test_an_invitation_expires_and_a_resend_replaces_it(
    admin_anna, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = _admin_client(admin_anna)
    employer = f.EmployerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("identity:user_new"),
            {
                "kind": "employer",
                "username": "hr-henk",
                "email": "henk@example.nl",
                "first_name": "Henk",
                "last_name": "de Vries",
                "employer": employer.pk,
                "role": EmployerMembership.Role.HR,
            },
        )
    account = User.objects.get(username="hr-henk")
    assert list(EmployerMembership.objects.filter(user=account).values_list("employer_id", "role")) == [
        (employer.pk, "hr")
    ]
    first = _token(mailoutbox[0])
    with time_machine.travel(timezone.now() + provisioning.INVITATION_VALID + dt.timedelta(minutes=1)):
        assert Client().get(reverse("identity:invitation_accept", args=[first])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("identity:invitation_resend", args=[account.pk]))

    second = _token(mailoutbox[1])
    assert Client().get(reverse("identity:invitation_accept", args=[first])).status_code == 404
    assert Client().get(reverse("identity:invitation_accept", args=[second])).status_code == 200
    assert AuditEvent.objects.filter(event="identity.invitation_resent").count() == 1


def test_a_staff_account_gets_a_requested_function_only(
    admin_anna, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = _admin_client(admin_anna)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("identity:user_new"),
            {
                "kind": "staff",
                "username": "plien",
                "email": "plien@example.nl",
                "first_name": "Plien",
                "last_name": "Planner",
                "function": StaffFunction.PLANNER,
                "reason": "Nieuwe planner voor regio Midden",
            },
        )
    account = User.objects.get(username="plien")
    assert list(account.function_assignments.values_list("function", "status", "requested_by")) == [
        (StaffFunction.PLANNER, FunctionAssignment.Status.REQUESTED, admin_anna.pk)
    ]


def test_bad_input_creates_nothing_and_says_why(admin_anna, casemanager_carla) -> None:
    admin = _admin_client(admin_anna)
    before = User.objects.count()

    taken = admin.post(
        reverse("identity:user_new"),
        {
            "kind": "employee",
            "employee": 999999,
            "username": casemanager_carla.username,
            "email": "x@example.nl",
        },
    )
    unknown = admin.post(
        reverse("identity:user_new"),
        {"kind": "employee", "employee": 999999, "username": "nieuw", "email": "x@example.nl"},
    )

    assert "Er is geen werknemer met dit nummer." in unknown.content.decode()
    assert taken.status_code == 200
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(event="identity.user_created").exists()


def test_only_the_functional_administrator_provisions(casemanager_carla, doctor_bram, employee_of_a) -> None:
    for user in (casemanager_carla, doctor_bram):
        client = _admin_client(user)
        assert client.get(reverse("identity:user_new")).status_code == 404
        assert client.post(reverse("identity:team_join", args=[user.pk])).status_code == 404
        with pytest.raises(DomainError):
            provisioning.create_employee_account(
                employee=employee_of_a, username="x", email="x@e.nl", by=user
            )
    assert not User.objects.filter(username="x").exists()


def test_team_membership_and_a_doctors_team_through_the_account_page(
    admin_anna, doctor_bram, employer_a, employer_b
) -> None:
    admin = _admin_client(admin_anna)
    planner = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(planner, StaffFunction.PLANNER)
    delegate = f.UserFactory(username="tim", kind=User.Kind.STAFF)
    f.give_function(delegate, StaffFunction.CASEMANAGER_TAAKDELEGATIE)

    admin.post(
        reverse("identity:team_join", args=[planner.pk]),
        {"employer": employer_a.pk, "starts_on": "2026-01-01"},
    )
    membership = TeamMembership.objects.get(user=planner)
    admin.post(reverse("identity:team_leave", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.ends_on == timezone.localdate()

    refused = admin.post(
        reverse("identity:doctor_team_add", args=[doctor_bram.pk]),
        {"member": planner.pk, "kind": "delegate", "reason": "Werkt onder Bram"},
        follow=True,
    )
    assert "verklaring" in refused.content.decode()
    admin.post(
        reverse("identity:doctor_team_add", args=[doctor_bram.pk]),
        {"member": delegate.pk, "kind": "delegate", "reason": "Werkt onder Bram"},
    )
    assert not DoctorTeamMember.objects.exists()  # four eyes: the doctor approves first
    care_requests.approve_care_request(CareRequest.objects.get(), by=doctor_bram)
    role = DoctorTeamMember.objects.get()
    assert (role.doctor, role.member, role.ends_on) == (doctor_bram, delegate, None)
    admin.post(reverse("identity:doctor_team_end", args=[role.pk]))
    role.refresh_from_db()
    assert role.ends_on == timezone.localdate()
    assert list(
        AuditEvent.objects.filter(
            event__in=[
                "registry.team_joined",
                "registry.team_left",
                "access.doctor_team_requested",
                "access.doctor_team_member_added",
                "access.doctor_team_member_ended",
            ]
        )
        .order_by("seq")
        .values_list("event", flat=True)
    ) == [
        "registry.team_joined",
        "registry.team_left",
        "access.doctor_team_requested",
        "access.doctor_team_member_added",
        "access.doctor_team_member_ended",
    ]


def test_the_access_review_lists_invitations_not_taken_up(admin_anna, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = _admin_client(admin_anna)
    employer = employee_of_a.employments.first().employer
    counts = []
    for n in range(4):
        provisioning.create_employer_account(
            username=f"hr{n}",
            first_name="Hr",
            last_name=f"Nummer {n}",
            email=f"hr{n}@example.nl",
            employer=employer,
            role=EmployerMembership.Role.HR,
            by=admin_anna,
        )
        if n == 0:
            provisioning.accept_invitation(Invitation.objects.get(user__username="hr0"), password=PASSWORD)
        admin.get(reverse("identity:access_review"))
        with CaptureQueriesContext(connection) as queries:
            page = admin.get(reverse("identity:access_review")).content.decode()
        counts.append(len(queries))

    assert counts[1] == counts[3]  # one open invitation or three: the same queries
    listed = re.findall(r'<tr id="invitation-(\d+)">', page)
    expected = Invitation.objects.filter(user__username__in=["hr1", "hr2", "hr3"]).order_by("pk")
    assert listed == [str(i.pk) for i in expected]
