"""Reporting keeps no figures (they are computed from the absence data); it records research
releases, so that every release names its basis, its purpose and the anonymity it was checked for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResearchRelease(models.Model):
    """One research export: who asked, why, on which basis, and the k and l it was verified for."""

    class Basis(models.TextChoices):
        #: Anonymised data: k-anonymous and l-diverse, checked before release (seeds 000, 002).
        ANONYMISED = "anonymised", _("geanonimiseerd (k-anoniem en l-divers)")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    period_from = models.DateField(_("van"))
    period_to = models.DateField(_("tot en met"))
    purpose = models.TextField(_("doel van het onderzoek"))
    basis = models.CharField(_("grondslag"), max_length=12, choices=Basis.choices)
    k = models.PositiveSmallIntegerField()
    l_diversity = models.PositiveSmallIntegerField()
    #: What the check found on the released rows (pycanon): at least ``k`` and ``l_diversity``.
    k_achieved = models.PositiveIntegerField(default=0)
    l_achieved = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    withheld_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"onderzoeksexport {self.pk} ({self.period_from}–{self.period_to})"


class ReportCell(models.Model):
    """A rollup: one group's figures over one period as the dashboard shows them, suppression applied.

    Written by ``refresh_report_cells`` (arbo.reporting.cache); ``employees is None`` means suppressed
    (``reason`` says why). ``group_key``: "total", "none" (no department) or a department id.
    """

    employer = models.ForeignKey("registry.Employer", models.CASCADE, related_name="+")
    computed_on = models.DateField()
    group_key = models.CharField(max_length=20)
    start = models.DateField()
    #: The last day counted: the period's end, or the day it was computed while the period runs.
    until = models.DateField()
    reason = models.CharField(max_length=16, blank=True)
    employees = models.PositiveIntegerField(null=True)
    verzuimpercentage = models.FloatField(null=True)
    meldingsfrequentie = models.FloatField(null=True)
    gemiddelde_verzuimduur = models.FloatField(null=True)
    nulverzuim = models.FloatField(null=True)
    duration_classes = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["employer", "computed_on", "group_key", "start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "computed_on", "group_key", "start", "until"], name="one_report_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.group_key} {self.start}–{self.until}"
