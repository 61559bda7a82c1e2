"""Processors (verwerkers) and supplier support access (seeds 000, 002, 003 §5.8, 004).

A processor agreement records the party, its services, the agreement's dates, certifications
(ISO 27001, NEN 7510), sub-processors and where the data is processed: inside the EEA only.

A supplier's engineer gets an account of kind ``supplier`` that works only inside a support
window the privacy officer grants per ticket (:class:`SupportWindow`); outside a window every
request logs the account out (``SupportWindowMiddleware``), and inside one every request is
audited. A supplier account has no staff function, so the access policy shows it no personal data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway (ISO 3166-1 alpha-2).
EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)
#: How long one support window may last.
MAX_WINDOW = dt.timedelta(hours=8)


class Processor(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    services = models.TextField(_("diensten"))
    agreement_signed_on = models.DateField(_("verwerkersovereenkomst getekend op"))
    agreement_ends_on = models.DateField(_("verwerkersovereenkomst loopt tot"), null=True, blank=True)
    certifications = models.JSONField(_("certificeringen"), default=list, blank=True)
    sub_processors = models.TextField(_("subverwerkers"), blank=True)
    #: Countries (ISO codes) where the data is stored or processed: all inside the EEA.
    locations = models.JSONField(_("locaties van verwerking"), default=list)
    contact = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def agreement_in_force(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.agreement_signed_on <= day and (
            self.agreement_ends_on is None or day <= self.agreement_ends_on
        )


class SupportEngineer(models.Model):
    """A supplier account and the processor it works for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="support_engineer")
    processor = models.ForeignKey(Processor, models.PROTECT, related_name="engineers")

    def __str__(self) -> str:
        return str(self.user)


class SupportWindowQuerySet(models.QuerySet["SupportWindow"]):
    def current(self, now: dt.datetime | None = None) -> SupportWindowQuerySet:
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)


class SupportWindow(models.Model):
    engineer = models.ForeignKey(SupportEngineer, models.PROTECT, related_name="windows")
    ticket = models.CharField(_("ticket"), max_length=60)
    reason = models.TextField(_("reden"))
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SupportWindowQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="support_window_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket} ({self.starts_at:%Y-%m-%d %H:%M})"


#: Data categories (docs/privacy.md): which engineer worked when on which ticket (D).
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    # A processor is a company; its contact person's name makes the row personal data (D).
    "privacy.processor": {
        "name": "D",
        "services": "D",
        "agreement_signed_on": "D",
        "agreement_ends_on": "D",
        "certifications": "D",
        "sub_processors": "D",
        "locations": "D",
        "contact": "D",
        "active": "D",
    },
    "privacy.supportengineer": {"user": "D", "processor": "D"},
    "privacy.supportwindow": {
        "engineer": "D",
        "ticket": "D",
        "reason": "D",
        "starts_at": "D",
        "ends_at": "D",
        "granted_by": "D",
        "granted_at": "D",
        "revoked_at": "D",
    },
}
