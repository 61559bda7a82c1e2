"""Complaints: about the handling of personal data (privacy) and about care under the Wkkgz.

Seeds 000, 001 and 003 §11 promise a complaints procedure. A Wkkgz complaint is decided within six
weeks of receipt; the term may be extended once by at most four weeks, with written notice to the
complainant before the six weeks end (Wkkgz art. 17). A privacy complaint follows the term of the
rights requests: one month, extendable by at most two months with reasons (AVG art. 12(3)).

A complaint is seen by the privacy officer, the complaints officer handling it and the
complainant: not by the person complained about, nor by that person's colleagues.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField
from arbo.privacy.clock import Clocked


class Complaint(Clocked, models.Model):
    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("privacyklacht")
        WKKGZ = "wkkgz", _("klacht over de zorg (Wkkgz)")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portaal")
        STAFF = "staff", _("geregistreerd door de arbodienst")

    class Status(models.TextChoices):
        RECEIVED = "received", _("ontvangen")
        ACKNOWLEDGED = "acknowledged", _("ontvangst bevestigd")
        DECIDED = "decided", _("afgehandeld")

    kind = models.CharField(_("soort klacht"), max_length=8, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    complainant = models.ForeignKey(
        "registry.Employee", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("klager")
    )
    #: The complainant's name when not an employee in the registry (encrypted).
    complainant_name = EncryptedTextField(_("naam klager"), blank=True)
    complainant_contact = EncryptedTextField(_("contactgegevens klager"), blank=True)
    received_on = models.DateField(_("ontvangen op"))
    #: The language of the letters to the complainant.
    language = models.CharField(_("taal"), max_length=5, choices=settings.LANGUAGES, default="nl")
    description = EncryptedTextField(_("de klacht"))
    #: The staff member whose care or conduct the complaint is about (Wkkgz), if any.
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("over"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("klachtenfunctionaris"),
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    acknowledged_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(_("uiterste beslisdatum"))
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = EncryptedTextField(_("reden verlenging"), blank=True)
    decided_on = models.DateField(null=True, blank=True)
    outcome = EncryptedTextField(_("oordeel en maatregelen"), blank=True)
    upheld = models.BooleanField(_("gegrond"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handler=models.F("about")), name="complaint_handler_not_the_subject"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"KL-{self.received_on:%Y}-{self.pk:04d}"


class ComplaintSignal(models.Model):
    """A reminder of the daily job: a complaint near or past its decision date."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("binnenkort uiterste beslisdatum")
        OVERDUE = "overdue", _("beslistermijn verstreken")

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: The due date the signal was about: an extension makes a new signal possible.
    due_on = models.DateField()
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "due_on"], name="one_complaint_signal_per_term"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


#: Data categories (docs/privacy.md). A complaint about care may describe the care: the texts are
#: encrypted and category B (it concerns the guidance); who complained and about whom is D.
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "privacy.complaint": {
        "kind": "D",
        "channel": "D",
        "status": "D",
        "complainant": "D",
        "complainant_name": "D",
        "complainant_contact": "D",
        "received_on": "D",
        "language": "D",
        "description": "B",
        "about": "D",
        "handler": "D",
        "registered_by": "D",
        "acknowledged_on": "D",
        "due_on": "D",
        "extended_on": "D",
        "extension_reason": "B",
        "decided_on": "D",
        "outcome": "B",
        "upheld": "B",
    },
    "privacy.complaintsignal": {"complaint": "D", "kind": "D", "due_on": "D", "raised_at": "D"},
}
