"""Category C: the company doctor's medical file. Everything here is encrypted per person.

Each employee with medical data has a :class:`DataKey`: a random AES-256 key, stored only wrapped
(encrypted) by a master key from ``MEDICAL_MASTER_KEYS``. Every medical text is encrypted with the
person's data key. Destroying the data key (:func:`arbo.medical.keys.destroy_data_key`) makes all
of that person's medical data unreadable everywhere, backups included (crypto-shredding).

Columns ending in ``_encrypted`` hold ciphertext made by :func:`arbo.medical.keys.seal` with the
employee's data key (an empty string stays empty). That covers every category C text and the
category B texts this app keeps (advice after a consultation, the FML), so shredding the key
shreds them all. The models of incoming correspondence, information requests and the FML are in
:mod:`arbo.medical.records.models`.

What is *not* encrypted is what planning needs and may be shown to staff with category D: the
date, time, place, mode, doctor and status of a consultation. Its kind is stored plainly (the
planner chooses it when booking) but shown only to readers of category C; the reason for a
consultation is category C and encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.medical.records.models import (  # noqa: F401 - the models of this app live in two modules
    FunctionalAbilities,
    IncomingDocument,
    InformationConsent,
    InformationRequest,
)


class DataKey(models.Model):
    employee = models.OneToOneField("registry.Employee", models.PROTECT, related_name="medical_data_key")
    master_key_id = models.CharField(max_length=40)
    wrapped_key = models.TextField(blank=True)  # empty once destroyed
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    #: The medical file's last change (its 20-year retention term runs from it): every medical
    #: write seals with this key (``keys.encrypt_for``), which moves it to today.
    last_changed = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"data key of employee {self.employee_id} ({self.master_key_id})"


class Mode(models.TextChoices):
    """How a consultation takes place. A video consultation is never recorded: only its link is kept."""

    IN_PERSON = "spreekkamer", _("op het spreekuur")
    PHONE = "telefoon", _("telefonisch")
    VIDEO = "video", _("videoverbinding")


class ConsultationSlot(models.Model):
    """A time a doctor holds consultation hours. Booked by at most one live consultation."""

    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="consultation_slots")
    starts_at = models.DateTimeField(_("begin"))
    ends_at = models.DateTimeField(_("einde"))
    mode = models.CharField(_("vorm"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["doctor", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.doctor} {self.starts_at:%Y-%m-%d %H:%M}"

    #: In the agenda's one list per day, a free slot among the appointments (issue 18).
    is_free_slot = True


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def reaching_employer(self) -> ConsultationQuerySet:
        """Consultations the employer may know of at all: the spreekuur in the absence process."""
        return self.filter(kind=Consultation.Kind.REGULAR)


class Consultation(models.Model):
    """An appointment of an employee with a doctor (the spreekuur).

    Only a :attr:`Kind.REGULAR` consultation (asked for in the absence process) ever shows up for
    the employer: its appointment, its released advice and a no-show notice. A preventive
    consultation (arbeidsomstandighedenspreekuur, on the employee's own initiative) and any other
    consultation reach the employer only as one specific report the employee consented to
    (:class:`EmployerReportConsent`), never as an appointment or a notice (seed 004).
    """

    class Kind(models.TextChoices):
        REGULAR = "spreekuur", _("spreekuur verzuimbegeleiding")
        PREVENTIVE = "preventief", _("preventief spreekuur (arbeidsomstandighedenspreekuur)")
        OTHER = "overig", _("overig consult")

    class Status(models.TextChoices):
        PLANNED = "gepland", _("gepland")
        HELD = "gehouden", _("gehouden")
        NO_SHOW = "niet_verschenen", _("niet verschenen")
        CANCELLED = "geannuleerd", _("geannuleerd")

    LIVE_STATUSES = (Status.PLANNED, Status.HELD, Status.NO_SHOW)

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="consultations")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="consultations")
    slot = models.ForeignKey(
        ConsultationSlot, models.SET_NULL, null=True, blank=True, related_name="consultations"
    )
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("begin"))
    ends_at = models.DateTimeField(_("einde"))
    mode = models.CharField(_("vorm"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    video_link = models.URLField(_("link naar de videoverbinding"), max_length=500, blank=True)
    #: Why the employee comes, when it is medical (category C, encrypted with the person's key).
    reason_encrypted = models.TextField(blank=True)
    #: Bumped on every rescheduling: the iCalendar SEQUENCE, so calendars replace the old time.
    sequence = models.PositiveIntegerField(default=0)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    #: When the short no-show notice went to employee and employer at once (regular kind only).
    no_show_notified_at = models.DateTimeField(null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["doctor", "starts_at"]),
            models.Index(fields=["employee", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="consultation_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(slot__isnull=False) & ~models.Q(status="geannuleerd"),
                name="one_live_consultation_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("medical:consultation_detail", args=[self.pk])

    @property
    def reaches_employer(self) -> bool:
        return self.kind == self.Kind.REGULAR

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class MedicalNote(models.Model):
    """A note in the medical file, optionally made at a consultation. Everything is encrypted.

    A diagnosis may carry a CAS code (the occupational health classification) and/or an ICD-10
    code; both are category C and encrypted like the body.
    """

    class Kind(models.TextChoices):
        ANAMNESIS = "anamnese", _("anamnese")
        FINDINGS = "bevindingen", _("bevindingen")
        DIAGNOSIS = "diagnose", _("diagnose")
        MEDICATION = "medicatie", _("medicatie")
        TREATMENT = "behandeling", _("behandeling")
        HISTORY = "voorgeschiedenis", _("voorgeschiedenis")
        NOTE = "notitie", _("notitie")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="medical_notes")
    consultation = models.ForeignKey(
        Consultation, models.PROTECT, null=True, blank=True, related_name="notes"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    body_encrypted = models.TextField()
    cas_code_encrypted = models.TextField(blank=True)
    icd10_code_encrypted = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class ConsultationAdvice(models.Model):
    """The doctor's non-medical advice after a held consultation (category B), apart from the notes.

    Release (seed 004, shared/domain.md §4): employee and employer receive it at the same moment
    (``employee_released_at == employer_released_at``). When the employee asked to see it first,
    it reaches the employer only once the employee marked it seen (``employee_seen_at``) without
    asking for a correction. Advice of a consultation that does not reach the employer
    (preventive, other) goes to the employee only, unless the employee consented to this report.
    """

    consultation = models.OneToOneField(Consultation, models.PROTECT, related_name="advice")
    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="consultation_advice")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    can_do_encrypted = models.TextField(blank=True)
    cannot_do_encrypted = models.TextField(blank=True)
    expected_duration_encrypted = models.TextField(blank=True)
    adjustments_encrypted = models.TextField(blank=True)
    reintegration_encrypted = models.TextField(blank=True)
    #: The employee asked to see the advice before it goes to the employer.
    employee_review_requested = models.BooleanField(_("werknemer wil het advies eerst inzien"), default=False)
    employee_released_at = models.DateTimeField(null=True, blank=True)
    employer_released_at = models.DateTimeField(null=True, blank=True)
    employee_seen_at = models.DateTimeField(null=True, blank=True)
    correction_requested = models.BooleanField(default=False)
    #: The employee's response or correction request (category B, encrypted).
    employee_response_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-consultation__starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer_released_at__isnull=True)
                | models.Q(employee_released_at__isnull=False),
                name="advice_reaches_employee_before_employer",
            )
        ]

    def __str__(self) -> str:
        return f"advies bij consult {self.consultation_id}"

    @property
    def awaiting_employee_review(self) -> bool:
        return (
            self.employee_review_requested
            and self.employee_released_at is not None
            and self.employer_released_at is None
            and self.employee_seen_at is None
        )


class EmployerReportConsent(models.Model):
    """The employee's explicit consent that one specific report reaches the employer (seed 004).

    Needed for the advice of any consultation that does not reach the employer by itself
    (a preventive consultation above all). Who consented is always the employee; ``recorded_by``
    is who recorded it: the employee in the portal, or staff for a consent given in writing or
    in person (``how``).
    """

    class How(models.TextChoices):
        PORTAL = "portaal", _("in het portaal")
        WRITTEN = "schriftelijk", _("schriftelijk")
        IN_PERSON = "mondeling", _("mondeling op het spreekuur")

    advice = models.OneToOneField(ConsultationAdvice, models.PROTECT, related_name="employer_consent")
    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="+")
    how = models.CharField(_("hoe gegeven"), max_length=12, choices=How.choices)
    given_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    #: The consent in the one register (arbo.consent); withdrawn there, the employer no longer sees it.
    register_entry = models.OneToOneField(
        "consent.Consent", models.PROTECT, null=True, blank=True, related_name="employer_report_consent"
    )

    def __str__(self) -> str:
        return f"toestemming verslag {self.advice_id} aan werkgever"


#: Data category of every personal field (tests/registry/test_categories.py). A free slot is D. A
#: consultation's planning fields are D *as fields*, but the row names an employee: that the
#: employee sees the doctor is B (regular) or C (preventive, other; ``policies.appointment_category``),
#: so only readers of that category see the row with its employee; the planner sees "bezet".
#: Its kind is C: a preventive consultation is confidential, so readers without C see "consult".
#: Everything under ``*_encrypted`` is sealed with the person's data key.
PERSONAL_DATA_CATEGORIES = {
    "medical.datakey": {
        "employee": "D",
        "master_key_id": "C",
        "wrapped_key": "C",
        "destroyed_at": "C",
        "last_changed": "C",
    },
    "medical.consultationslot": {
        "doctor": "D",
        "starts_at": "D",
        "ends_at": "D",
        "mode": "D",
        "location": "D",
        "created_by": "D",
    },
    "medical.consultation": {
        # The fact of the appointment: B for a regular consultation, C otherwise (see above).
        "employee": "B",
        "doctor": "D",
        "slot": "D",
        # Set by whoever books (a planner too); shown only to readers of C (queries.appointment).
        "kind": "C",
        "status": "D",
        "starts_at": "D",
        "ends_at": "D",
        "mode": "D",
        "location": "D",
        "video_link": "D",
        "reason_encrypted": "C",
        "sequence": "D",
        "planned_by": "D",
        "status_changed_at": "D",
        "no_show_notified_at": "A",
    },
    "medical.medicalnote": {
        "employee": "D",
        "consultation": "C",
        "kind": "C",
        "body_encrypted": "C",
        "cas_code_encrypted": "C",
        "icd10_code_encrypted": "C",
        "author": "C",
    },
    "medical.consultationadvice": {
        "consultation": "B",
        "employee": "D",
        "author": "B",
        "can_do_encrypted": "B",
        "cannot_do_encrypted": "B",
        "expected_duration_encrypted": "B",
        "adjustments_encrypted": "B",
        "reintegration_encrypted": "B",
        "employee_review_requested": "B",
        "employee_released_at": "B",
        "employer_released_at": "B",
        "employee_seen_at": "B",
        "correction_requested": "B",
        "employee_response_encrypted": "B",
    },
    "medical.employerreportconsent": {
        "advice": "B",
        "employee": "D",
        "how": "B",
        "given_at": "B",
        "recorded_by": "B",
        "register_entry": "B",
    },
    "medical.incomingdocument": {
        "employee": "D",
        "received_on": "C",
        "scanned_on": "C",
        "sender_encrypted": "C",
        "description_encrypted": "C",
        "filename_encrypted": "C",
        "content_type": "C",
        "size": "C",
        "content_encrypted": "C",
        "paper_destroyed_on": "C",
        "paper_retained": "C",
        "filed_by": "C",
    },
    "medical.informationconsent": {
        "employee": "D",
        "practitioner": "C",
        "question_encrypted": "C",
        "given_by": "C",
        "given_on": "C",
        "recorded_by": "C",
        "register_entry": "C",
    },
    "medical.informationrequest": {
        "employee": "D",
        "practitioner": "C",
        "consent": "C",
        "direction": "C",
        "question_encrypted": "C",
        "answer_encrypted": "C",
        "requested_by": "C",
        "requested_at": "C",
        "answered_at": "C",
    },
    "medical.functionalabilities": {
        "employee": "D",
        "assessed_on": "B",
        "content_encrypted": "B",
        "author": "B",
    },
}


#: How the person reads a field in their package (``arbo.lib.subject``): fields whose verbose name
#: is only their column name. Every field of :data:`PERSONAL_DATA_CATEGORIES` that reaches the
#: package has a readable label (tests/privacy/test_rights_package.py).
SUBJECT_FIELD_LABELS = {
    "medical.consultation": {
        "employee": _("werknemer"),
        "doctor": _("bedrijfsarts"),
        "slot": _("spreekuur"),
        "status": _("status"),
        "reason_encrypted": _("reden van het consult"),
        "sequence": _("volgnummer"),
        "planned_by": _("ingepland door"),
        "status_changed_at": _("status gewijzigd op"),
        "no_show_notified_at": _("niet verschijnen gemeld op"),
    },
    "medical.medicalnote": {
        "employee": _("werknemer"),
        "consultation": _("consult"),
        "body_encrypted": _("tekst"),
        "cas_code_encrypted": _("CAS-code"),
        "icd10_code_encrypted": _("ICD-10-code"),
        "author": _("geschreven door"),
    },
    "medical.consultationadvice": {
        "consultation": _("consult"),
        "employee": _("werknemer"),
        "author": _("geschreven door"),
        "can_do_encrypted": _("wat wel kan"),
        "cannot_do_encrypted": _("wat (nog) niet kan"),
        "expected_duration_encrypted": _("verwachte duur"),
        "adjustments_encrypted": _("aanpassingen"),
        "reintegration_encrypted": _("re-integratie"),
        "employee_released_at": _("aan werknemer vrijgegeven op"),
        "employer_released_at": _("aan werkgever vrijgegeven op"),
        "employee_seen_at": _("door werknemer gezien op"),
        "correction_requested": _("correctie gevraagd"),
        "employee_response_encrypted": _("reactie van de werknemer"),
    },
    "medical.employerreportconsent": {
        "advice": _("advies"),
        "employee": _("werknemer"),
        "given_at": _("gegeven op"),
        "recorded_by": _("vastgelegd door"),
        "register_entry": _("toestemmingsregister"),
    },
    "medical.incomingdocument": {
        "employee": _("werknemer"),
        "sender_encrypted": _("afzender"),
        "description_encrypted": _("omschrijving"),
        "filename_encrypted": _("bestandsnaam"),
        "content_type": _("bestandstype"),
        "size": _("grootte (bytes)"),
        "content_encrypted": _("inhoud"),
        "filed_by": _("gearchiveerd door"),
    },
    "medical.informationconsent": {
        "employee": _("werknemer"),
        "practitioner": _("behandelaar"),
        "question_encrypted": _("vraag"),
        "recorded_by": _("vastgelegd door"),
        "register_entry": _("toestemmingsregister"),
    },
    "medical.informationrequest": {
        "employee": _("werknemer"),
        "practitioner": _("behandelaar"),
        "consent": _("toestemming"),
        "question_encrypted": _("vraag"),
        "answer_encrypted": _("antwoord"),
        "requested_by": _("gevraagd door"),
        "requested_at": _("gevraagd op"),
        "answered_at": _("beantwoord op"),
    },
    "medical.functionalabilities": {
        "employee": _("werknemer"),
        "content_encrypted": _("mogelijkheden en beperkingen"),
        "author": _("opgesteld door"),
    },
}
