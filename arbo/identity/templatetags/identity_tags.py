from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django import template

register = template.Library()


@register.filter
def has_authenticator(user: Any, kind: str) -> bool:
    """Whether ``user`` has a second factor of ``kind`` ("totp", "webauthn", "recovery_codes")."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=kind).exists()
