"""Model fields that know nothing about our domain."""

from __future__ import annotations

from typing import Any

from django.db import models

from arbo.lib import crypto


class EncryptedTextField(models.TextField):
    """A text value stored as AES-GCM ciphertext (see :mod:`arbo.lib.crypto`).

    The ciphertext is bound to ``<app_label>.<model>.<field>``, so it cannot be moved to another
    column. Empty strings are stored as empty strings (there is nothing to hide).
    """

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return crypto.decrypt(value, context=self._context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(str(value), context=self._context())
