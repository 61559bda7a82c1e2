"""The rest of the medical file: incoming correspondence, information requests, the FML.

Like everything in this app, texts and files are sealed with the employee's data key
(:mod:`arbo.medical.keys`); the columns ending in ``_encrypted`` hold ciphertext only.

Scanned letters are kept in the database (``IncomingDocument.content_encrypted``), not under
``MEDIA_ROOT``: the file then commits or rolls back with its row and its audit record (no orphan
files, no row without its file), every database backup holds it, several web workers need no
shared disk, and the file is ciphertext under the person's data key either way, so destroying the
key shreds it in every backup too. Letters are small (a scan of a few pages); uploads are capped
at :data:`MAX_DOCUMENT_BYTES`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class IncomingDocument(models.Model):
    """A letter received on paper (or as a file) for the medical file, scanned and filed.

    Seed 004: paper correspondence is scanned on the day of receipt and the paper destroyed
    afterwards, unless it must be kept (e.g. to hand it back), then in a locked cabinet.
    """

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="incoming_documents")
    received_on = models.DateField(_("ontvangen op"))
    scanned_on = models.DateField(_("gescand op"))
    sender_encrypted = models.TextField(blank=True)
    description_encrypted = models.TextField(blank=True)
    filename_encrypted = models.TextField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content_encrypted = models.BinaryField()
    paper_destroyed_on = models.DateField(_("papier vernietigd op"), null=True, blank=True)
    paper_retained = models.BooleanField(_("papier bewaard in afgesloten kast"), default=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scanned_on__gte=models.F("received_on")), name="scanned_after_receipt"
            ),
            models.CheckConstraint(
                condition=models.Q(paper_destroyed_on__isnull=True)
                | models.Q(paper_destroyed_on__gte=models.F("received_on")),
                name="paper_destroyed_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"ingekomen stuk {self.pk} ({self.received_on:%Y-%m-%d})"

    @property
    def scanned_on_day_of_receipt(self) -> bool:
        return self.scanned_on == self.received_on


class InformationConsent(models.Model):
    """The employee's consent to exchange information with one treating practitioner about one question.

    Seed 003: sharing or receiving information with other care providers only with the
    employee's explicit consent. Withdrawing it stops new requests, not earlier ones.
    """

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="information_consents")
    practitioner = models.ForeignKey("registry.Practitioner", models.PROTECT, related_name="+")
    #: The question the employee agreed to (category C, encrypted).
    question_encrypted = models.TextField()
    #: Who consented: the employee, or their legal representative (named).
    given_by = models.CharField(_("toestemming gegeven door"), max_length=200)
    given_on = models.DateField(_("toestemming gegeven op"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    #: The consent in the one register (arbo.consent): its validity and withdrawal live there.
    register_entry = models.OneToOneField(
        "consent.Consent", models.PROTECT, null=True, blank=True, related_name="information_consent"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"toestemming informatie-uitwisseling {self.pk}"

    @property
    def withdrawn_at(self) -> dt.datetime | None:
        return self.register_entry.withdrawn_at if self.register_entry else None

    @property
    def is_active(self) -> bool:
        return self.register_entry is not None and self.register_entry.is_valid()


class InformationRequest(models.Model):
    """A request for information to a treating practitioner, or one from them, under a consent."""

    class Direction(models.TextChoices):
        TO_PRACTITIONER = "uitgaand", _("verzoek aan de behandelaar")
        FROM_PRACTITIONER = "inkomend", _("verzoek van de behandelaar")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="information_requests")
    practitioner = models.ForeignKey("registry.Practitioner", models.PROTECT, related_name="+")
    consent = models.ForeignKey(InformationConsent, models.PROTECT, related_name="requests")
    direction = models.CharField(
        _("richting"), max_length=10, choices=Direction.choices, default=Direction.TO_PRACTITIONER
    )
    question_encrypted = models.TextField()
    answer_encrypted = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"informatieverzoek {self.pk}"


class Limitation(models.TextChoices):
    NONE = "geen", _("geen beperking")
    LIMITED = "beperkt", _("beperkt")
    SEVERELY = "sterk", _("sterk beperkt")
    NOT_ASSESSED = "niet_beoordeeld", _("niet beoordeeld")


#: The rubrics of the Functionele Mogelijkhedenlijst (FML, UWV), in their order.
FML_RUBRICS: tuple[tuple[str, Any], ...] = (
    ("persoonlijk", _("I. Persoonlijk functioneren")),
    ("sociaal", _("II. Sociaal functioneren")),
    ("omgeving", _("III. Aanpassing aan fysieke omgevingseisen")),
    ("dynamisch", _("IV. Dynamische handelingen")),
    ("statisch", _("V. Statische houdingen")),
    ("werktijden", _("VI. Werktijden")),
)


class FunctionalAbilities(models.Model):
    """One dated version of the functional abilities list (FML / belastbaarheid), category B.

    Never edited: a new assessment is a new row; the newest ``assessed_on`` is current. The rubrics
    (level and a short note each) and the remarks are one JSON document sealed with the person's
    data key.
    """

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="functional_abilities")
    assessed_on = models.DateField(_("beoordeeld op"))
    content_encrypted = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("functionele mogelijkhedenlijst")

    def __str__(self) -> str:
        return f"FML {self.assessed_on:%Y-%m-%d}"
