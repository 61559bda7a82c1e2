"""Re-authentication before account administration, and deactivation logging out everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from tests import factories as f
from tests.identity import flows
from tests.identity.flows import (
    ACTIVATE_URL,
    REAUTH_URL,
    SECURITY_URL,
    logged_in_user_id,
    password_step,
    text,
)

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)


def _deactivate_url(user: User) -> str:
    return f"/account/users/{user.pk}/deactivate/"


def _reauth_redirect(path: str) -> str:
    return f"{REAUTH_URL}?next={path.replace('/', '%2F')}"


def test_deactivation_needs_recent_reauthentication(mfa_client, admin_anna, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(admin_anna)
    url = _deactivate_url(casemanager_carla)

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == _reauth_redirect(url)
    casemanager_carla.refresh_from_db()
    assert casemanager_carla.is_active
    assert not AuditEvent.objects.filter(event="identity.user_deactivated").exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<h1>Bevestig dat jij het bent</h1>" in text(page)

    wrong = client.post(response["Location"], {"password": "not my password"})
    assert wrong.status_code == 200
    assert flows.field_errors(wrong, "password") == ["Ongeldig wachtwoord."]
    casemanager_carla.refresh_from_db()
    assert casemanager_carla.is_active
    failed = AuditEvent.objects.get(event="identity.login_failed")
    assert (failed.outcome, failed.data) == ("denied", {"username": admin_anna.username})

    # The right password resumes the suspended POST: the deactivation happens.
    done = client.post(response["Location"], {"password": f.TEST_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/account/users/"
    casemanager_carla.refresh_from_db()
    assert not casemanager_carla.is_active
    assert casemanager_carla.deactivated_at is not None
    event = AuditEvent.objects.get(event="identity.user_deactivated")
    assert (event.actor_id, event.data["user_id"]) == (admin_anna.pk, casemanager_carla.pk)
    listing = client.get("/account/users/")
    assert f"Account {casemanager_carla} is geblokkeerd en overal uitgelogd." in text(listing)

    # Within the re-authentication timeout the next sensitive action does not ask again.
    other = f.UserFactory(username="olga")
    assert client.post(_deactivate_url(other))["Location"] == "/account/users/"
    other.refresh_from_db()
    assert not other.is_active


def test_a_fresh_login_is_not_a_reauthentication(client, admin_anna, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    secret = f.enrol_totp(admin_anna)
    flows.log_in(client, admin_anna, secret)
    url = _deactivate_url(casemanager_carla)
    assert client.post(url)["Location"] == _reauth_redirect(url)
    casemanager_carla.refresh_from_db()
    assert casemanager_carla.is_active


def test_only_the_applicatiebeheerder_may_deactivate(mfa_client, doctor_bram, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(doctor_bram)
    # Refused outright, not after a password prompt.
    assert client.post(_deactivate_url(casemanager_carla)).status_code == 404
    assert client.get("/account/users/").status_code == 404
    casemanager_carla.refresh_from_db()
    assert casemanager_carla.is_active


def test_deactivation_logs_the_account_out_on_every_device(admin_anna, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    secret = f.enrol_totp(casemanager_carla)
    laptop, phone, admin = Client(), Client(), Client()
    with time_machine.travel(FROZEN, tick=False) as clock:
        flows.log_in(laptop, casemanager_carla, secret)
        clock.shift(dt.timedelta(seconds=30))  # a new code: the first one cannot be used twice
        flows.log_in(phone, casemanager_carla, secret)
        for device in (laptop, phone):
            assert device.get("/registry/employees/").status_code == 200
        keys = {laptop.session.session_key, phone.session.session_key}
        assert (
            set(UserSession.objects.filter(user=casemanager_carla).values_list("session_key", flat=True))
            == keys
        )

        clock.shift(dt.timedelta(seconds=30))
        flows.log_in(admin, admin_anna, f.enrol_totp(admin_anna))
        url = _deactivate_url(casemanager_carla)
        reauth = admin.post(url)["Location"]
        assert admin.post(reauth, {"password": f.TEST_PASSWORD})["Location"] == "/account/users/"

        assert not Session.objects.filter(session_key__in=keys).exists()
        assert not UserSession.objects.filter(user=casemanager_carla).exists()
        for device in (laptop, phone):
            response = device.get("/registry/employees/")
            assert response.status_code == 302
            assert response["Location"] == "/accounts/login/?next=/registry/employees/"
            assert logged_in_user_id(device) is None
        assert AuditEvent.objects.get(event="identity.user_deactivated").data["sessions_ended"] == 2

        # And the password no longer gets in.
        again = password_step(laptop, casemanager_carla.username)
        assert again["Location"] == "/accounts/inactive/"
        assert logged_in_user_id(laptop) is None


def test_admin_cannot_deactivate_themselves(mfa_client, admin_anna) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(admin_anna)
    reauth = client.post(_deactivate_url(admin_anna))["Location"]
    done = client.post(reauth, {"password": f.TEST_PASSWORD})
    assert done["Location"] == "/account/users/"
    admin_anna.refresh_from_db()
    assert admin_anna.is_active
    assert "Je kunt dit niet bij je eigen account doen." in text(client.get("/account/users/"))


def test_reset_mfa_removes_the_factors_and_forces_new_enrolment(
    mfa_client, admin_anna, casemanager_carla
) -> None:  # type: ignore[no-untyped-def]
    secret = f.enrol_totp(casemanager_carla)
    carla = Client()
    flows.log_in(carla, casemanager_carla, secret)

    admin = mfa_client(admin_anna)
    url = f"/account/users/{casemanager_carla.pk}/reset-mfa/"
    assert admin.post(url)["Location"] == _reauth_redirect(url)
    assert Authenticator.objects.filter(user=casemanager_carla).exists()
    assert (
        admin.post(admin.post(url)["Location"], {"password": f.TEST_PASSWORD})["Location"]
        == "/account/users/"
    )

    assert not Authenticator.objects.filter(user=casemanager_carla).exists()
    assert carla.get(SECURITY_URL)["Location"] == "/accounts/login/?next=/accounts/2fa/"
    event = AuditEvent.objects.get(event="identity.mfa_reset_by_admin")
    assert (event.actor_id, event.data) == (
        admin_anna.pk,
        {"user_id": casemanager_carla.pk, "authenticators": ["totp"], "sessions_ended": 1},
    )
    # Next login: the password, then straight to enrolling a new authenticator.
    assert password_step(carla, casemanager_carla.username)["Location"] == "/"
    assert carla.get("/")["Location"] == ACTIVATE_URL
