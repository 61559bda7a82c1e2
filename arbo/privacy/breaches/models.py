"""The breach register (AVG art. 33 and 34; seeds 002 and 003 §11).

Every suspected incident is registered, also when it is not reported to the Autoriteit
Persoonsgegevens (AP): art. 33(5) wants the facts, the effects and the measures documented. The
72-hour term runs from ``aware_at``, the moment the arbodienst became aware (see
:mod:`arbo.privacy.breaches.clock`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField

#: How long a closed incident stays in the register (the register's own retention term): the AP
#: may ask for it; five years after closing, like the audit log it is part of.
REGISTER_TERM_YEARS = 5


class Breach(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("gemeld")
        ASSESSING = "assessing", _("in beoordeling")
        DECIDED = "decided", _("besloten")
        CLOSED = "closed", _("afgesloten")

    class Risk(models.TextChoices):
        UNKNOWN = "", _("nog niet beoordeeld")
        NONE = "none", _("geen risico")
        RISK = "risk", _("risico")
        HIGH = "high", _("hoog risico")

    class Nature(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", _("inbreuk op vertrouwelijkheid (ingezien of verstuurd)")
        INTEGRITY = "integrity", _("inbreuk op integriteit (gewijzigd)")
        AVAILABILITY = "availability", _("inbreuk op beschikbaarheid (kwijt of vernietigd)")

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="reported_breaches"
    )
    reported_at = models.DateTimeField(_("gemeld op"))
    occurred_at = models.DateTimeField(_("wanneer gebeurd"), null=True, blank=True)
    #: The moment of awareness: the 72-hour term runs from here (AVG art. 33(1)).
    aware_at = models.DateTimeField(_("wanneer ontdekt"))
    summary = models.CharField(_("korte omschrijving"), max_length=200)
    description = EncryptedTextField(_("wat is er gebeurd"))
    data_description = EncryptedTextField(_("welke gegevens"))
    #: Data categories A–D touched; never empty.
    data_categories = models.JSONField(_("soorten gegevens"), default=list)
    people_estimate = models.PositiveIntegerField(_("aantal betrokkenen (schatting)"))
    employer = models.ForeignKey(
        "registry.Employer",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("werkgever"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REPORTED)

    nature = models.JSONField(_("aard van de inbreuk"), default=list, blank=True)
    risk = models.CharField(_("risico"), max_length=5, choices=Risk.choices, default=Risk.UNKNOWN, blank=True)
    risk_reasoning = EncryptedTextField(_("risicobeoordeling"), blank=True)
    consequences = EncryptedTextField(_("mogelijke gevolgen"), blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    #: The decision (AVG art. 33/34): recorded with reasons either way.
    notify_ap = models.BooleanField(_("melden bij de AP"), null=True)
    notify_ap_reason = EncryptedTextField(_("motivering melding AP"), blank=True)
    notify_subjects = models.BooleanField(_("betrokkenen informeren"), null=True)
    notify_subjects_reason = EncryptedTextField(_("motivering informeren betrokkenen"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    ap_notified_at = models.DateTimeField(_("gemeld bij de AP op"), null=True, blank=True)
    ap_reference = models.CharField(_("meldnummer AP"), max_length=60, blank=True)
    #: The explanation to the people concerned (art. 34(2)), in Dutch and in English.
    letter_text = EncryptedTextField(_("toelichting in de brief (Nederlands)"), blank=True)
    letter_text_en = EncryptedTextField(_("toelichting in de brief (Engels)"), blank=True)
    letters_sent_at = models.DateTimeField(null=True, blank=True)

    measures = EncryptedTextField(_("genomen maatregelen"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-aware_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occurred_at__isnull=True)
                | models.Q(occurred_at__lte=models.F("aware_at")),
                name="breach_occurred_before_awareness",
            ),
            models.CheckConstraint(
                condition=models.Q(ap_notified_at__isnull=True)
                | models.Q(ap_notified_at__gte=models.F("aware_at")),
                name="breach_notice_after_awareness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"

    @property
    def reference(self) -> str:
        return f"DL-{self.aware_at:%Y}-{self.pk:04d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def keep_until(self) -> dt.date | None:
        """The register entry's own term: five years after closing."""
        if self.closed_at is None:
            return None
        closed = self.closed_at.date()
        try:
            return closed.replace(year=closed.year + REGISTER_TERM_YEARS)
        except ValueError:  # 29 February
            return closed.replace(year=closed.year + REGISTER_TERM_YEARS, day=28)


class BreachAffectedPerson(models.Model):
    """An employee affected by an incident: for the counts and the letters."""

    breach = models.ForeignKey(Breach, models.CASCADE, related_name="affected")
    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="+")
    #: Which of the incident's data categories concern this person.
    data_categories = models.JSONField(default=list)
    language = models.CharField(
        _("taal van de brief"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["breach", "employee"], name="one_affected_row_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.employee_id}"


class BreachSignal(models.Model):
    """A reminder of the hourly job: the 72-hour term is running and no decision is recorded."""

    class Kind(models.TextChoices):
        AFTER_24H = "24h", _("24 uur na ontdekking, nog geen besluit")
        AFTER_48H = "48h", _("48 uur na ontdekking, nog geen besluit")
        OVERDUE = "72h", _("72 uur verstreken zonder besluit")

    breach = models.ForeignKey(Breach, models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["breach", "kind"], name="one_breach_signal_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


#: Data categories (docs/privacy.md). The incident's texts may name people and describe their data:
#: encrypted, category A (process data of the arbodienst about the person); the link between an
#: employee and an incident is category D, like correspondence.
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "privacy.breach": {
        "reported_by": "D",
        "reported_at": "D",
        "occurred_at": "A",
        "aware_at": "A",
        "summary": "A",
        "description": "A",
        "data_description": "A",
        "data_categories": "A",
        "people_estimate": "A",
        "employer": "D",
        "status": "A",
        "nature": "A",
        "risk": "A",
        "risk_reasoning": "A",
        "consequences": "A",
        "assessed_at": "A",
        "assessed_by": "D",
        "notify_ap": "A",
        "notify_ap_reason": "A",
        "notify_subjects": "A",
        "notify_subjects_reason": "A",
        "decided_at": "A",
        "decided_by": "D",
        "ap_notified_at": "A",
        "ap_reference": "A",
        "letter_text": "A",
        "letter_text_en": "A",
        "letters_sent_at": "A",
        "measures": "A",
        "closed_at": "A",
    },
    "privacy.breachaffectedperson": {
        "breach": "D",
        "employee": "D",
        "data_categories": "D",
        "language": "D",
        "letter_sent_at": "D",
        "added_at": "D",
    },
    "privacy.breachsignal": {"breach": "A", "kind": "A", "raised_at": "A"},
}
