"""Login throttling per account and address with growing delays (arbo/identity/throttle.py, issue 19).

Five failures from one address cost nothing; then each failure makes the next attempt from that
address wait 30 s, 1, 2, 4 ... minutes (at most 15). Another address is not slowed down, so an
attacker who knows a username cannot lock its owner out.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session

from arbo.audit.models import AuditEvent
from arbo.identity import throttle
from tests import factories as f
from tests.identity.flows import (
    MFA_URL,
    WRONG_CREDENTIALS,
    form_errors,
    logged_in_user_id,
    password_step,
    text,
)

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
OWNER = "10.1.1.5"
ATTACKER = "203.0.113.66"
THROTTLED = "Te veel mislukte inlogpogingen vanaf dit adres."


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    return any(error.startswith(THROTTLED) for error in form_errors(response))


def _authenticated_sessions() -> list[str]:
    return [
        s.get_decoded()["_auth_user_id"] for s in Session.objects.all() if "_auth_user_id" in s.get_decoded()
    ]


def test_delays_grow_and_are_capped():
    assert [throttle.delay_after(n) for n in range(1, 12)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]


def test_sixth_attempt_is_refused_even_with_the_right_password(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    f.enrol_totp(casemanager_carla)
    with time_machine.travel(FROZEN, tick=False) as clock:
        for n in range(5):
            response = password_step(client, "carla", f"wrong password {n}")
            assert form_errors(response) == [WRONG_CREDENTIALS]

        refused = password_step(client, "carla")  # the right password
        assert refused.status_code == 200
        assert form_errors(refused) == [f"{THROTTLED} Probeer het over 30 seconden opnieuw."]
        assert THROTTLED in text(refused)
        assert logged_in_user_id(client) is None
        assert _authenticated_sessions() == []
        assert client.get(MFA_URL)["Location"] == "/accounts/login/"  # no pending login either

        events = list(AuditEvent.objects.filter(action="login").values_list("event", "outcome", "data"))
        assert events == [("identity.login_failed", "denied", {"username": "carla"})] * 5 + [
            ("identity.login_throttled", "denied", {"username": "carla"})
        ]

        # Thirty seconds later the right password works again.
        clock.shift(dt.timedelta(seconds=31))
        accepted = password_step(client, "carla")
        assert accepted.status_code == 302
        assert accepted["Location"] == MFA_URL


def test_each_further_failure_doubles_the_wait(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        for n in range(5):
            password_step(client, "carla", f"wrong {n}")
        clock.shift(dt.timedelta(seconds=31))
        assert form_errors(password_step(client, "carla", "wrong 6")) == [WRONG_CREDENTIALS]
        # Now a minute: refused after 31 seconds, let through after 61.
        clock.shift(dt.timedelta(seconds=31))
        assert form_errors(password_step(client, "carla")) == [
            f"{THROTTLED} Probeer het over 29 seconden opnieuw."
        ]
        clock.shift(dt.timedelta(seconds=30))
        assert password_step(client, "carla")["Location"] == "/"


def test_an_attackers_address_does_not_lock_the_owner_out(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    # Issue 19: five wrong passwords used to lock the account for everyone, from every address.
    attacker = type(client)(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(FROZEN, tick=False):
        for n in range(12):
            attacker.post("/accounts/login/", {"login": "carla", "password": f"guess {n}"})
        assert _refused(attacker.post("/accounts/login/", {"login": "carla", "password": f.TEST_PASSWORD}))

        owner = type(client)(REMOTE_ADDR=OWNER)
        response = owner.post("/accounts/login/", {"login": "carla", "password": f.TEST_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert int(owner.session["_auth_user_id"]) == casemanager_carla.pk


def test_the_owner_sees_the_attackers_attempts(client, casemanager_carla, mfa_client) -> None:  # type: ignore[no-untyped-def]
    attacker = type(client)(REMOTE_ADDR=ATTACKER)
    for n in range(6):
        attacker.post("/accounts/login/", {"login": "Carla", "password": f"guess {n}"})
    attacker.post("/accounts/login/", {"login": "someone-else", "password": "guess"})

    page = mfa_client(casemanager_carla).get("/account/login-attempts/")

    html = text(page)
    assert page.status_code == 200
    assert html.count('class="login-attempt"') == 6  # five wrong passwords, one held back
    assert html.count('data-event="identity.login_failed"') == 5
    assert html.count('data-event="identity.login_throttled"') == 1
    assert ATTACKER in html
    assert AuditEvent.objects.filter(event="identity.login_attempts_viewed", actor=casemanager_carla).exists()


def test_the_attempts_page_needs_a_login(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/account/login-attempts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_applicatiebeheerder_sees_anyones_attempts_and_others_do_not(  # type: ignore[no-untyped-def]
    client, mfa_client, casemanager_carla, admin_anna, doctor_bram
) -> None:
    attacker = type(client)(REMOTE_ADDR=ATTACKER)
    attacker.post("/accounts/login/", {"login": "carla", "password": "guess"})
    url = f"/account/users/{casemanager_carla.pk}/login-attempts/"

    assert mfa_client(doctor_bram).get(url).status_code == 404
    page = mfa_client(admin_anna).get(url)
    assert page.status_code == 200
    assert ATTACKER in text(page)


def test_throttling_is_per_username(client, casemanager_carla, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        password_step(client, "carla", f"wrong password {n}")
    assert _refused(password_step(client, "carla"))
    # Another account from the same address is not held back by it.
    response = password_step(client, "bram")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == doctor_bram.pk


def test_unknown_usernames_are_throttled_the_same_way(client, db) -> None:  # type: ignore[no-untyped-def]
    # Otherwise the throttle itself would tell which usernames exist.
    for n in range(5):
        assert form_errors(password_step(client, "nobody-here", f"guess {n}")) == [WRONG_CREDENTIALS]
    assert _refused(password_step(client, "nobody-here", "guess 6"))


def test_a_successful_login_does_not_reset_the_count(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    # Good logins in between do not buy more guesses.
    for n in range(4):
        password_step(client, "carla", f"wrong password {n}")
    assert password_step(client, "carla")["Location"] == "/"
    client.post("/accounts/logout/")
    assert form_errors(password_step(client, "carla", "wrong password 5")) == [WRONG_CREDENTIALS]
    assert _refused(password_step(client, "carla"))


def test_one_address_trying_many_accounts_is_still_stopped(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    # allauth's per-address limit over all accounts stays (ACCOUNT_RATE_LIMITS["login_password_failed"]).
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_password_failed"].split("/")[0])
    for n in range(limit):
        password_step(client, f"user{n}", "guess")
    assert form_errors(password_step(client, "user-last", "guess")) != [WRONG_CREDENTIALS]
