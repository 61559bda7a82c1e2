"""Data-subject rights (AVG art. 12–22, WGBO 7:454–7:456): requests, restrictions and objections.

A request is answered within one month of receipt, extendable once by at most two months with
reasons, told to the person while the first month runs (AVG art. 12(3); ``clock.py``). Requests
about the medical file (categories B and C) are decided by the treating doctor, the others by the
privacy officer (seed 003 §4).

A request that arrived by letter, e-mail or phone needs an identity check: the uploaded ID copy
(:class:`IdentityCopy`) is sealed at rest and deleted in the transaction that records the check; only
who verified it, when and with which kind of document stays on the request.

A :class:`Restriction` (AVG art. 18) on a person stops every change, export, disclosure and job
about the person (``arbo.access.policy.is_restricted``) until it is lifted. An :class:`Objection`
(art. 21) records what the person objects to (quality visitation, research ...), which the apps that
do it consult (``is_objecting``).

Request data is kept two years after handling (seed 002) and then deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField
from arbo.privacy.clock import Clocked


class RightsRequest(Clocked, models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("inzage en afschrift")
        RECTIFICATION = "rectification", _("correctie of aanvulling")
        ERASURE = "erasure", _("verwijdering")
        RESTRICTION = "restriction", _("beperking van de verwerking")
        OBJECTION = "objection", _("bezwaar")
        PORTABILITY = "portability", _("overdraagbaarheid")
        WITHDRAWAL = "withdrawal", _("intrekken van toestemming")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portaal (ingelogd met tweestapsverificatie)")
        LETTER = "letter", _("brief")
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("telefoon")

    class Status(models.TextChoices):
        IDENTITY = "identity", _("identiteit nog controleren")
        IN_PROGRESS = "in_progress", _("in behandeling")
        REVIEW = "review", _("ter beoordeling bij de arts")
        DECIDED = "decided", _("beslist")

    class Decider(models.TextChoices):
        DOCTOR = "doctor", _("behandelend bedrijfsarts")
        PRIVACY_OFFICER = "privacy_officer", _("privacy officer")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("toegewezen")
        PARTLY = "partly", _("gedeeltelijk toegewezen")
        REFUSED = "refused", _("afgewezen")

    class DocumentKind(models.TextChoices):
        PASSPORT = "passport", _("paspoort")
        ID_CARD = "id_card", _("identiteitskaart")
        DRIVING_LICENCE = "driving_licence", _("rijbewijs")
        RESIDENCE_PERMIT = "residence_permit", _("verblijfsdocument")
        PORTAL_MFA = "portal_mfa", _("ingelogd in het portaal met tweestapsverificatie")

    kind = models.CharField(_("soort verzoek"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("binnengekomen via"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IDENTITY)
    #: The person the request is about: an employee (or former employee) or an applicant
    #: (``registry.Applicant``, pre-employment exams), exactly one of the two (database check).
    employee = models.ForeignKey(
        "registry.Employee",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("betrokkene"),
    )
    applicant = models.ForeignKey(
        "registry.Applicant",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("sollicitant"),
    )
    #: What the person asks (their words; may name health matters: B).
    description = EncryptedTextField(_("het verzoek"), blank=True)
    #: The request concerns the medical file (categories B and C): the treating doctor decides.
    medical = models.BooleanField(_("betreft het medisch dossier"), default=False)
    language = models.CharField(_("taal"), max_length=5, choices=settings.LANGUAGES, default="nl")
    #: Someone acting for the person (a lawyer, a parent): who, and the authorisation seen.
    representative = EncryptedTextField(_("ingediend namens betrokkene door"), blank=True)
    authorisation = EncryptedTextField(_("machtiging"), blank=True)
    received_on = models.DateField(_("ontvangen op"))
    due_on = models.DateField(_("uiterste antwoorddatum"))
    extended_on = models.DateField(_("verlengd op"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("reden verlenging"), blank=True)
    decider = models.CharField(_("beslist door"), max_length=16, choices=Decider.choices)
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandelend bedrijfsarts"),
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    identity_verified_at = models.DateTimeField(_("identiteit gecontroleerd op"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_document = models.CharField(
        _("soort identiteitsbewijs"), max_length=16, choices=DocumentKind.choices, blank=True
    )
    #: The doctor's review of the access package: what is withheld (WGBO 7:457) and why.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: ``{"kind:pk": "reason"}`` of the records withheld from the package.
    withheld = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(_("beslissing"), max_length=8, choices=Outcome.choices, blank=True)
    decision_text = EncryptedTextField(_("toelichting bij de beslissing"), blank=True)
    #: Erasure: per kind of record what was erased and what was kept with its ground (no content).
    erasure_report = models.JSONField(default=list, blank=True)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The expiring download link of the package in the portal (SHA-256 of the token).
    download_token_hash = models.CharField(max_length=64, blank=True)
    download_expires_at = models.DateTimeField(null=True, blank=True)
    #: A person without a portal account (an applicant) gets the decision as a posted letter:
    #: when it went into the post and who posted it.
    reply_address = EncryptedTextField(_("adres voor het antwoord"), blank=True)
    letter_posted_on = models.DateField(_("brief verstuurd op"), null=True, blank=True)
    letter_posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("verzoek van een betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(employee__isnull=False) & models.Q(applicant__isnull=True))
                | (models.Q(employee__isnull=True) & models.Q(applicant__isnull=False)),
                name="rights_request_one_person",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def subject(self) -> Any:
        """The person the request is about: the employee or the applicant."""
        return self.employee if self.employee_id is not None else self.applicant

    @property
    def for_applicant(self) -> bool:
        return self.applicant_id is not None

    @property
    def decider_label(self) -> str:
        """Who decides, as the pages say it: for an applicant the doctor is the examining doctor."""
        if self.for_applicant and self.decider == self.Decider.DOCTOR:
            return str(_("keurend arts"))
        return str(self.get_decider_display())

    @property
    def by_post(self) -> bool:
        """The answer goes by post: the person has no active portal account (an applicant always)."""
        if self.employee_id is None:
            return True
        user = self.employee.user  # type: ignore[union-attr]
        return user is None or not user.is_active

    @property
    def reference(self) -> str:
        return f"AVG-{self.received_on:%Y}-{self.pk or 0:04d}"


class IdentityCopy(models.Model):
    """The uploaded ID copy of a request that did not come through the portal: sealed, short-lived.

    Deleted in the transaction that records the identity check (``domain.record_identity_check``).
    """

    request = models.OneToOneField(RightsRequest, models.CASCADE, related_name="identity_copy")
    content = EncryptedTextField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"ID copy of request {self.request_id}"


class Restriction(models.Model):
    """AVG art. 18: while in force, nothing is done with the person's data but keeping it."""

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="restrictions")
    request = models.ForeignKey(RightsRequest, models.SET_NULL, null=True, blank=True, related_name="+")
    reason = EncryptedTextField(_("reden"), blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("beperking van de verwerking")
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(lifted_at__isnull=True), name="one_active_restriction"
            )
        ]

    def __str__(self) -> str:
        return f"restriction {self.pk} of employee {self.employee_id}"


class Objection(models.Model):
    """AVG art. 21: the person objects to one use of their data."""

    class Purpose(models.TextChoices):
        VISITATION = "visitation", _("kwaliteitsvisitatie (intercollegiale toetsing)")
        RESEARCH = "research", _("wetenschappelijk en statistisch onderzoek")
        OTHER = "other", _("andere verwerking")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="objections")
    request = models.ForeignKey(RightsRequest, models.SET_NULL, null=True, blank=True, related_name="+")
    purpose = models.CharField(_("bezwaar tegen"), max_length=12, choices=Purpose.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("bezwaar")

    def __str__(self) -> str:
        return str(self.get_purpose_display())


class SubjectStatement(models.Model):
    """WGBO 7:454(2): the person's own statement, kept next to a professional judgement they contest."""

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="own_statements")
    request = models.ForeignKey(RightsRequest, models.SET_NULL, null=True, blank=True, related_name="+")
    #: The record it stands next to (``app.model:pk`` of a subject record).
    about = models.CharField(_("bij"), max_length=80)
    text = EncryptedTextField(_("verklaring van betrokkene"))
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at"]
        verbose_name = _("eigen verklaring")

    def __str__(self) -> str:
        return f"statement {self.pk} about {self.about}"


class RightsSignal(models.Model):
    """A reminder of the daily job: a request near or past its due date (content-free mail)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("binnenkort uiterste antwoorddatum")
        OVERDUE = "overdue", _("antwoordtermijn verstreken")

    request = models.ForeignKey(RightsRequest, models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    raised_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_on"], name="one_rights_signal_per_term")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


#: Data categories (docs/privacy.md). That a person made a request, its dates and handling are D;
#: the texts may describe health matters (B); the review's withheld list names records (C: it says
#: which medical records exist). The ID copy is D (identity) and lives only until the check.
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "privacy.rightsrequest": {
        "kind": "D",
        "channel": "D",
        "status": "D",
        "employee": "D",
        "applicant": "D",
        "description": "B",
        "medical": "D",
        "language": "D",
        "representative": "D",
        "authorisation": "D",
        "received_on": "D",
        "due_on": "D",
        "extended_on": "D",
        "extension_reason": "B",
        "decider": "D",
        "doctor": "D",
        "registered_by": "D",
        "identity_verified_at": "D",
        "identity_verified_by": "D",
        "identity_document": "D",
        "reviewed_at": "D",
        "reviewed_by": "D",
        "withheld": "C",
        "outcome": "D",
        "decision_text": "B",
        "erasure_report": "D",
        "decided_on": "D",
        "decided_by": "D",
        "download_token_hash": "D",
        "download_expires_at": "D",
        "reply_address": "D",
        "letter_posted_on": "D",
        "letter_posted_by": "D",
    },
    "privacy.identitycopy": {"request": "D", "content": "D", "content_type": "D", "uploaded_at": "D"},
    "privacy.restriction": {
        "employee": "D",
        "request": "D",
        "reason": "B",
        "started_at": "D",
        "started_by": "D",
        "lifted_at": "D",
        "lifted_by": "D",
    },
    "privacy.objection": {
        "employee": "D",
        "request": "D",
        "purpose": "D",
        "recorded_at": "D",
        "lifted_at": "D",
    },
    "privacy.subjectstatement": {"employee": "D", "request": "D", "about": "D", "text": "C", "added_at": "D"},
    "privacy.rightssignal": {"request": "D", "kind": "D", "due_on": "D", "raised_at": "D"},
}


#: How the person reads the fields without a verbose name of their own in the access package
#: (``arbo.lib.subject.record_from_row``'s ``labels``).
SUBJECT_FIELD_LABELS = {
    "privacy.rightsrequest": {
        "registered_by": _("geregistreerd door"),
        "identity_verified_by": _("identiteit gecontroleerd door"),
        "reviewed_at": _("medisch deel beoordeeld op"),
        "reviewed_by": _("medisch deel beoordeeld door"),
        "erasure_report": _("verslag van de verwijdering"),
        "decided_by": _("beslist door"),
        "download_expires_at": _("downloadlink geldig tot"),
        "letter_posted_by": _("brief verstuurd door"),
    },
}
