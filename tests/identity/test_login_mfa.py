"""Login with password and mandatory TOTP, through the real pages (no force_login)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from config import settings as project_settings
from tests import factories as f
from tests.identity import flows
from tests.identity.flows import (
    ACTIVATE_URL,
    INCORRECT_CODE,
    MFA_URL,
    REAUTH_URL,
    RECOVERY_CODES_URL,
    TOO_MANY_ATTEMPTS,
    code_at,
    code_step,
    field_errors,
    logged_in_user_id,
    password_step,
    text,
    wrong_code,
)

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2026, 3, 2, 9, 0, 7, tzinfo=dt.UTC)


def _events(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=name))


def test_passwords_are_hashed_with_argon2() -> None:
    # tests/conftest.py swaps in MD5 for speed; this test puts the real list back.
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
        user = f.UserFactory(username="argo")
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password(f.TEST_PASSWORD)


def test_first_login_enrols_totp_then_shows_recovery_codes(
    client, casemanager_carla, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    user = casemanager_carla

    response = password_step(client, user.username)
    # No second factor yet: logged in on the password, then held at enrolment.
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == user.pk
    for path in ("/", "/registry/employees/", "/account/users/", "/accounts/password/change/"):
        assert client.get(path)["Location"] == ACTIVATE_URL, path

    # The password was typed seconds ago: enrolment does not ask for it again.
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    html = text(page)
    assert "Tweestapsverificatie instellen" in html
    assert f'<code class="secret" id="authenticator_secret">{secret}</code>' in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'autocomplete="one-time-code"' in html

    refused = client.post(ACTIVATE_URL, {"code": wrong_code(secret)})
    assert refused.status_code == 200
    assert field_errors(refused, "code") == [INCORRECT_CODE]
    assert not Authenticator.objects.filter(user=user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(ACTIVATE_URL, {"code": code_at(secret)})
    assert activated.status_code == 302
    assert activated["Location"] == RECOVERY_CODES_URL
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert totp.wrap().validate_code(code_at(secret, 30))  # the secret shown is the one stored
    rc = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = RecoveryCodes(rc).get_unused_codes()
    assert len(codes) == settings.MFA_RECOVERY_CODE_COUNT == 10
    assert SECRET_SESSION_KEY not in client.session

    shown = client.get(RECOVERY_CODES_URL)
    html = text(shown)
    assert shown.status_code == 200
    assert "Je hebt nog 10 van de 10 herstelcodes." in html
    assert '<pre class="secret" id="recovery_codes">' + "\n".join(codes) + "</pre>" in html
    assert '<a class="button" href="/">Ik heb de codes bewaard, ga verder</a>' in html

    assert client.get("/")["Location"] == "/portal/work/"
    employees = client.get("/registry/employees/")
    assert employees.status_code == 200
    assert "<h1>Werknemers</h1>" in text(employees)

    login = _events("identity.login")
    assert [(e.actor_id, e.outcome, e.ip_address, e.data) for e in login] == [
        (user.pk, "allowed", "127.0.0.1", {"methods": ["password"]})
    ]
    assert sorted(e.data["authenticator"] for e in _events("identity.mfa_added")) == [
        "recovery_codes",
        "totp",
    ]


def test_enrolment_asks_password_again_once_the_login_is_no_longer_fresh(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as clock:
        password_step(client, casemanager_carla.username)
        clock.shift(dt.timedelta(minutes=14))
        assert client.get(ACTIVATE_URL).status_code == 200
        clock.shift(dt.timedelta(minutes=2))  # 16 minutes after the password, 2 since last request
        response = client.get(ACTIVATE_URL)
        assert response.status_code == 302
        assert response["Location"] == f"{REAUTH_URL}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"


def test_second_login_asks_the_totp_code(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    user = casemanager_carla
    secret = f.enrol_totp(user)

    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == MFA_URL
    # The password alone logs nobody in.
    assert logged_in_user_id(client) is None
    assert client.get("/registry/employees/")["Location"] == "/accounts/login/?next=/registry/employees/"
    assert not _events("identity.login")

    page = client.get(MFA_URL)
    html = text(page)
    assert page.status_code == 200
    assert "Inloggen: tweede stap" in html
    assert 'name="code"' in html
    assert 'autocomplete="one-time-code"' in html

    done = code_step(client, code_at(secret))
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert logged_in_user_id(client) == user.pk
    assert client.get("/registry/employees/").status_code == 200
    assert [(e.actor_id, e.data) for e in _events("identity.login")] == [
        (user.pk, {"methods": ["password", "mfa:totp"]})
    ]


def test_wrong_code_is_refused_and_audited(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    user = casemanager_carla
    secret = f.enrol_totp(user)
    password_step(client, user.username)

    refused = code_step(client, wrong_code(secret))
    assert refused.status_code == 200
    assert field_errors(refused, "code") == [INCORRECT_CODE]
    assert INCORRECT_CODE in text(refused)
    assert logged_in_user_id(client) is None
    failed = _events("identity.mfa_failed")
    assert [(e.actor_id, e.outcome, e.data["username"], e.data["authenticator"]) for e in failed] == [
        (None, "denied", user.username, "totp")
    ]
    assert not _events("identity.login")

    # Still at the second step: the right code now completes the login.
    assert code_step(client, code_at(secret))["Location"] == "/"
    assert logged_in_user_id(client) == user.pk


def test_replayed_code_is_refused(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    user = casemanager_carla
    secret = f.enrol_totp(user)
    with time_machine.travel(FROZEN, tick=False) as clock:
        code = code_at(secret)
        flows.log_in(client, user, secret, code=code)
        client.post("/accounts/logout/")
        assert logged_in_user_id(client) is None

        # Same code, same 30-second window, still valid by the clock: allauth remembers it was used.
        password_step(client, user.username)
        replayed = code_step(client, code)
        assert replayed.status_code == 200
        assert field_errors(replayed, "code") == [INCORRECT_CODE]
        assert logged_in_user_id(client) is None
        assert _events("identity.mfa_failed")[0].data["username"] == user.username

        clock.shift(dt.timedelta(seconds=30))
        fresh = code_at(secret)
        assert fresh != code
        assert code_step(client, fresh)["Location"] == "/"
        assert logged_in_user_id(client) == user.pk


def test_recovery_code_logs_in_once(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    user = casemanager_carla
    f.enrol_totp(user)
    codes = RecoveryCodes.activate(user).get_unused_codes()

    password_step(client, user.username)
    assert code_step(client, codes[0])["Location"] == "/"
    assert logged_in_user_id(client) == user.pk
    assert _events("identity.login")[0].data == {"methods": ["password", "mfa:recovery_codes"]}
    client.post("/accounts/logout/")

    password_step(client, user.username)
    again = code_step(client, codes[0])
    assert field_errors(again, "code") == [INCORRECT_CODE]
    assert logged_in_user_id(client) is None
    rc = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(rc).get_unused_codes()) == 9


def test_code_guessing_is_throttled(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    user = casemanager_carla
    secret = f.enrol_totp(user)
    password_step(client, user.username)
    bad = wrong_code(secret)
    for _ in range(5):
        assert field_errors(code_step(client, bad), "code") == [INCORRECT_CODE]
    refused = code_step(client, code_at(secret))
    assert field_errors(refused, "code") == [TOO_MANY_ATTEMPTS]
    assert logged_in_user_id(client) is None
    assert len(_events("identity.mfa_failed")) == 5


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    wrong_password = password_step(client, "carla", "not-the-password")
    unknown_user = password_step(client, "nobody-here", "not-the-password")
    inactive = f.UserFactory(username="ingrid", is_active=False)
    inactive_wrong = password_step(client, inactive.username, "not-the-password")

    for response in (wrong_password, unknown_user, inactive_wrong):
        assert response.status_code == 200
        assert flows.form_errors(response) == [flows.WRONG_CREDENTIALS]
        assert logged_in_user_id(client) is None
    # The whole page is the same apart from the CSRF token and the name typed back into the form.
    pages = [
        flows.without_csrf(text(r)).replace(name, "NAME")
        for r, name in ((wrong_password, "carla"), (unknown_user, "nobody-here"), (inactive_wrong, "ingrid"))
    ]
    assert pages[0] == pages[1] == pages[2]

    failed = _events("identity.login_failed")
    assert [(e.actor_id, e.outcome, e.data) for e in failed] == [
        (None, "denied", {"username": "carla"}),
        (None, "denied", {"username": "nobody-here"}),
        (None, "denied", {"username": "ingrid"}),
    ]
    assert all("not-the-password" not in str(e.data) for e in AuditEvent.objects.all())


def test_unknown_user_costs_one_argon2_hash_like_a_known_user(client, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import Argon2PasswordHasher

    calls: list[str] = []
    real_encode, real_verify = Argon2PasswordHasher.encode, Argon2PasswordHasher.verify

    def encode(self, password, salt):  # type: ignore[no-untyped-def]
        calls.append("encode")
        return real_encode(self, password, salt)

    def verify(self, password, encoded):  # type: ignore[no-untyped-def]
        calls.append("verify")
        return real_verify(self, password, encoded)

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        f.UserFactory(username="known")
        monkeypatch.setattr(Argon2PasswordHasher, "encode", encode)
        monkeypatch.setattr(Argon2PasswordHasher, "verify", verify)

        password_step(client, "known", "wrong password 1")
        assert calls == ["verify"]
        calls.clear()
        password_step(client, "unknown", "wrong password 1")
        # allauth's backend hashes the password for a user that does not exist, like Django's
        # ModelBackend, so both answers cost one argon2 computation.
        assert calls == ["encode"]


def test_unknown_user_takes_about_as_long_as_a_wrong_password(client, db) -> None:  # type: ignore[no-untyped-def]
    import statistics
    import time

    from django.core.cache import cache

    def timed(username: str) -> float:
        cache.clear()  # keep the throttle out of the measurement
        start = time.perf_counter()
        response = password_step(client, username, "wrong password")
        elapsed = time.perf_counter() - start
        assert flows.form_errors(response) == [flows.WRONG_CREDENTIALS]
        return elapsed

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        f.UserFactory(username="known")
        timed("known")  # warm up
        known = statistics.median(timed("known") for _ in range(3))
        unknown = statistics.median(timed("unknown") for _ in range(3))
    # Both are dominated by one argon2 computation; a missing hash would be ~100x faster.
    assert 0.5 < unknown / known < 2.0, (known, unknown)


def test_session_row_only_exists_after_the_second_factor(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    secret = f.enrol_totp(casemanager_carla)
    password_step(client, casemanager_carla.username)
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert all("_auth_user_id" not in data for data in sessions)
    code_step(client, code_at(secret))
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert [data.get("_auth_user_id") for data in sessions if "_auth_user_id" in data] == [
        str(casemanager_carla.pk)
    ]


def test_inactive_user_with_the_right_password_is_told_the_account_is_blocked(client, db) -> None:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="ingrid", is_active=False)
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"
    page = client.get("/accounts/inactive/")
    assert "Dit account is geblokkeerd." in text(page)
    assert logged_in_user_id(client) is None
    assert isinstance(User.objects.get(pk=user.pk), User)
