"""allauth adapters: closed sign-up, session bookkeeping, throttling audit, MFA rules."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from arbo.audit import log
from arbo.identity import throttle
from arbo.identity.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from arbo.lib import crypto

#: How long after the password step a user who has no second factor yet may enrol one without
#: typing the password again: long enough to install an authenticator app, no longer than the idle
#: timeout.
ENROLMENT_WINDOW_SECONDS = 15 * 60


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by the arbodienst (registry, seed_demo), never by sign-up.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        now = time.time()
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_LAST_SEEN] = now

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Hold back an attempt on an account from an address with too many recent failures
        (:mod:`arbo.identity.throttle`, growing delays), then allauth's limit per address over all
        accounts (``ACCOUNT_RATE_LIMITS["login_password_failed"]``)."""
        username = str(credentials.get("username", ""))
        address = self.get_client_ip(request)
        verdict = throttle.check(username, address)
        try:
            if not verdict.allowed:
                raise ValidationError(
                    throttle.refusal_message(verdict.wait_seconds), code="too_many_login_attempts"
                )
            # Not super(): allauth's own limit counts per username from every address, which let
            # anyone lock an account. Its per-address limit over all accounts stays; allauth's
            # authenticate() takes this usage back after a good password, as it does its own.
            self._login_failed_rl_usage = ratelimit.consume(
                request, app="allauth.account", action="login_password_failed", key=address
            )
            if not self._login_failed_rl_usage:
                raise self.validation_error("too_many_login_attempts")
        except ValidationError:
            # Throttled: refused before any backend runs, so Django sends no user_login_failed
            # signal. The refusal is a login attempt all the same (NEN 7513).
            log.record(
                None,
                log.Action.LOGIN,
                "identity.login_throttled",
                request=request,
                outcome=log.Outcome.DENIED,
                data={"username": username[:150]},
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        throttle.record_failure(str(credentials.get("username", "")), self.get_client_ip(request))

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Enrolment right after a password-only login needs no second password prompt.

        allauth only counts an explicit re-authentication as "recent", so a user who has just
        typed the password and is sent to TOTP enrolment (``RequireMFAMiddleware``) would be asked
        for it again, and once more to see the recovery codes the enrolment produced. In a session
        that logged in on the password alone because the account had no second factor yet, the
        fresh login proves what a re-authentication would, so it counts for the MFA pages during
        ``ENROLMENT_WINDOW_SECONDS``. Everything else (deactivating accounts, and any MFA page in a
        session that logged in with a second factor) still asks.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _is_enrolment_session(context.request):
            return False
        return required


def _is_enrolment_session(request: HttpRequest | None) -> bool:
    from allauth.account.internal.flows.login import get_authentication_records  # noqa: PLC0415 — allauth's internal flows import its models: not at app loading

    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if any(r.get("method") == "mfa" for r in records):
        return False
    password_logins = [
        r["at"] for r in records if r.get("method") == "password" and not r.get("reauthenticated")
    ]
    if not password_logins or time.time() - password_logins[-1] >= ENROLMENT_WINDOW_SECONDS:
        return False
    # Every factor the account has was added in this session, after the password login.
    logged_in_at = datetime.fromtimestamp(password_logins[-1], tz=UTC)
    return not Authenticator.objects.filter(user=request.user, created_at__lt=logged_in_at).exists()


#: Associated data for authenticator secrets: a ciphertext from another column does not decrypt.
_MFA_SECRET_CONTEXT = "mfa.authenticator.secret"  # noqa: S105 - a context label, not a secret


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds encrypted at rest; TOTP cannot be switched off.

    Enable with ``MFA_ADAPTER = "arbo.identity.adapter.MFAAdapter"``.
    """

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, context=_MFA_SECRET_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        # Secrets written before encryption was switched on are base32 or hex, never "v1:...".
        if not encrypted_text.startswith(crypto.PREFIX + ":"):
            return encrypted_text
        return crypto.decrypt(encrypted_text, context=_MFA_SECRET_CONTEXT)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # TOTP is mandatory for every account that can reach personal data; a lost phone is
        # handled with a recovery code and, failing that, by the applicatiebeheerder.
        return authenticator.type != Authenticator.Type.TOTP
