"""Writes on API clients and their tokens. Each function runs in one transaction with its audit record."""

from __future__ import annotations

import secrets
import string

from django.db import transaction
from django.utils import timezone

from arbo.access.policy import is_api_client
from arbo.api.models import PREFIX_LENGTH, TOKEN_LABEL, ApiToken, hash_token
from arbo.audit import log
from arbo.identity import domain as identity_domain
from arbo.identity.models import User
from arbo.registry.models import Employer, EmployerMembership

_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_BYTES = 32


def _new_prefix() -> str:
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not User.objects.filter(username=f"api-{prefix}").exists():
            return prefix


def generate_token() -> tuple[str, str]:
    """Return ``(prefix, plaintext)``; the plaintext reads ``arbo_<prefix>_<secret>``."""
    prefix = _new_prefix()
    return prefix, f"{TOKEN_LABEL}_{prefix}_{secrets.token_urlsafe(_SECRET_BYTES)}"


def employer_of(user: User) -> Employer | None:
    """The one employer an API client acts for (``None`` for anyone else)."""
    if not is_api_client(user):
        return None
    membership = user.employer_memberships.select_related("employer").first()
    return membership.employer if membership else None


@transaction.atomic
def create_api_client(employer: Employer, *, name: str, by: User) -> tuple[ApiToken, str]:
    """Create an API client for ``employer`` and its token; return the token and its plaintext.

    Side effects: creates a user of kind ``API_CLIENT`` without a usable password, an HR
    membership of ``employer`` for it (so the access policy scopes it to that employer and to
    categories A and D), an :class:`ApiToken` holding only the hash of the secret, and an audit
    record. The plaintext is returned once and stored nowhere.
    """
    prefix, plaintext = generate_token()
    user = User(username=f"api-{prefix}", first_name=name[:150], kind=User.Kind.API_CLIENT)
    user.set_unusable_password()
    user.save()
    EmployerMembership.objects.create(user=user, employer=employer, role=EmployerMembership.Role.HR)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, token_hash=hash_token(plaintext), created_by=by
    )
    log.record(
        by,
        log.Action.CREATE,
        "api.client_created",
        obj=token,
        data={"employer": employer.pk, "prefix": prefix, "client_user": user.pk},
    )
    return token, plaintext


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: User) -> bool:
    """Revoke ``token`` for good; return ``False`` when it was revoked already (nothing changes).

    Side effects: sets ``revoked_at``, blocks the API client's user account (through
    :func:`arbo.identity.domain.deactivate_user`, which writes its own audit record) and writes
    an audit record of the revocation. The next request with the token gets a 401.
    """
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        token.revoked_at = locked.revoked_at
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    if token.user.is_active:
        identity_domain.deactivate_user(token.user, by=by)
    log.record(
        by,
        log.Action.UPDATE,
        "api.token_revoked",
        obj=token,
        data={"prefix": token.prefix, "client_user": token.user_id},
    )
    return True
