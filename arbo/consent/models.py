"""The one consent register, and (later sections) what leaves the arbodienst on which ground.

Seeds 000–004: data leaves only by law, by need, or with the person's written, specific consent.
Every consent of every kind is one ``Consent`` row: who consented, to what purpose, for which
recipient and scope, how, when, until when, and when it was withdrawn (never retroactive). The
older special-purpose consents (information exchange with a practitioner, one report to the
employer, an applicant's outcome) are kinds of it; their rows point here (``register_entry``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid(self, on: dt.date | None = None) -> ConsentQuerySet:
        """Consents that may be used now: not withdrawn, not expired."""
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Consent(models.Model):
    class Kind(models.TextChoices):
        INFORMATION_EXCHANGE = "informatie_uitwisseling", _("informatie-uitwisseling met een behandelaar")
        EMPLOYER_REPORT = "verslag_werkgever", _("één verslag naar de werkgever")
        APPLICANT_OUTCOME = "uitslag_keuring", _("uitslag van de aanstellingskeuring naar de werkgever")
        DISCLOSURE = "verstrekking", _("verstrekking van gegevens aan een ontvanger")

    class How(models.TextChoices):
        PORTAL = "portaal", _("in het portaal, met bevestiging")
        WRITTEN = "schriftelijk", _("schriftelijk (ondertekend formulier)")
        IN_PERSON = "mondeling", _("mondeling op het spreekuur")

    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices)
    #: The person who consented: an employee, or an applicant (pre-employment exam).
    employee = models.ForeignKey(
        "registry.Employee", models.PROTECT, null=True, blank=True, related_name="consents"
    )
    applicant = models.ForeignKey(
        "registry.Applicant", models.PROTECT, null=True, blank=True, related_name="consents"
    )
    #: What the consent is for, in words the person recognises (no medical content).
    purpose = models.CharField(_("doel"), max_length=300)
    recipient = models.ForeignKey(
        "registry.Organisation", models.PROTECT, null=True, blank=True, related_name="consents"
    )
    practitioner = models.ForeignKey(
        "registry.Practitioner", models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The employer, when the recipient is the employer (a report, an exam's outcome).
    employer = models.ForeignKey("registry.Employer", models.PROTECT, null=True, blank=True, related_name="+")
    #: What may be shared: profile items (``registry.name``) or documents (``medical.advice:12``).
    scope = models.JSONField(_("reikwijdte"), default=list, blank=True)
    how = models.CharField(_("hoe gegeven"), max_length=12, choices=How.choices)
    #: Who consented: the person, or their legal representative (named).
    given_by = models.CharField(_("gegeven door"), max_length=200)
    given_at = models.DateTimeField(_("gegeven op"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    #: The category of the *fact* of this consent: a consent about a practitioner or an exam is C.
    category = models.CharField(max_length=1, default="C")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employee__isnull=False, applicant__isnull=True)
                | Q(employee__isnull=True, applicant__isnull=False),
                name="consent_of_one_person",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"toestemming {self.pk} ({self.kind})"

    def is_valid(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and (self.valid_until is None or self.valid_until >= on)

    @property
    def withdrawable(self) -> bool:
        """An applicant's outcome, once released, cannot be taken back: the employer has seen it."""
        return self.withdrawn_at is None and self.kind != self.Kind.APPLICANT_OUTCOME


#: Data categories (docs/privacy.md). A consent names the person and, for a practitioner or an
#: exam, says something about their health care: the row carries its own category (``category``).
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "consent.consent": {
        "kind": "row",
        "employee": "row",
        "applicant": "row",
        "purpose": "row",
        "recipient": "row",
        "practitioner": "row",
        "employer": "row",
        "scope": "row",
        "how": "row",
        "given_by": "row",
        "given_at": "row",
        "valid_until": "row",
        "withdrawn_at": "row",
        "withdrawn_by": "row",
        "recorded_by": "row",
        "category": "row",
    },
}
