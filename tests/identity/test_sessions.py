"""Session lifetime: 15 minutes idle, 10 hours absolute (SessionLifetimeMiddleware)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from arbo.audit.models import AuditEvent
from arbo.identity.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from tests import factories as f
from tests.identity import flows
from tests.identity.flows import SECURITY_URL, SESSION_EXPIRED, logged_in_user_id, text

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 8, 0, 0, tzinfo=dt.UTC)
PAGE = SECURITY_URL  # any page that needs a login; every account can open this one
LOGIN_AGAIN = "/accounts/login/?next=/accounts/2fa/"


@pytest.fixture
def carla_secret(casemanager_carla) -> str:  # type: ignore[no-untyped-def]
    return f.enrol_totp(casemanager_carla)


def test_settings_say_15_minutes_idle_and_10_hours_absolute() -> None:
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # at most once a minute (issue 12)
    assert settings.SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60


def test_fifteen_minutes_idle_logs_out(client, casemanager_carla, carla_secret) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        flows.log_in(client, casemanager_carla, carla_secret)
        assert client.get(PAGE).status_code == 200
        session_key = client.session.session_key

        clock.shift(dt.timedelta(minutes=15, seconds=1))
        # The stored session has expired by itself: nothing valid is left to steal.
        assert Session.objects.get(session_key=session_key).expire_date < dt.datetime.now(tz=dt.UTC)
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"] == LOGIN_AGAIN
        assert logged_in_user_id(client) is None
        assert "<h1>Inloggen</h1>" in text(client.get(response["Location"]))


def test_activity_within_15_minutes_keeps_the_session(client, casemanager_carla, carla_secret) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        flows.log_in(client, casemanager_carla, carla_secret)
        for _ in range(8):  # two hours in 14-minute steps
            clock.shift(dt.timedelta(minutes=14))
            response = client.get(PAGE)
            assert response.status_code == 200
            assert logged_in_user_id(client) == casemanager_carla.pk
        assert not AuditEvent.objects.filter(event="identity.session_expired").exists()


def test_absolute_lifetime_ends_even_an_active_session(client, casemanager_carla, carla_secret) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        flows.log_in(client, casemanager_carla, carla_secret)
        session_key = client.session.session_key
        assert UserSession.objects.filter(session_key=session_key).exists()
        elapsed = dt.timedelta(0)
        step = dt.timedelta(minutes=14)
        while elapsed + step <= dt.timedelta(hours=10):
            clock.shift(step)
            elapsed += step
            assert client.get(PAGE).status_code == 200, elapsed
        clock.shift(dt.timedelta(hours=10) - elapsed + dt.timedelta(minutes=1))  # 10 h 1 min in

        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"] == LOGIN_AGAIN
        assert logged_in_user_id(client) is None
        assert not Session.objects.filter(session_key=session_key).exists()
        assert not UserSession.objects.filter(session_key=session_key).exists()

        login_page = client.get(response["Location"])
        assert f'<p class="message message-info">{SESSION_EXPIRED}</p>' in text(login_page)

        expired = AuditEvent.objects.get(event="identity.session_expired")
        assert (expired.actor_id, expired.data) == (casemanager_carla.pk, {"reason": "absolute"})
        assert AuditEvent.objects.filter(event="identity.logout", actor=casemanager_carla).count() == 1


def test_idle_limit_is_enforced_by_the_middleware_too(client, casemanager_carla, carla_secret) -> None:  # type: ignore[no-untyped-def]
    # A session backend that did not expire the session itself: the middleware still ends it.
    flows.log_in(client, casemanager_carla, carla_secret)
    session = client.session
    session[SESSION_LAST_SEEN] -= 16 * 60
    session.save()

    response = client.get(PAGE)
    assert response["Location"] == LOGIN_AGAIN
    assert logged_in_user_id(client) is None
    assert SESSION_EXPIRED in text(client.get(response["Location"]))
    assert AuditEvent.objects.get(event="identity.session_expired").data == {"reason": "idle"}


def test_expiry_on_a_form_post_does_not_send_the_post_back(client, casemanager_carla, carla_secret) -> None:  # type: ignore[no-untyped-def]
    flows.log_in(client, casemanager_carla, carla_secret)
    session = client.session
    session[SESSION_LOGIN_AT] -= settings.SESSION_ABSOLUTE_SECONDS + 1
    session.save()
    response = client.post("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert logged_in_user_id(client) is None


def test_a_plain_get_within_a_minute_writes_nothing(client, casemanager_carla, carla_secret) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: no session or session-activity write on every request, only once a minute."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def writes() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]

    with time_machine.travel(FROZEN, tick=False) as clock:
        flows.log_in(client, casemanager_carla, carla_secret)
        client.get(PAGE)
        clock.shift(dt.timedelta(seconds=30))
        assert writes() == []
        clock.shift(dt.timedelta(seconds=31))
        written = " ".join(writes())
        assert "django_session" in written
        assert "usersessions_usersession" in written


ATTEMPTS = "/account/login-attempts/"  # a page behind the TOTP enrolment check


def test_the_totp_enrolment_is_read_once_per_session(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: the enrolment check costs one query per session, not one per request."""
    client = mfa_client(casemanager_carla)
    with CaptureQueriesContext(connection) as first:
        assert client.get(ATTEMPTS).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(ATTEMPTS).status_code == 200

    assert [q for q in first if "mfa_authenticator" in q["sql"]]
    assert not [q for q in second if "mfa_authenticator" in q["sql"]]


def test_a_removed_authenticator_sends_the_session_back_to_enrolment(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    assert client.get(ATTEMPTS).status_code == 200
    totp = Authenticator.objects.get(user=casemanager_carla, type=Authenticator.Type.TOTP)

    # As allauth removes one: delete, then its signal with the request of the session doing it.
    request = RequestFactory().get("/accounts/2fa/totp/deactivate/")
    request.session = SessionStore(session_key=client.session.session_key)
    totp.delete()
    mfa_signals.authenticator_removed.send(
        Authenticator, request=request, user=casemanager_carla, authenticator=totp
    )
    request.session.save()

    assert client.get(ATTEMPTS)["Location"] == "/accounts/2fa/totp/activate/"
