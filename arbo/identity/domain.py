"""Writes on accounts."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from arbo.audit import log
from arbo.identity.models import User


@transaction.atomic
def deactivate_user(user: User, *, by: User, request: HttpRequest | None = None) -> None:
    """Block the account and end every session it has, on every device.

    The row stays (audit records point at it). Two mechanisms log the account out everywhere:
    every session allauth tracks for it (``allauth.usersessions``, one row per logged-in device) is
    deleted from the session store, whatever the session backend; and ``is_active`` false makes
    the authentication backend refuse the account on its next request even for a session that was
    somehow not tracked.
    """
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    ended = end_sessions(user)
    log.record(
        by,
        log.Action.UPDATE,
        "identity.user_deactivated",
        request=request,
        data={"user_id": user.pk, "sessions_ended": ended},
    )


def end_sessions(user: User) -> int:
    """Log ``user`` out on every device; returns how many sessions were ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended


@transaction.atomic
def reset_mfa(user: User, *, by: User, request: HttpRequest | None = None) -> None:
    """Remove the account's second factors (lost phone) and log it out everywhere.

    On the next login the password is enough to reach TOTP enrolment (``RequireMFAMiddleware``),
    exactly as on the very first login, so only do this after checking who asked for it.
    """
    types = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    Authenticator.objects.filter(user=user).delete()
    ended = end_sessions(user)
    log.record(
        by,
        log.Action.DELETE,
        "identity.mfa_reset_by_admin",
        request=request,
        data={"user_id": user.pk, "authenticators": types, "sessions_ended": ended},
    )
