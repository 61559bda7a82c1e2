"""Writes on accounts."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from arbo.audit import log
from arbo.identity.models import User


@transaction.atomic
def deactivate_user(user: User, *, by: User, request: HttpRequest | None = None) -> None:
    """Block the account and end every session it has, on every device.

    The row stays (audit records point at it); ``is_active`` false makes every authentication
    backend refuse it, and deleting the sessions logs it out everywhere at once.
    """
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    UserSession.objects.filter(user=user).delete()
    log.record(by, log.Action.UPDATE, "identity.user_deactivated", request=request, data={"user_id": user.pk})
