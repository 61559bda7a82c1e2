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

from arbo.lib.subject import most_sensitive


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
    #: The signed form (``how`` written): the scan sealed with the person's data key, like every upload.
    form_encrypted = models.BinaryField(_("ondertekend formulier"), null=True, blank=True)
    form_content_type = models.CharField(max_length=40, blank=True)
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


# --- Recipients' profiles, disclosures and their delivery -----------------------------------------


class Ground(models.TextChoices):
    LAW = "wet", _("wettelijke plicht")
    CONTRACT = "overeenkomst", _("overeenkomst")
    CONSENT = "toestemming", _("toestemming van de werknemer")


class RecipientProfile(models.Model):
    """What one kind of recipient may receive, and on which ground: data, not code (seed 003 §7).

    ``items`` are keys of :data:`arbo.consent.items.ITEMS`. A profile on the ground of consent
    needs a valid consent of the person for the recipient; a profile without person packages (the
    works council) receives group figures only.
    """

    kind = models.CharField(_("soort ontvanger"), max_length=20, unique=True)
    items = models.JSONField(_("gegevens"), default=list)
    ground = models.CharField(_("grondslag"), max_length=12, choices=Ground.choices)
    legal_basis = models.TextField(_("toelichting op de grondslag"), blank=True)
    person_packages = models.BooleanField(_("gegevens over één persoon"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class Disclosure(models.Model):
    """One package of one person's data sent to one recipient: the disclosure register (seed 002).

    The content (the items as read at composing) is sealed with the person's data key; the PDF
    and the JSON are rendered from it at download. The recipient fetches it with an expiring link
    and a one-time code sent separately, or finds it in its portal inbox; never by e-mail.
    """

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey("registry.Organisation", models.PROTECT, related_name="disclosures")
    composed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    ground = models.CharField(_("grondslag"), max_length=12, choices=Ground.choices)
    consent = models.ForeignKey(Consent, models.PROTECT, null=True, blank=True, related_name="disclosures")
    #: The item keys the package holds (labels, never content).
    items = models.JSONField(_("gegevens"), default=list)
    #: The category letters of what it holds, e.g. "ABD".
    categories = models.CharField(max_length=4)
    content_encrypted = models.TextField()
    delivery = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_hash = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    code_used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"verstrekking {self.pk}"

    @property
    def category(self) -> str:
        """The category of the register row: what the package held, and at least B, since that
        data left for a recipient outside the arbodienst (re-integration, insurer, UWV …) is itself
        a fact of the re-integration or of the care, which the employer does not learn here."""
        return most_sensitive([*self.categories, "B"])


class Visitation(models.Model):
    """A quality visitation: a visiting doctor reads a sample of one doctor's files for a while."""

    visiting_doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    visited_doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    sample = models.ManyToManyField("registry.Employee", related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visitation_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"visitatie {self.pk}"


class VisitationObjection(models.Model):
    """The employee objects to quality visitation of their file (seed 002, 003 §6.6)."""

    employee = models.OneToOneField("registry.Employee", models.PROTECT, related_name="visitation_objection")
    objected_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"bezwaar visitatie {self.employee_id}"


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
        "form_encrypted": "row",
        "form_content_type": "row",
        "category": "row",
    },
}
PERSONAL_DATA_CATEGORIES.update(
    {
        # A profile names no one: what a kind of recipient may receive is not personal data.
        "consent.disclosure": {
            "employee": "row",
            "recipient": "row",
            "composed_by": "row",
            "ground": "row",
            "consent": "row",
            "items": "row",
            "categories": "row",
            "content_encrypted": "row",
            "delivery": "row",
            "token_hash": "row",
            "code_hash": "row",
            "expires_at": "row",
            "code_used_at": "row",
            "failed_attempts": "row",
        },
        "consent.visitation": {
            "visiting_doctor": "D",
            "visited_doctor": "D",
            "opened_by": "D",
            "starts_at": "D",
            "ends_at": "D",
            "sample": "D",
        },
        "consent.visitationobjection": {"employee": "D", "objected_at": "D"},
    }
)
