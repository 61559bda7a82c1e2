"""Absence cases under the Wet verbetering poortwachter (shared/domain.md §4).

A case (:class:`AbsenceCase`) is one added-up absence of one employee at one employer: its sick
periods (:class:`SickPeriod`, one per ziekmelding) follow each other with fewer than 28 fit days
between them (BW 7:629 lid 10). Recovery reports close a period (full) or record a partial
resumption without ending it; work on a therapeutic basis is recorded as hours and never ends the
absence. Reports are corrected or withdrawn with a reason, never deleted: :class:`ReportChange`
keeps the history.

:class:`Milestone` rows are the case's poortwachter deadlines, computed by the pure engine in
:mod:`arbo.absence.milestones.timeline` and kept in sync by :func:`arbo.absence.milestones.domain.sync_milestones`.

Data categories (shared/domain.md §2): everything here is category A (process and absence data the
employer may know), except which safety-net case applies, which is B (it reveals health data).
The nature or cause of the illness is never stored here: medical data lives in ``arbo.medical``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from arbo.lib.dates import show_date
from arbo.lib.fields import EncryptedTextField


class Channel(models.TextChoices):
    PORTAL = "portal", _("werkgeversportaal")
    STAFF = "staff", _("arbodienst")
    API = "api", _("API")


class AbsenceCaseQuerySet(models.QuerySet["AbsenceCase"]):
    def open(self) -> AbsenceCaseQuerySet:
        return self.filter(status=AbsenceCase.Status.OPEN)


class AbsenceCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("ziek")
        RECOVERED = "recovered", _("hersteld")

    class SelfInsurerFile(models.TextChoices):
        """The case is a self-insurer's own file (seed 000: "Dossiers Eigenrisicodragers"): the
        employer carries the Ziektewet or WGA benefit itself and keeps the file 5 or 10 years after
        the end of employment (retention kinds ``erd_zw`` and ``erd_wga``) instead of two."""

        NONE = "", _("nee")
        ZW = "zw", _("eigenrisicodrager Ziektewet")
        WGA = "wga", _("eigenrisicodrager WGA")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="absence_cases")
    employer = models.ForeignKey("registry.Employer", models.PROTECT, related_name="absence_cases")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    #: First sick day of the first counted period (denormalised for lists; the domain keeps it).
    first_sick_day = models.DateField(_("eerste ziektedag"))
    casemanager = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="managed_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: Category A: which self-insurer's file this is; the employer pays that benefit itself, so it
    #: knows; it says nothing about the illness (which safety net applies stays on the period, B).
    self_insurer_file = models.CharField(
        _("dossier eigenrisicodrager"), max_length=3, choices=SelfInsurerFile.choices, blank=True, default=""
    )

    objects = AbsenceCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-first_sick_day", "-id"]
        indexes = [
            models.Index(fields=["employer", "status"]),
            # Issue 12: the case list reads its page in this order and stops after it, at any size
            # of the book (open cases first: the default list; then every status).
            models.Index(
                fields=["-first_sick_day", "-id"], name="absence_open_case_order", condition=Q(status="open")
            ),
            models.Index(fields=["-first_sick_day", "-id"], name="absence_case_order"),
            # The API's keyset pages: an employer's cases, last registered first.
            models.Index(fields=["employer", "-id"], name="absence_case_employer_recent"),
        ]

    def __str__(self) -> str:
        return f"verzuim {self.pk} ({show_date(self.first_sick_day)})"

    def get_absolute_url(self) -> str:

        return reverse("absence:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SickPeriod(models.Model):
    """One ziekmelding: a period of incapacity from ``first_sick_day`` to ``last_sick_day``."""

    class ExpectedDuration(models.TextChoices):
        UNKNOWN = "unknown", _("onbekend")
        WEEK = "week", _("korter dan een week")
        WEEKS = "weeks", _("een tot zes weken")
        LONG = "long", _("langer dan zes weken")

    class SafetyNet(models.TextChoices):
        PREGNANCY = "pregnancy", _("zwangerschap of bevalling")
        ORGAN_DONATION = "organ_donation", _("orgaandonatie")
        NO_RISK = "no_risk", _("no-riskpolis")
        COMPENSATION = "compensation", _("compensatieregeling")
        OTHER = "other", _("anders")

    case = models.ForeignKey(AbsenceCase, models.PROTECT, related_name="periods")
    first_sick_day = models.DateField(_("eerste ziektedag"))
    last_sick_day = models.DateField(_("laatste ziektedag"), null=True, blank=True)
    expected_duration = models.CharField(
        _("verwachte duur"), max_length=10, choices=ExpectedDuration.choices, default=ExpectedDuration.UNKNOWN
    )
    stay_address = EncryptedTextField(_("verblijfsadres tijdens ziekte"), blank=True)
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    safety_net = models.BooleanField(_("vangnetregeling van toepassing"), default=False)
    #: Which safety net applies: for the arbodienst only (category B), never shown to the employer.
    safety_net_kind = models.CharField(
        _("soort vangnet"), max_length=16, choices=SafetyNet.choices, blank=True
    )
    workplace_accident = models.BooleanField(_("gevolg van een bedrijfsongeval"), default=False)
    liable_third_party = models.BooleanField(_("aansprakelijke derde (regres)"), default=False)
    remarks = EncryptedTextField(_("opmerkingen"), blank=True)
    #: The period directly follows pregnancy leave and has the same cause: it adds up to the
    #: period before the leave whatever the gap (BW 7:629 lid 10). Set by the arbodienst only.
    after_pregnancy_leave = models.BooleanField(
        _("aansluitend op zwangerschapsverlof, zelfde oorzaak"), default=False
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_via = models.CharField(_("gemeld via"), max_length=8, choices=Channel.choices)
    reported_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_sick_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_sick_day__isnull=True)
                | models.Q(last_sick_day__gte=models.F("first_sick_day")),
                name="sick_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        end = show_date(self.last_sick_day) if self.last_sick_day else "…"
        return f"{show_date(self.first_sick_day)} – {end}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class RecoveryReport(models.Model):
    """A (partial) recovery: full ends the absence; partial records the resumed share only."""

    class Kind(models.TextChoices):
        FULL = "full", _("volledig hersteld")
        PARTIAL = "partial", _("gedeeltelijk hersteld")

    case = models.ForeignKey(AbsenceCase, models.PROTECT, related_name="recoveries")
    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices)
    #: First day (partly) back at work.
    recovered_on = models.DateField(_("hersteld per"))
    percentage = models.PositiveSmallIntegerField(_("percentage hervat"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_via = models.CharField(_("gemeld via"), max_length=8, choices=Channel.choices)
    reported_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recovered_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {show_date(self.recovered_on)}"

    @property
    def is_full(self) -> bool:
        return self.kind == self.Kind.FULL


class TherapeuticWork(models.Model):
    """Work on a therapeutic basis (arbeidstherapie): hours only; the absence goes on."""

    case = models.ForeignKey(AbsenceCase, models.PROTECT, related_name="therapeutic_work")
    starts_on = models.DateField(_("vanaf"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"arbeidstherapie {self.hours_per_week} u/w vanaf {show_date(self.starts_on)}"


class ReportChange(models.Model):
    """A correction or withdrawal of a report, with its reason: the history stays visible."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("correctie")
        WITHDRAWAL = "withdrawal", _("intrekking")

    case = models.ForeignKey(AbsenceCase, models.PROTECT, related_name="changes")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    #: What was changed: "sick_period", "recovery" or "therapeutic_work", and its id.
    report_type = models.CharField(max_length=20)
    report_id = models.PositiveBigIntegerField()
    #: Old and new values of the changed fields, as a readable summary (encrypted: category A data).
    summary = EncryptedTextField(_("wijziging"), blank=True)
    reason = EncryptedTextField(_("reden"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.report_type} {self.report_id}"


class Milestone(models.Model):
    """A poortwachter deadline of a case: due, done, overdue, or no longer applicable."""

    class Kind(models.TextChoices):
        REPORT_TO_ARBODIENST = "report_to_arbodienst", _("Ziekmelding bij de arbodienst")
        PROBLEEMANALYSE = "probleemanalyse", _("Probleemanalyse")
        PLAN_VAN_AANPAK = "plan_van_aanpak", _("Plan van aanpak")
        EVALUATION = "evaluatie", _("Evaluatie plan van aanpak")
        UWV_42ND_WEEK_NOTICE = "uwv_42nd_week_notice", _("42e-weeksmelding aan UWV")
        EERSTEJAARSEVALUATIE = "eerstejaarsevaluatie", _("Eerstejaarsevaluatie")
        RIV_TO_EMPLOYEE = "riv_to_employee", _("Re-integratieverslag aan werknemer")
        WIA_APPLICATION = "wia_application", _("WIA-aanvraag")
        WAGE_PAYMENT_END = "wage_payment_end", _("Einde loondoorbetaling")

    class Owner(models.TextChoices):
        DOCTOR = "doctor", _("bedrijfsarts")
        CASEMANAGER = "casemanager", _("casemanager")
        EMPLOYER = "employer", _("werkgever")
        EMPLOYEE = "employee", _("werknemer")

    class Status(models.TextChoices):
        DUE = "due", _("open")
        OVERDUE = "overdue", _("te laat")
        DONE = "done", _("gedaan")
        NOT_APPLICABLE = "n/a", _("vervallen")

    case = models.ForeignKey(AbsenceCase, models.CASCADE, related_name="milestones")
    kind = models.CharField(_("mijlpaal"), max_length=24, choices=Kind.choices)
    #: 1, 2, ... for evaluations; 0 for every other kind.
    sequence = models.PositiveSmallIntegerField(default=0)
    owner = models.CharField(_("verantwoordelijke"), max_length=12, choices=Owner.choices)
    #: The legal due date from the engine.
    due_on = models.DateField(_("uiterste datum"))
    #: A deviation from the term (Regeling procesgang art. 5): the agreed date and its reason.
    deviated_due_on = models.DateField(_("afwijkende datum"), null=True, blank=True)
    deviation_reason = EncryptedTextField(_("reden van afwijking"), blank=True)
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The document that fulfilled it (a WvP document of this case), when there is one.
    document = models.ForeignKey(
        "absence.CaseDocument", models.SET_NULL, null=True, blank=True, related_name="fulfils"
    )
    not_applicable = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "sequence"], name="one_milestone_per_kind_and_sequence"
            )
        ]
        # Issue 12: the caseload reads the milestones still to do by owner and effective due date,
        # and the ones done late; neither reads all milestones of the book.
        indexes = [
            models.Index(
                F("owner"),
                Coalesce("deviated_due_on", "due_on"),
                name="absence_milestone_to_do",
                condition=Q(done_on__isnull=True, not_applicable=False),
            ),
            models.Index(
                F("owner"),
                F("done_on"),
                name="absence_milestone_done_late",
                condition=Q(done_on__gt=Coalesce("deviated_due_on", "due_on")),
            ),
        ]

    def __str__(self) -> str:
        suffix = f" {self.sequence}" if self.sequence else ""
        return f"{self.get_kind_display()}{suffix}"

    @property
    def effective_due_on(self) -> dt.date:
        return self.deviated_due_on or self.due_on

    @property
    def lateness(self) -> str:
        """How late a done milestone was done ("7 weken te laat"; issue 18: done late stays late),
        "" when done on time or not done."""
        if not self.done_on or self.done_on <= self.effective_due_on:
            return ""
        days = (self.done_on - self.effective_due_on).days
        if days >= 14:
            weeks = days // 7
            return ngettext("%(n)d week te laat", "%(n)d weken te laat", weeks) % {"n": weeks}
        return ngettext("%(n)d dag te laat", "%(n)d dagen te laat", days) % {"n": days}

    def status_on(self, today: dt.date) -> str:
        if self.done_on:
            return self.Status.DONE
        if self.not_applicable:
            return self.Status.NOT_APPLICABLE
        if self.effective_due_on < today:
            return self.Status.OVERDUE
        return self.Status.DUE

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def is_task(self) -> bool:
        """The end of wage payment is a date to know, not something anyone ticks off."""
        return self.kind != self.Kind.WAGE_PAYMENT_END


class Signal(models.Model):
    """A reminder the daily job raised for a milestone: one per milestone and kind, ever."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("binnenkort uiterste datum")
        OVERDUE = "overdue", _("termijn verstreken")

    milestone = models.ForeignKey(Milestone, models.CASCADE, related_name="signals")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    raised_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "kind"], name="one_signal_per_milestone_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.milestone_id})"


class CaseDocument(models.Model):
    """A WvP document of a case (shared/domain.md §4; Regeling procesgang art. 2, 4, 6).

    Its text lives in :class:`DocumentVersion` rows (every save is a new version; nothing is
    overwritten). Category B: re-integration health data. The employer receives it only once
    released (``released_to_employer_at``), and where the employee may review first
    (``employee_review``), only after the employee has seen it and could respond.
    """

    class Kind(models.TextChoices):
        PROBLEEMANALYSE = "probleemanalyse", _("Probleemanalyse")
        BIJSTELLING_PROBLEEMANALYSE = "bijstelling_pa", _("Bijstelling probleemanalyse")
        PLAN_VAN_AANPAK = "plan_van_aanpak", _("Plan van aanpak")
        EVALUATION = "evaluatie", _("Evaluatie plan van aanpak")
        BIJSTELLING_PLAN = "bijstelling_pva", _("Bijstelling plan van aanpak")
        EERSTEJAARSEVALUATIE = "eerstejaarsevaluatie", _("Eerstejaarsevaluatie")
        EINDEVALUATIE = "eindevaluatie", _("Eindevaluatie")
        ACTUEEL_OORDEEL = "actueel_oordeel", _("Actueel oordeel bedrijfsarts")
        RIV = "riv", _("Re-integratieverslag")

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        FINAL = "final", _("definitief")

    case = models.ForeignKey(AbsenceCase, models.PROTECT, related_name="documents")
    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    #: The employee may see (and respond to) the document before the employer receives it.
    employee_review = models.BooleanField(_("werknemer leest eerst"), default=False)
    employee_seen_at = models.DateTimeField(null=True, blank=True)
    employee_response = EncryptedTextField(_("reactie werknemer"), blank=True)
    released_to_employer_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class DocumentVersion(models.Model):
    """One saved version of a document's text: its sections as JSON, encrypted (category B)."""

    document = models.ForeignKey(CaseDocument, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = EncryptedTextField(_("inhoud"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number_per_document")
        ]

    def __str__(self) -> str:
        return f"versie {self.number} van document {self.document_id}"


PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "absence.absencecase": {
        "employee": "D",
        "employer": "D",
        "status": "A",
        "first_sick_day": "A",
        "casemanager": "A",
        "closed_at": "A",
        "self_insurer_file": "A",
    },
    "absence.sickperiod": {
        "case": "A",
        "first_sick_day": "A",
        "last_sick_day": "A",
        "expected_duration": "A",
        "stay_address": "A",
        "phone": "A",
        "safety_net": "A",
        "safety_net_kind": "B",
        "workplace_accident": "A",
        "liable_third_party": "A",
        "remarks": "A",
        "after_pregnancy_leave": "B",
        "reported_by": "A",
        "reported_via": "A",
        "reported_at": "A",
        "withdrawn_at": "A",
    },
    "absence.recoveryreport": {
        "case": "A",
        "kind": "A",
        "recovered_on": "A",
        "percentage": "A",
        "hours_per_week": "A",
        "reported_by": "A",
        "reported_via": "A",
        "reported_at": "A",
        "withdrawn_at": "A",
    },
    "absence.therapeuticwork": {
        "case": "A",
        "starts_on": "A",
        "hours_per_week": "A",
        "recorded_by": "A",
        "recorded_at": "A",
        "withdrawn_at": "A",
    },
    "absence.reportchange": {
        "case": "A",
        "kind": "A",
        "report_type": "A",
        "report_id": "A",
        "summary": "A",
        "reason": "A",
        "changed_by": "A",
        "changed_at": "A",
    },
    "absence.milestone": {
        "case": "A",
        "kind": "A",
        "sequence": "A",
        "owner": "A",
        "due_on": "A",
        "deviated_due_on": "A",
        "deviation_reason": "A",
        "done_on": "A",
        "done_by": "A",
        "document": "A",
        "not_applicable": "A",
    },
    "absence.signal": {"milestone": "A", "kind": "A", "raised_on": "A"},
    "absence.casedocument": {
        "case": "A",
        "kind": "A",
        "status": "A",
        "employee_review": "A",
        "employee_seen_at": "A",
        "employee_response": "B",
        "released_to_employer_at": "A",
        "created_by": "A",
        "finalised_at": "A",
        "finalised_by": "A",
    },
    "absence.documentversion": {"document": "A", "number": "A", "content": "B", "author": "B"},
}
