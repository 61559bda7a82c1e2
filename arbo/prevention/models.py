"""Prevention: periodic preventive exams (PMO), pre-employment exams (aanstellingskeuring) and
exposure registers.

What is category C here, and how it is stored
    Exam results, advice, the pre-employment outcome and the details of an exposure are category C
    (shared/domain.md §2: "preventive and pre-employment exam results"; seed 001 rows on the
    PMO and aanstellingskeuringen). Each such field (``*_encrypted``) holds ciphertext under the
    person's own data key: an employee's key is the medical file's
    (:mod:`arbo.medical.keys`), an applicant's is an :class:`ApplicantDataKey` here
    (:mod:`arbo.prevention.keys`). Destroying the key makes the person's results unreadable
    everywhere, backups included. Kind, dates and the examining doctor stay in plain columns:
    they are what retention and the doctor's lists need without decrypting, and only pages that
    check category C show them.

What the employer learns (decided from the seeds)
    - **PMO**: nothing about a person, not even that an exam was offered or held. Seed 000 says the
      arbodienst makes "geen mededelingen ... over bezoek aan arbeidsomstandighedenspreekuur of
      periodieke onderzoeken", and shared/domain.md §6 allows employers only anonymised,
      group-level data. The plain fields ``employer``, ``department``, ``programme`` and
      ``exam_date`` (plus the encrypted coded ``conclusion``) are there for such group reports
      later; no employer page, export or API answer shows a PMO.
    - **Pre-employment exam**: the employer commissioned it, so it may know the exam is complete
      ("afgerond"). The outcome "geschikt / niet geschikt" reaches it only after the applicant has
      heard the outcome first and then allowed it to be sent (the *blokkeringsrecht* of the Wet op
      de medische keuringen): ``applicant_informed_at`` then ``outcome_release_consented_at``. A
      blocked or undecided outcome looks exactly like "afgerond" to the employer, so blocking tells
      it nothing. Results never reach it.
    - **Exposure registers**: never through this system (the employer keeps its own list of
      exposed workers under Arbobesluit 4.10c).

The exposure register's category
    The substance or agent, the source (process, workplace) and the details are category C and
    encrypted: an agent such as a needle-stick with hepatitis B or a radiation dose is health
    information, and the register belongs to the medical surveillance. The register's skeleton
    (kind, exposure period, department, whether a biological agent can cause persistent or latent
    infection) is category B: occupational data, kept at least as protected as re-integration
    data, and stored in plain so the retention terms can be computed without the data key. The
    pages here show the register only to those who may read category C of the employee.

Retention (shared/domain.md §5, seeds 000 and 002; research/domain.md §5)
    - pre-employment exams: 6 months (Besluit klachtenbehandeling aanstellingskeuringen art. 9),
      :attr:`PreEmploymentExam.retention_until`;
    - carcinogenic or mutagenic substances: 40 years after exposure (Arbobesluit 4.10c);
    - biological agents: 10 years after the last exposure, 40 years for agents that can cause
      persistent or latent infections (Arbobesluit 4.90/4.91; seed 002 says 10, seed 000 40:
      the per-record flag ``persistent_or_latent`` decides);
    - ionising radiation: 30 years after the exposed work ends, and at least until the person is
      (or would have been) 75 (seeds 000 and 002; Bbs ch. 7);
    - the PMO is part of the medical file (20 years after the last change; WGBO 7:454).
    See :attr:`ExposureRecord.retention_years` and :meth:`ExposureRecord.retention_until`.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Months a pre-employment exam is kept (seeds 000, 002: Besluit klachtenbehandeling aanstellingskeuringen art. 9).
PRE_EMPLOYMENT_RETENTION_MONTHS = 6


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ApplicantDataKey(models.Model):
    """An applicant's data key, wrapped by a master key (``MEDICAL_MASTER_KEYS``) as the
    employees' keys are (:class:`arbo.medical.models.DataKey`). Empty ``wrapped_key`` = destroyed."""

    applicant = models.OneToOneField("registry.Applicant", models.PROTECT, related_name="prevention_data_key")
    master_key_id = models.CharField(max_length=40)
    wrapped_key = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"data key of applicant {self.applicant_id} ({self.master_key_id})"


class PeriodicExam(models.Model):
    """A periodic preventive medical exam (PMO, *periodiek medisch onderzoek*; Arbowet art. 18)."""

    class Programme(models.TextChoices):
        GENERAL = "algemeen", _("algemeen PMO")
        NIGHT_WORK = "nachtwerk", _("nachtwerk")
        NOISE = "lawaai", _("lawaai")
        HAZARDOUS_SUBSTANCES = "gevaarlijke_stoffen", _("gevaarlijke stoffen")
        BIOLOGICAL_AGENTS = "biologische_agentia", _("biologische agentia")
        IONISING_RADIATION = "straling", _("ioniserende straling")
        PHYSICAL_LOAD = "fysieke_belasting", _("fysieke belasting")
        SCREEN_WORK = "beeldschermwerk", _("beeldschermwerk (ogen)")
        PSYCHOSOCIAL = "psychosociaal", _("psychosociale arbeidsbelasting")

    class Conclusion(models.TextChoices):
        """A coded conclusion for anonymised group reports later; stored encrypted (category C)."""

        NO_FINDINGS = "geen_bijzonderheden", _("geen bijzonderheden")
        ATTENTION = "aandachtspunt", _("aandachtspunt, advies gegeven")
        REFERRED = "verwezen", _("verwezen voor nader onderzoek of behandeling")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="periodic_exams")
    # The employer that offered the PMO and the department at the time: group reports count by them.
    employer = models.ForeignKey("registry.Employer", models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "registry.Department", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    programme = models.CharField(_("programma"), max_length=24, choices=Programme.choices)
    exam_date = models.DateField(_("datum onderzoek"))
    examining_doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    results_encrypted = models.TextField()
    advice_encrypted = models.TextField()
    conclusion_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-exam_date", "-id"]
        verbose_name = _("periodiek medisch onderzoek")
        verbose_name_plural = _("periodieke medische onderzoeken")

    def __str__(self) -> str:
        return f"PMO {self.get_programme_display()} {self.exam_date:%Y-%m-%d}"


class PreEmploymentExam(models.Model):
    """A pre-employment exam of an applicant (*aanstellingskeuring*, Wet op de medische keuringen).

    The flow: the doctor records the exam with results and outcome (the exam is then complete);
    the applicant hears the outcome first (``applicant_informed_at``); then the applicant allows
    the outcome to go to the employer (``outcome_release_consented_at``) or blocks it
    (``outcome_release_refused_at``, the *blokkeringsrecht*). A refusal may later become consent;
    consent cannot be taken back, because the employer has then seen the outcome.
    """

    class Kind(models.TextChoices):
        GENERAL = "algemeen", _("aanstellingskeuring")
        SPECIAL_REQUIREMENTS = "bijzondere_eisen", _("keuring op bijzondere functie-eisen")
        SAFETY = "veiligheid", _("keuring voor een veiligheidsfunctie")

    class Outcome(models.TextChoices):
        SUITABLE = "geschikt", _("geschikt")
        NOT_SUITABLE = "niet_geschikt", _("niet geschikt")

    applicant = models.ForeignKey("registry.Applicant", models.PROTECT, related_name="pre_employment_exams")
    # The employer that commissioned the exam (the applicant's employer when it was recorded).
    employer = models.ForeignKey("registry.Employer", models.PROTECT, related_name="+")
    position = models.CharField(_("functie"), max_length=120)
    kind = models.CharField(_("soort keuring"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    exam_date = models.DateField(_("datum keuring"))
    examining_doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    results_encrypted = models.TextField()
    outcome_encrypted = models.TextField()
    completed_at = models.DateTimeField()
    applicant_informed_at = models.DateTimeField(null=True, blank=True)
    outcome_release_consented_at = models.DateTimeField(null=True, blank=True)
    outcome_release_refused_at = models.DateTimeField(null=True, blank=True)
    #: The applicant's consent in the one register (arbo.consent), once the outcome is released.
    outcome_consent = models.OneToOneField(
        "consent.Consent", models.PROTECT, null=True, blank=True, related_name="pre_employment_exam"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exam_date", "-id"]
        verbose_name = _("aanstellingskeuring")
        verbose_name_plural = _("aanstellingskeuringen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome_release_consented_at__isnull=True)
                | models.Q(applicant_informed_at__isnull=False),
                name="release_only_after_applicant_informed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.exam_date:%Y-%m-%d}"

    @property
    def outcome_released(self) -> bool:
        return self.outcome_release_consented_at is not None

    @property
    def retention_until(self) -> dt.date:
        return add_months(self.exam_date, PRE_EMPLOYMENT_RETENTION_MONTHS)


class ExposureRecord(models.Model):
    """One entry in an exposure register: who was exposed to what, when, and where."""

    class Kind(models.TextChoices):
        CARCINOGENIC = "kankerverwekkend", _("kankerverwekkende of mutagene stof")
        BIOLOGICAL = "biologisch", _("biologisch agens")
        IONISING_RADIATION = "straling", _("ioniserende straling")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="exposure_records")
    kind = models.CharField(_("soort blootstelling"), max_length=16, choices=Kind.choices)
    persistent_or_latent = models.BooleanField(
        _("kan blijvende of latente infecties veroorzaken"),
        default=False,
        help_text=_("Alleen bij biologische agentia: dan 40 jaar bewaren in plaats van 10."),
    )
    agent_encrypted = models.TextField()
    source_encrypted = models.TextField()
    details_encrypted = models.TextField()
    department = models.ForeignKey(
        "registry.Department", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exposure_start = models.DateField(_("blootstelling vanaf"))
    exposure_end = models.DateField(_("blootstelling tot en met"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exposure_start", "-id"]
        verbose_name = _("blootstelling")
        verbose_name_plural = _("blootstellingsregister")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exposure_end__isnull=True)
                | models.Q(exposure_end__gte=models.F("exposure_start")),
                name="exposure_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(persistent_or_latent=False) | models.Q(kind="biologisch"),
                name="persistent_or_latent_only_for_biological_agents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.exposure_start:%Y-%m-%d}"

    @property
    def retention_years(self) -> int:
        """Years the record is kept after the exposure (radiation: after the exposed work) ends."""
        if self.kind == self.Kind.CARCINOGENIC:
            return 40  # Arbobesluit 4.10c
        if self.kind == self.Kind.IONISING_RADIATION:
            return 30  # Bbs ch. 7, and until age 75: see retention_until
        return 40 if self.persistent_or_latent else 10  # Arbobesluit 4.90/4.91

    def retention_until(self, birth_date: dt.date | None = None) -> dt.date | None:
        """The first day the record may go; ``None`` while the exposure goes on.

        Ionising radiation is kept 30 years after the work ends and at least until the person is
        (or would have been) 75; pass the person's ``birth_date`` (default: the employee's).
        """
        if self.exposure_end is None:
            return None
        until = add_years(self.exposure_end, self.retention_years)
        if self.kind == self.Kind.IONISING_RADIATION:
            born = birth_date or self.employee.birth_date
            until = max(until, add_years(born, 75))
        return until


PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "prevention.applicantdatakey": {
        "applicant": "D",
        "master_key_id": "C",
        "wrapped_key": "C",
        "destroyed_at": "C",
    },
    # Nothing of a PMO reaches the employer (module docstring): every field is C, the free texts
    # and the coded conclusion encrypted.
    "prevention.periodicexam": {
        "employee": "D",
        "employer": "C",
        "department": "C",
        "programme": "C",
        "exam_date": "C",
        "examining_doctor": "C",
        "results_encrypted": "C",
        "advice_encrypted": "C",
        "conclusion_encrypted": "C",
    },
    # The commissioning employer, the position and whether the exam is complete are what the
    # employer may know (D); the outcome is C until the applicant releases it.
    "prevention.preemploymentexam": {
        "applicant": "D",
        "employer": "D",
        "position": "D",
        "kind": "C",
        "exam_date": "C",
        "examining_doctor": "C",
        "results_encrypted": "C",
        "outcome_encrypted": "C",
        "completed_at": "D",
        "applicant_informed_at": "C",
        "outcome_release_consented_at": "C",
        "outcome_consent": "C",
        "outcome_release_refused_at": "C",
    },
    "prevention.exposurerecord": {
        "employee": "D",
        "kind": "B",
        "persistent_or_latent": "B",
        "agent_encrypted": "C",
        "source_encrypted": "C",
        "details_encrypted": "C",
        "department": "B",
        "exposure_start": "B",
        "exposure_end": "B",
        "recorded_by": "B",
    },
}


#: How the person reads a field in their package (see ``arbo.medical.models.SUBJECT_FIELD_LABELS``).
SUBJECT_FIELD_LABELS = {
    "prevention.periodicexam": {
        "employee": _("werknemer"),
        "employer": _("werkgever"),
        "department": _("afdeling"),
        "examining_doctor": _("onderzoekend arts"),
        "results_encrypted": _("uitslagen"),
        "advice_encrypted": _("advies"),
        "conclusion_encrypted": _("conclusie"),
    },
    "prevention.preemploymentexam": {
        "applicant": _("sollicitant"),
        "employer": _("werkgever"),
        "examining_doctor": _("onderzoekend arts"),
        "results_encrypted": _("uitslagen"),
        "outcome_encrypted": _("uitkomst"),
        "completed_at": _("afgerond op"),
        "applicant_informed_at": _("sollicitant ingelicht op"),
        "outcome_release_consented_at": _("toestemming voor doorgeven op"),
        "outcome_consent": _("toestemming voor doorgeven"),
        "outcome_release_refused_at": _("doorgeven geweigerd op"),
    },
    "prevention.exposurerecord": {
        "employee": _("werknemer"),
        "agent_encrypted": _("stof of agens"),
        "source_encrypted": _("bron"),
        "details_encrypted": _("bijzonderheden"),
        "department": _("afdeling"),
        "recorded_by": _("vastgelegd door"),
    },
}
