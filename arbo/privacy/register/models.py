"""The register of processing activities (AVG art. 30) and the privacy statement built from it.

Seeded from seed 001's annex (``migrations/0003_register``). Each activity names the models whose
personal data it covers (``covers``) and the data categories it processes: the coverage test
(:mod:`arbo.privacy.register.coverage`) ties every classified field to an activity. The privacy
officer edits an activity with a reason; every edit is kept (:class:`ActivityChange`) and
publishes a new version of the privacy statement (:class:`StatementVersion`), the old versions
staying readable.

Texts shown in the public statement exist in Dutch and in English (``*_en``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalGround(models.TextChoices):
    LEGAL_OBLIGATION = "legal_obligation", _("wettelijke verplichting (AVG art. 6 lid 1 c)")
    CONTRACT = "contract", _("uitvoering van een overeenkomst (AVG art. 6 lid 1 b)")
    CONSENT = "consent", _("toestemming (AVG art. 6 lid 1 a)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("gerechtvaardigd belang (AVG art. 6 lid 1 f)")


class ProcessingActivity(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200)
    purpose = models.TextField(_("doel"))
    purpose_en = models.TextField(_("doel (Engels)"))
    legal_ground = models.CharField(_("grondslag"), max_length=24, choices=LegalGround.choices)
    legal_basis = models.TextField(_("wettelijke basis"), blank=True)
    legal_basis_en = models.TextField(_("wettelijke basis (Engels)"), blank=True)
    data_subjects = models.CharField(_("betrokkenen"), max_length=300)
    data_subjects_en = models.CharField(_("betrokkenen (Engels)"), max_length=300)
    data_description = models.TextField(_("persoonsgegevens"))
    data_description_en = models.TextField(_("persoonsgegevens (Engels)"))
    #: Data categories A–D this activity processes.
    categories = models.JSONField(_("categorieën"), default=list)
    #: Model labels (``app.model``) whose personal data this activity covers.
    covers = models.JSONField(_("modellen"), default=list, blank=True)
    origin = models.CharField(_("herkomst"), max_length=300)
    origin_en = models.CharField(_("herkomst (Engels)"), max_length=300)
    recipients = models.TextField(_("ontvangers"))
    recipients_en = models.TextField(_("ontvangers (Engels)"))
    retention = models.TextField(_("bewaartermijn"))
    retention_en = models.TextField(_("bewaartermijn (Engels)"))
    #: The key of the rule in the retention schedule, once that exists (blank until then).
    retention_rule = models.CharField(_("regel in het bewaarschema"), max_length=60, blank=True)
    security_measures = models.TextField(_("beveiligingsmaatregelen"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ActivityChange(models.Model):
    """One edit of an activity: who, when, why, and each changed field's old and new value."""

    activity = models.ForeignKey(ProcessingActivity, models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.TextField()
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.changed_at:%Y-%m-%d}"


class StatementVersion(models.Model):
    """A published version of the privacy statement: a snapshot of the register, never changed."""

    number = models.PositiveIntegerField(unique=True)
    effective_on = models.DateField()
    published_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} ({self.effective_on})"


#: Data categories (docs/privacy.md): the register names no one; a change records its author (D).
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "privacy.activitychange": {
        "activity": "D",
        "changed_at": "D",
        "changed_by": "D",
        "reason": "D",
        "changes": "D",
    },
}
