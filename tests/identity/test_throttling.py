"""Login throttling (ACCOUNT_RATE_LIMITS["login_failed"] = 5 per 5 minutes per username)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session

from arbo.audit.models import AuditEvent
from tests import factories as f
from tests.identity.flows import (
    MFA_URL,
    TOO_MANY_ATTEMPTS,
    WRONG_CREDENTIALS,
    form_errors,
    logged_in_user_id,
    password_step,
    text,
)

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


def _authenticated_sessions() -> list[str]:
    return [
        s.get_decoded()["_auth_user_id"] for s in Session.objects.all() if "_auth_user_id" in s.get_decoded()
    ]


def test_sixth_attempt_is_refused_even_with_the_right_password(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    f.enrol_totp(casemanager_carla)
    with time_machine.travel(FROZEN, tick=False) as clock:
        for n in range(5):
            response = password_step(client, "carla", f"wrong password {n}")
            assert form_errors(response) == [WRONG_CREDENTIALS]

        refused = password_step(client, "carla")  # the right password
        assert refused.status_code == 200
        assert form_errors(refused) == [TOO_MANY_ATTEMPTS]
        assert TOO_MANY_ATTEMPTS in text(refused)
        assert logged_in_user_id(client) is None
        assert _authenticated_sessions() == []
        assert client.get(MFA_URL)["Location"] == "/accounts/login/"  # no pending login either

        events = list(AuditEvent.objects.filter(action="login").values_list("event", "outcome", "data"))
        assert events == [("identity.login_failed", "denied", {"username": "carla"})] * 5 + [
            ("identity.login_throttled", "denied", {"username": "carla"})
        ]

        # The window is five minutes; after it the right password works again.
        clock.shift(dt.timedelta(minutes=5, seconds=1))
        accepted = password_step(client, "carla")
        assert accepted.status_code == 302
        assert accepted["Location"] == MFA_URL


def test_throttling_is_per_username(client, casemanager_carla, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        password_step(client, "carla", f"wrong password {n}")
    assert form_errors(password_step(client, "carla")) == [TOO_MANY_ATTEMPTS]
    # Another account from the same address is not locked out by it.
    response = password_step(client, "bram")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == doctor_bram.pk


def test_unknown_usernames_are_throttled_the_same_way(client, db) -> None:  # type: ignore[no-untyped-def]
    # Otherwise the throttle itself would tell which usernames exist.
    for n in range(5):
        assert form_errors(password_step(client, "nobody-here", f"guess {n}")) == [WRONG_CREDENTIALS]
    assert form_errors(password_step(client, "nobody-here", "guess 6")) == [TOO_MANY_ATTEMPTS]


def test_a_successful_login_does_not_reset_the_count(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    # allauth takes back only the successful attempt's own use of the limit: failures before it
    # still count, so good logins in between do not buy more guesses.
    for n in range(4):
        password_step(client, "carla", f"wrong password {n}")
    assert password_step(client, "carla")["Location"] == "/"
    client.post("/accounts/logout/")
    assert form_errors(password_step(client, "carla", "wrong password 5")) == [WRONG_CREDENTIALS]
    assert form_errors(password_step(client, "carla")) == [TOO_MANY_ATTEMPTS]
