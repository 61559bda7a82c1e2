"""Helpers that drive the real login pages through django.test.Client, step by step."""

from __future__ import annotations

import re
import time
from html import unescape

import pyotp
from django.test import Client

from arbo.identity.models import User
from tests import factories as f

LOGIN_URL = "/accounts/login/"
MFA_URL = "/accounts/2fa/authenticate/"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
RECOVERY_CODES_URL = "/accounts/2fa/recovery-codes/"
REAUTH_URL = "/accounts/reauthenticate/"
SECURITY_URL = "/accounts/2fa/"

# allauth's own Dutch messages (LANGUAGE_CODE is "nl").
WRONG_CREDENTIALS = "Je gebruikersnaam en/of wachtwoord zijn incorrect."
TOO_MANY_ATTEMPTS = "Te veel inlogpogingen. Probeer het later nogmaals."
INCORRECT_CODE = "Ongeldige code."
SESSION_EXPIRED = "Je sessie is verlopen. Log opnieuw in."

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def without_csrf(html: str) -> str:
    return _CSRF.sub(r'\1CSRF"', html)


def code_at(secret: str, offset_seconds: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset_seconds)


def wrong_code(secret: str) -> str:
    """A well-formed code that no counter within allauth's tolerance accepts."""
    valid = {code_at(secret, offset) for offset in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in valid)


def password_step(client: Client, username: str, password: str = f.TEST_PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"login": username, "password": password, **extra})


def code_step(client: Client, code: str):  # type: ignore[no-untyped-def]
    return client.post(MFA_URL, {"code": code})


def log_in(client: Client, user: User, secret: str, *, code: str | None = None) -> None:
    """Password, then the TOTP code: the whole login, asserting each step went through."""
    response = password_step(client, user.username)
    assert (response.status_code, response.get("Location")) == (302, MFA_URL), text(response)[-2000:]
    response = code_step(client, code or code_at(secret))
    assert (response.status_code, response.get("Location")) == (302, "/"), text(response)[-2000:]
    assert logged_in_user_id(client) == user.pk


def logged_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def field_errors(response, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


def form_errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e) for e in response.context["form"].non_field_errors()]
