"""The effective function × category matrix and the four-eyes changes to it (shared/domain.md §3).

:class:`MatrixCell` holds the matrix that :mod:`arbo.access.matrix` enforces; it is seeded from
annex 2 of seed 003 (``matrix.MATRIX``) by migration ``0003_seed_matrix_annex_2``. A cell changes only
through an approved :class:`MatrixChangeRequest` (``arbo.access.domain``): someone asks with a
reason, a directeur who is not the requester approves ("deviations only with explicit approval of
the board"). :class:`MatrixVersion` holds one token that every applied change renews, so that
processes caching the matrix notice the change (``matrix._effective``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.identity.roles import StaffFunction
from arbo.lib.categories import Category


class Level(models.TextChoices):
    """The letters of annex 2, with its own explanation of them."""

    NONE = "-", _("geen toegang")
    READ = "R", _("raadplegen")
    CHANGE = "M", _("raadplegen en invoeren/muteren")
    DELETE = "V", _("raadplegen, invoeren/muteren en verwijderen")


#: How the letters are printed (annex 2 prints "no access" as an en dash).
LETTERS = {"-": "–", "R": "R", "M": "M", "V": "V"}


class MatrixCell(models.Model):
    function = models.CharField(_("functie"), max_length=40, choices=StaffFunction.choices)
    category = models.CharField(_("categorie"), max_length=1, choices=Category.choices)
    level = models.CharField(_("toegang"), max_length=1, choices=Level.choices)

    class Meta:
        verbose_name = _("cel van de autorisatiematrix")
        verbose_name_plural = _("autorisatiematrix")
        ordering = ["function", "category"]
        constraints = [
            models.UniqueConstraint(fields=["function", "category"], name="matrix_cell_unique"),
            models.CheckConstraint(
                condition=models.Q(level__in=["-", "R", "M", "V"]), name="matrix_cell_level"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=["A", "B", "C", "D"]), name="matrix_cell_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.category}: {self.level}"


class MatrixChangeRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op goedkeuring")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    function = models.CharField(_("functie"), max_length=40, choices=StaffFunction.choices)
    category = models.CharField(_("categorie"), max_length=1, choices=Category.choices)
    old_level = models.CharField(_("huidige toegang"), max_length=1, choices=Level.choices)
    new_level = models.CharField(_("nieuwe toegang"), max_length=1, choices=Level.choices)
    reason = models.TextField(_("reden"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("toelichting bij het besluit"), blank=True)

    class Meta:
        verbose_name = _("wijziging van de autorisatiematrix")
        verbose_name_plural = _("wijzigingen van de autorisatiematrix")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="matrix_change_has_reason"),
            models.CheckConstraint(
                condition=~models.Q(old_level=models.F("new_level")), name="matrix_change_changes_something"
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~models.Q(status="pending") & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="matrix_change_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")) | ~models.Q(status="approved"),
                name="matrix_change_four_eyes",
            ),
            # One open request per cell: a second one would be approved against a stale "old" level.
            models.UniqueConstraint(
                fields=["function", "category"],
                condition=models.Q(status="pending"),
                name="matrix_change_one_pending_per_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.category}: {self.old_level} → {self.new_level} ({self.status})"

    @property
    def old_letter(self) -> str:
        return LETTERS[self.old_level]

    @property
    def new_letter(self) -> str:
        return LETTERS[self.new_level]


class MatrixVersion(models.Model):
    """One row: a token renewed whenever a cell changes; caches of the matrix are keyed by it."""

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.token)
