"""The journal (*journaal*) of an employee's file: dated notes by the arbodienst's staff.

Each entry has one data category — A (process and administration), B (re-integration: the
doctor's view, limitations, advice) or D (general) — and is shown only to those who may read that
category. Medical notes (C) are not journal entries: they live in ``arbo.medical``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField


class JournalEntry(models.Model):
    class Category(models.TextChoices):
        A = "A", _("A — proces en administratie")
        B = "B", _("B — re-integratie")
        D = "D", _("D — algemeen")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="journal_entries")
    category = models.CharField(_("categorie"), max_length=1, choices=Category.choices)
    text = EncryptedTextField(_("tekst"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("journaalregel")
        verbose_name_plural = _("journaal")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.created_at:%Y-%m-%d}"


#: The category of a journal entry is its own ``category`` column; the text inherits it.
PERSONAL_DATA_CATEGORIES = {
    "journal.journalentry": {"employee": "D", "category": "D", "text": "row", "author": "D"},
}
