"""The roster import batch: an uploaded employee list kept between preview and commit.

Imported from ``arbo.registry.models`` so Django registers it in the registry app. The parsed rows
hold BSNs, so they are stored encrypted (``payload``) and cleared once the batch is committed or
has failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField


class RosterImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("voorbeeld getoond")
        QUEUED = "queued", _("wordt ingelezen")
        COMMITTED = "committed", _("ingelezen")
        FAILED = "failed", _("mislukt")

    employer = models.ForeignKey(
        "registry.Employer", models.CASCADE, related_name="roster_imports", verbose_name=_("werkgever")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("ingelezen door")
    )
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    #: The parsed rows as JSON (see ``arbo.registry.roster.dump_payload``); "" once no longer needed.
    payload = EncryptedTextField(_("inhoud"), blank=True)
    row_count = models.PositiveIntegerField(_("aantal rijen"), default=0)
    #: Why a queued commit failed: rows with a problem (their number), or the data changed meanwhile.
    problem_rows = models.PositiveIntegerField(_("rijen met een probleem"), default=0)
    conflict = models.BooleanField(_("gegevens intussen gewijzigd"), default=False)
    created_count = models.PositiveIntegerField(_("aangemaakt"), default=0)
    updated_count = models.PositiveIntegerField(_("bijgewerkt"), default=0)
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    committed_at = models.DateTimeField(_("ingelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personeelsbestand")
        verbose_name_plural = _("personeelsbestanden")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_previewed(self) -> bool:
        """Uploaded and checked, not yet queued: the preview shows the rows."""
        return self.status == self.Status.PREVIEWED

    @property
    def is_queued(self) -> bool:
        """Queued for (or in) the worker's commit: the page polls the progress."""
        return self.status == self.Status.QUEUED

    @property
    def unchanged_count(self) -> int:
        return max(self.row_count - self.created_count - self.updated_count, 0)
