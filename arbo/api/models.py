"""API tokens: the secret an employer's API client authenticates with.

Only a SHA-256 hash of the token is stored; the plaintext is shown once, when it is created.
The secret part has 256 bits of randomness, so a fast unsalted hash is enough (nothing to
brute-force), and it lets authentication find the token by an indexed, exact lookup.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_LABEL = "arbo"  # noqa: S105 - the public label every token starts with, not a secret
PREFIX_LENGTH = 8


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


class ApiToken(models.Model):
    """One secret of one API client (a user of kind ``API_CLIENT`` linked to one employer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_tokens", verbose_name=_("API-koppeling")
    )
    name = models.CharField(_("naam"), max_length=120)
    prefix = models.CharField(_("herkenningsteken"), max_length=PREFIX_LENGTH, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("aangemaakt door")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
