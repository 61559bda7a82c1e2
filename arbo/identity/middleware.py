"""Session lifetime and mandatory MFA enrolment."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.audit import log

SESSION_LOGIN_AT = "arbo_login_at"
SESSION_LAST_SEEN = "arbo_last_seen"
SESSION_ACTIVITY_AT = "arbo_activity_at"
#: Seconds between two writes of a session's activity (issue 12: no write on every GET). The idle
#: limit is measured from the last write, so it may end a session up to this much early.
ACTIVITY_INTERVAL = 60


class UserSessionActivityMiddleware:
    """allauth's activity tracking of the user's sessions (the account page's list of sessions),
    written at most once per :data:`ACTIVITY_INTERVAL` instead of on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from allauth.usersessions import app_settings  # noqa: PLC0415 — allauth: not while the middleware module loads
        from allauth.usersessions.models import UserSession  # noqa: PLC0415 — allauth's models: as below

        if (
            app_settings.TRACK_ACTIVITY
            and request.session.session_key
            and request.user.is_authenticated
            and time.time() - request.session.get(SESSION_ACTIVITY_AT, 0) >= ACTIVITY_INTERVAL
        ):
            agent = request.META.get("HTTP_USER_AGENT", "")
            if "\x00" in agent:
                # PostgreSQL text cannot hold NUL: allauth stores the header as it came (500 before).
                request.META["HTTP_USER_AGENT"] = agent.replace("\x00", "\ufffd")
            UserSession.objects.create_from_request(request)
            request.session[SESSION_ACTIVITY_AT] = time.time()
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Log out after ``SESSION_COOKIE_AGE`` seconds idle or ``SESSION_ABSOLUTE_SECONDS`` in all.

    The idle limit is enforced first by the session store itself: a request saves the session (at
    most once per :data:`ACTIVITY_INTERVAL`) with an expiry ``SESSION_COOKIE_AGE`` ahead, so an idle session
    is simply gone and ``login_required`` sends the user to the login page. Checking the idle time
    here too keeps the rule independent of the session backend. The absolute lifetime can only be
    enforced here: activity keeps the stored session alive, so this middleware ends it, says why,
    and writes an audit record.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.get(SESSION_LOGIN_AT, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_COOKIE_AGE:
                return self._expire(request, "idle")
            if now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                return self._expire(request, "absolute")
            request.session.setdefault(SESSION_LOGIN_AT, now)
            if now - last_seen >= ACTIVITY_INTERVAL or SESSION_LAST_SEEN not in request.session:
                # Saving the session renews its expiry in the store too (SESSION_SAVE_EVERY_REQUEST
                # is off): at most once a minute.
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest, reason: str) -> HttpResponse:
        from allauth.usersessions.models import UserSession  # noqa: PLC0415 — allauth's models: not while the middleware module loads

        log.record(
            request.user,
            log.Action.LOGOUT,
            "identity.session_expired",
            request=request,
            basis=log.Basis.SELF,
            data={"reason": reason},
        )
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        logout(request)
        if request.method in ("GET", "HEAD"):
            response = redirect_to_login(request.get_full_path(), reverse("account_login"))
        else:
            # Only a page can be resumed after logging in again; a form post cannot.
            response = HttpResponseRedirect(reverse("account_login"))
        # This middleware runs before MessageMiddleware, so the message is stored by hand: the
        # chain stops here and MessageMiddleware never sees this request or response.
        storage = default_storage(request)
        storage.add(messages.INFO, _("Je sessie is verlopen. Log opnieuw in."))
        storage.update(response)
        return response


#: Paths a logged-in user without a second factor may still reach: enrolment itself (and the
#: recovery codes it shows), re-authentication, logout, language switching and static files.
_MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/i18n/",
    "/static/",
)


#: The account whose TOTP enrolment this session has seen (issue 12: not one query per request).
#: Dropped when the user removes an authenticator (:func:`forget_enrolment`); an administrator's
#: reset of the second factor ends the account's sessions (``identity.domain.reset_mfa``).
SESSION_TOTP_USER = "arbo_totp_user"


class RequireMFAMiddleware:
    """Every account that can reach personal data must enrol TOTP before doing anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and request.session.get(SESSION_TOTP_USER) != user.pk
        ):
            from allauth.mfa.models import Authenticator  # noqa: PLC0415 — allauth's models: not while the middleware module loads

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
            request.session[SESSION_TOTP_USER] = user.pk
        return self.get_response(request)


def forget_enrolment(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Signal receiver (allauth's ``authenticator_removed``): the session checks enrolment again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_TOTP_USER, None)
