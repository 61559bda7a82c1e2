"""The roster import batch: an uploaded employee list kept between preview and commit.

Imported from ``arbo.registry.models`` so Django registers it in the registry app. The uploaded
file (:class:`RosterImportFile`) and the parsed rows (:class:`RosterImportRows`) hold BSNs, so they
are stored encrypted: the file until a worker has read it into runs of rows (or refused it), the
rows and ``payload`` until the batch is committed or has failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField


class RosterImport(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("wordt gecontroleerd")
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
    #: JSON: the columns, the ignored columns and the check's preview (counts and the rows shown), or
    #: why the file could not be read (see ``arbo.registry.roster.committing``); "" once not needed.
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
    def is_checking(self) -> bool:
        """Uploaded, waiting for (or in) the worker's check: the page polls the progress."""
        return self.status == self.Status.CHECKING

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


class RosterImportRows(models.Model):
    """A run of an upload's parsed rows, encrypted (they hold BSNs): the rows of a batch are kept in
    runs of a few thousand so that the preview and the commit read them a run at a time, never the
    whole file at once (issue 12). Deleted with the batch's payload once committed or refused."""

    batch = models.ForeignKey(RosterImport, models.CASCADE, related_name="row_runs")
    #: The order of the runs within the batch, from 0.
    number = models.PositiveIntegerField()
    #: JSON: a list of [spreadsheet row number, values in the batch's column order].
    rows = EncryptedTextField(_("rijen"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="roster_rows_batch_number")]
        ordering = ["batch", "number"]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.number}"


class RosterImportFile(models.Model):
    """The uploaded file as it came, encrypted in chunks of 1 MiB (:func:`arbo.lib.crypto.encrypt_bytes`,
    bound to its batch and position): the upload request only stores it, and the worker's check
    reads it into :class:`RosterImportRows`. Deleted as soon as that is done or the file is refused,
    and with its batch (discarded or expired)."""

    batch = models.ForeignKey(RosterImport, models.CASCADE, related_name="file_chunks")
    #: The order of the chunks within the file, from 0.
    number = models.PositiveIntegerField()
    #: ``v1:<key id>:`` nonce, ciphertext and tag of the chunk's bytes.
    data = models.BinaryField(_("bestandsdeel"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="roster_file_batch_number")]
        ordering = ["batch", "number"]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.number}"
