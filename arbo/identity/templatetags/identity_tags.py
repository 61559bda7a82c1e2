from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django import template

from arbo.identity.domain import can_review_access as check
from arbo.identity.domain import can_see_staff_accounts
from arbo.identity.rights import staff_holding
from arbo.identity.roles import StaffFunction

register = template.Library()


@register.filter
def has_authenticator(user: Any, kind: str) -> bool:
    """Whether ``user`` has a second factor of ``kind`` ("totp", "webauthn", "recovery_codes")."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=kind).exists()


@register.filter
def can_review_access(user: Any) -> bool:
    """May open the periodic review of granted rights (applicatiebeheerder, privacy officer, directeur)."""

    return check(user)


@register.filter
def sees_staff_accounts(user: Any) -> bool:
    """May open staff accounts' pages (to request, decide on or review functions)."""

    return can_see_staff_accounts(user)


@register.filter
def is_privacy_officer(user: Any) -> bool:
    """Holds the privacy officer function (audit viewer, break-the-glass review)."""

    return staff_holding(user, StaffFunction.PRIVACY_OFFICER)
