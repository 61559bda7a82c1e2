"""The retention schedule as data, legal holds, and the purge log.

A :class:`RetentionRule` is one row per kind of record: the term and the event it runs from.
Adding a term is adding a row (a :class:`RuleChange` the privacy officer asks for and a second
person approves); the calculator (:mod:`arbo.retention.terms`) and the purge read the rows.

The :class:`PurgeLog` holds no personal data: the kind, the rule as it stood, counts, the day, and a
keyed pseudonym of the person (:func:`arbo.retention.register.pseudonym`), never a name or an id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.dates import show_date


class Event(models.TextChoices):
    """The facts a term runs from; the names are the calculator's query parameters."""

    END_OF_EMPLOYMENT = "end_of_employment", _("einde dienstverband")
    CASE_CLOSED = "case_closed", _("afsluiting van de zaak")
    LAST_CHANGE = "last_change", _("laatste wijziging")
    EXAM_DATE = "exam_date", _("datum van het onderzoek")
    EXPOSURE_END = "exposure_end", _("einde van de blootstelling")
    HANDLED = "handled", _("afhandeling")
    LOGGED = "logged", _("vastlegging")
    UPLOADED = "uploaded", _("upload")


class RetentionRule(models.Model):
    """One kind of record and how long it is kept."""

    kind = models.SlugField(_("soort"), max_length=40, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    years = models.PositiveSmallIntegerField(_("jaren"), default=0)
    months = models.PositiveSmallIntegerField(_("maanden"), default=0)
    days = models.PositiveSmallIntegerField(_("dagen"), default=0)
    runs_from = models.CharField(_("loopt vanaf"), max_length=24, choices=Event.choices)
    #: When ``runs_from`` is not known yet, the term runs from this event instead (a WvP file of
    #: someone still employed: from the closing of the case).
    otherwise_from = models.CharField(_("anders vanaf"), max_length=24, choices=Event.choices, blank=True)
    #: Years instead of ``years`` when the fact ``persistent_or_latent`` holds (biological agents).
    years_if_persistent = models.PositiveSmallIntegerField(
        _("jaren bij blijvende of latente werking"), null=True, blank=True
    )
    #: Kept at least until the person reaches this age (ionising radiation: 75).
    until_age = models.PositiveSmallIntegerField(_("ten minste tot leeftijd"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("bewaarregel")
        verbose_name_plural = _("bewaarschema")

    def __str__(self) -> str:
        return self.kind


class RuleChange(models.Model):
    """A change to the schedule: asked by the privacy officer with a reason, in force only once
    someone else (another privacy officer or a directeur) approves it. A new ``kind`` adds a row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op besluit")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    kind = models.SlugField(_("soort"), max_length=40)
    #: The rule's fields after the change (``label``, ``years``, …), as the form gave them.
    proposal = models.JSONField(_("voorstel"))
    #: The rule's fields before (empty for a new kind).
    previous = models.JSONField(_("vorige"), default=dict, blank=True)
    reason = models.TextField(_("reden"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(status="pending"), name="one_pending_change_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class LegalHold(models.Model):
    """While a hold stands (not lifted), nothing of its person (of its ``kind``, or of any kind when
    blank) is destroyed, whatever the schedule says."""

    class Reason(models.TextChoices):
        LABOUR_DISPUTE = "labour_dispute", _("arbeidsconflict")
        BENEFIT_DISPUTE = "benefit_dispute", _("uitkeringsgeschil of bezwaar (UWV, WIA)")
        OCCUPATIONAL_DISEASE = "occupational_disease", _("melding beroepsziekte")
        LASTING_AGREEMENT = "lasting_agreement", _("blijvende afspraak")
        ERASURE_PENDING = "erasure_pending", _("verzoek tot verwijdering in behandeling")

    employee = models.ForeignKey(
        "registry.Employee", models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    applicant = models.ForeignKey(
        "registry.Applicant", models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    kind = models.SlugField(_("soort"), max_length=40, blank=True)
    reason = models.CharField(_("reden"), max_length=24, choices=Reason.choices)
    note = models.TextField(_("toelichting"), blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    review_on = models.DateField(_("herbeoordelen op"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employee__isnull=False) | models.Q(applicant__isnull=False),
                name="hold_names_a_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} (tot {show_date(self.review_on)})"


class PurgeLog(models.Model):
    """What one batch of a purge (or one erasure) destroyed. No personal data: no names, no ids;
    the people by keyed pseudonym (:func:`arbo.retention.register.pseudonym`) with their counts,
    so "was this person's data destroyed, when?" is answered by computing their pseudonym."""

    day = models.DateField(db_index=True)
    kind = models.SlugField(max_length=40)
    #: The rule as it stood ("2y from end_of_employment"), or ``erasure`` for a rights request.
    rule = models.CharField(max_length=120)
    records = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    keys_destroyed = models.PositiveIntegerField(default=0)
    #: pseudonym -> records destroyed of that person in this batch ({} when no person: uploads).
    subjects = models.JSONField(default=dict)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}: {self.records}"


PERSONAL_DATA_CATEGORIES = {
    "retention.legalhold": {
        "employee": "A",
        "applicant": "A",
        "kind": "A",
        "reason": "B",
        "note": "B",
        "placed_by": "D",
        "placed_at": "A",
        "review_on": "A",
        "lifted_by": "D",
        "lifted_at": "A",
    },
}
