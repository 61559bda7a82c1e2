"""Session lifetime and mandatory MFA enrolment."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_LOGIN_AT = "arbo_login_at"
SESSION_LAST_SEEN = "arbo_last_seen"


class SessionLifetimeMiddleware:
    """Log out after ``SESSION_COOKIE_AGE`` seconds idle or ``SESSION_ABSOLUTE_SECONDS`` in all.

    The database session already expires when idle; checking here too makes the rule explicit,
    independent of the session backend, and gives the user a message about why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.get(SESSION_LOGIN_AT, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_COOKIE_AGE or now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Je sessie is verlopen. Log opnieuw in."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session.setdefault(SESSION_LOGIN_AT, now)
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


#: Paths a logged-in user without a second factor may still reach: enrolment itself, logout,
#: language switching and static files.
_MFA_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/i18n/", "/static/")


class RequireMFAMiddleware:
    """Every account that can reach personal data must enrol TOTP before doing anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(_MFA_EXEMPT_PREFIXES):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
        return self.get_response(request)
