"""The registry: client employers, their contracts and departments, employees and employments,
applicants and treating practitioners.

Every personal-data field carries its data category in ``PERSONAL_DATA_CATEGORIES`` (A–D, see
``docs/privacy.md``); a test fails when a field is added without one.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.lib import crypto
from arbo.lib.fields import EncryptedTextField
from arbo.registry.validators import mask_bsn, validate_bsn, validate_kvk

BSN_CONTEXT = "registry.employee.bsn"


def bsn_blind_index(bsn: str) -> str:
    return crypto.blind_index(bsn, context=BSN_CONTEXT) if bsn else ""


class Service(models.TextChoices):
    VERZUIMBEGELEIDING = "verzuimbegeleiding", _("Verzuimbegeleiding")
    ARBEIDSOMSTANDIGHEDENSPREEKUUR = "spreekuur", _("Arbeidsomstandighedenspreekuur")
    PMO = "pmo", _("Periodiek medisch onderzoek (PMO)")
    AANSTELLINGSKEURING = "aanstellingskeuring", _("Aanstellingskeuring")
    RIE_TOETSING = "rie", _("Toetsing RI&E")
    CASEMANAGEMENT_ERD = "erd", _("Casemanagement eigenrisicodrager")


class Sector(models.TextChoices):
    """The SBI sections (CBS Standaard Bedrijfsindeling 2008): an employer's line of business."""

    A = "A", _("Landbouw, bosbouw en visserij")
    B = "B", _("Delfstoffenwinning")
    C = "C", _("Industrie")
    D = "D", _("Energievoorziening")
    E = "E", _("Waterbedrijven en afvalbeheer")
    F = "F", _("Bouwnijverheid")
    G = "G", _("Handel")
    H = "H", _("Vervoer en opslag")
    I = "I", _("Horeca")  # noqa: E741 -- the SBI letter
    J = "J", _("Informatie en communicatie")
    K = "K", _("Financiële dienstverlening")
    L = "L", _("Verhuur en handel van onroerend goed")
    M = "M", _("Specialistische zakelijke diensten")
    N = "N", _("Verhuur en overige zakelijke diensten")
    O = "O", _("Openbaar bestuur")  # noqa: E741 -- the SBI letter
    P = "P", _("Onderwijs")
    Q = "Q", _("Gezondheids- en welzijnszorg")
    R = "R", _("Cultuur, sport en recreatie")
    S = "S", _("Overige dienstverlening")


class Address(models.Model):
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=80, blank=True)
    country = models.CharField(_("land"), max_length=60, blank=True, default="Nederland")

    class Meta:
        abstract = True

    @property
    def address_line(self) -> str:
        parts = [f"{self.street} {self.house_number}".strip(), f"{self.postcode} {self.city}".strip()]
        return ", ".join(p for p in parts if p)


class Employer(Address):
    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, unique=True, validators=[validate_kvk])
    erd_zw = models.BooleanField(_("eigenrisicodrager Ziektewet"), default=False)
    erd_wga = models.BooleanField(_("eigenrisicodrager WGA"), default=False)
    #: The employer's full-time week: the part-time factor of the absence figures is an
    #: employment's hours over this (arbo.reporting.figures). Not personal data.
    full_time_hours = models.DecimalField(
        _("voltijdsuren per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(38),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(60))],
    )
    #: The SBI section: research data carries it as the employer's sector (arbo.reporting.research).
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=Sector.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:employer_detail", args=[self.pk])

    def current_contract(self) -> Contract | None:
        today = timezone.localdate()
        for contract in self.contracts.all():
            if contract.starts_on <= today and (contract.ends_on is None or today <= contract.ends_on):
                return contract
        return None


class Contract(models.Model):
    """What the employer bought from the arbodienst, and for how long (category D)."""

    employer = models.ForeignKey(Employer, models.CASCADE, related_name="contracts")
    starts_on = models.DateField(_("ingangsdatum"))
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    services = models.JSONField(_("afgenomen diensten"), default=list, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.starts_on}–{self.ends_on or ''}"

    def service_labels(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels.get(code, code)) for code in self.services]


class Department(models.Model):
    employer = models.ForeignKey(Employer, models.CASCADE, related_name="departments")
    name = models.CharField(_("naam"), max_length=120)
    code = models.CharField(_("code"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "name"], name="department_name_unique_per_employer")
        ]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A person guided by the arbodienst (the *cliënt*). One row per person, however many employers."""

    class Gender(models.TextChoices):
        FEMALE = "v", _("vrouw")
        MALE = "m", _("man")
        OTHER = "x", _("anders / onbekend")

    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_names = models.CharField(_("voornamen"), max_length=120, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=120)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, default=Gender.OTHER)
    birth_date = models.DateField(_("geboortedatum"))
    # Home address
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=80, blank=True)
    # A temporary stay or nursing address (verpleegadres) during illness
    stay_address = models.CharField(_("verblijfs- of verpleegadres"), max_length=250, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    mobile = models.CharField(_("mobiel"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    bsn = EncryptedTextField(_("BSN"), blank=True, validators=[validate_bsn])
    bsn_index = models.CharField(max_length=64, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("portaalaccount"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname", "first_names"]
        verbose_name = _("werknemer")
        verbose_name_plural = _("werknemers")
        constraints = [
            models.UniqueConstraint(
                fields=["bsn_index"], condition=~models.Q(bsn_index=""), name="employee_bsn_unique"
            )
        ]
        indexes = [models.Index(fields=["surname"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # The blind index is derived from the BSN and must never drift from it.
        self.bsn_index = bsn_blind_index(self.bsn)
        if kwargs.get("update_fields") is not None and "bsn" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "bsn_index"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:employee_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        given = self.first_names or self.initials
        return " ".join(p for p in [given, self.tussenvoegsel, self.surname] if p)

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.bsn)

    @property
    def address_line(self) -> str:
        parts = [f"{self.street} {self.house_number}".strip(), f"{self.postcode} {self.city}".strip()]
        return ", ".join(p for p in parts if p)


class Employment(models.Model):
    class ContractType(models.TextChoices):
        PERMANENT = "vast", _("onbepaalde tijd")
        TEMPORARY = "tijdelijk", _("bepaalde tijd")
        ON_CALL = "oproep", _("oproepkracht")
        AGENCY = "uitzend", _("uitzendkracht")
        INTERN = "stage", _("stagiair")

    employee = models.ForeignKey(Employee, models.PROTECT, related_name="employments")
    employer = models.ForeignKey(Employer, models.PROTECT, related_name="employments")
    department = models.ForeignKey(
        Department, models.SET_NULL, null=True, blank=True, related_name="employments"
    )
    personnel_number = models.CharField(_("personeelsnummer"), max_length=40)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)
    starts_on = models.DateField(_("in dienst"))
    ends_on = models.DateField(_("uit dienst"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    contract_type = models.CharField(
        _("soort contract"), max_length=12, choices=ContractType.choices, default=ContractType.PERMANENT
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "personnel_number"], name="personnel_number_unique_per_employer"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="employment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} @ {self.employer} ({self.personnel_number})"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None or self.ends_on >= timezone.localdate()


class Applicant(models.Model):
    """A job applicant for a pre-employment exam (aanstellingskeuring)."""

    employer = models.ForeignKey(Employer, models.PROTECT, related_name="applicants")
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_names = models.CharField(_("voornamen"), max_length=120, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=120)
    birth_date = models.DateField(_("geboortedatum"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    position = models.CharField(_("functie waarvoor gesolliciteerd"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname"]
        verbose_name = _("sollicitant")
        verbose_name_plural = _("sollicitanten")

    def __str__(self) -> str:
        return " ".join(p for p in [self.first_names or self.initials, self.tussenvoegsel, self.surname] if p)


class Practitioner(Address):
    """A treating practitioner (GP or specialist) the doctor may correspond with, with consent."""

    class Kind(models.TextChoices):
        GP = "huisarts", _("huisarts")
        SPECIALIST = "specialist", _("medisch specialist")
        OTHER = "overig", _("overige behandelaar")

    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.GP)
    name = models.CharField(_("naam"), max_length=200)
    specialism = models.CharField(_("specialisme"), max_length=120, blank=True)
    practice = models.CharField(_("praktijk of instelling"), max_length=200, blank=True)
    agb_code = models.CharField(_("AGB-code"), max_length=8, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("behandelaar")
        verbose_name_plural = _("behandelaars")

    def __str__(self) -> str:
        return self.name


class EmployerMembership(models.Model):
    """An employer user (HR or manager) acting for one employer, optionally limited to departments."""

    class Role(models.TextChoices):
        HR = "hr", _("HR / P&O")
        MANAGER = "manager", _("leidinggevende")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="employer_memberships")
    employer = models.ForeignKey(Employer, models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=8, choices=Role.choices, default=Role.HR)
    departments = models.ManyToManyField(Department, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "employer"], name="one_membership_per_employer")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.employer} ({self.get_role_display()})"


class TeamMembership(models.Model):
    """A staff member serves an employer (is part of the team on its contract)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="team_memberships")
    employer = models.ForeignKey(Employer, models.CASCADE, related_name="team_memberships")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "employer"], name="one_team_membership")]

    def __str__(self) -> str:
        return f"{self.user} serves {self.employer}"


#: Data category of every personal-data field (shared/domain.md §2, seed 003 annex 2).
#: A — process and administrative absence data, including the BSN and the employment; B —
#: re-integration health data; C — medical; D — general data: names and addresses of employer and
#: employee, contracts. Checked by tests/registry/test_categories.py.
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "registry.employee": {
        "initials": "D",
        "first_names": "D",
        "tussenvoegsel": "D",
        "surname": "D",
        "gender": "D",
        "birth_date": "D",
        "street": "D",
        "house_number": "D",
        "postcode": "D",
        "city": "D",
        "stay_address": "A",
        "phone": "D",
        "mobile": "D",
        "email": "D",
        "bsn": "A",
        "bsn_index": "A",
        "user": "D",
    },
    "registry.employment": {
        "employee": "D",
        "employer": "D",
        "department": "D",
        "personnel_number": "D",
        "job_title": "A",
        "starts_on": "A",
        "ends_on": "A",
        "hours_per_week": "A",
        "contract_type": "A",
    },
    "registry.applicant": {
        "employer": "D",
        "initials": "D",
        "first_names": "D",
        "tussenvoegsel": "D",
        "surname": "D",
        "birth_date": "D",
        "email": "D",
        "phone": "D",
        "position": "D",
    },
    # The uploaded roster (BSNs, names, employment terms), encrypted and emptied after the commit.
    "registry.rosterimport": {
        "employer": "D",
        "uploaded_by": "D",
        "filename": "D",
        "status": "D",
        "payload": "A",
        "row_count": "D",
        "created_count": "D",
        "updated_count": "D",
        "problem_rows": "D",
        "conflict": "D",
        "committed_at": "D",
    },
    # Its rows in runs of 2,000 (issue 12), encrypted, deleted once committed or refused.
    "registry.rosterimportrows": {
        "batch": "D",
        "number": "D",
        "rows": "A",
    },
    # The uploaded file itself (issue 11), encrypted, deleted once the worker has read it into runs.
    "registry.rosterimportfile": {
        "batch": "D",
        "number": "D",
        "data": "A",
    },
    "registry.practitioner": {
        "kind": "D",
        "name": "D",
        "specialism": "D",
        "practice": "D",
        "agb_code": "D",
        "phone": "D",
        "street": "D",
        "house_number": "D",
        "postcode": "D",
        "city": "D",
        "country": "D",
    },
}


from arbo.registry.models_organisations import (  # noqa: E402  (recipients of disclosures, issue 16)
    ORGANISATION_CATEGORIES,
    Organisation,  # noqa: F401
)
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows  # noqa: E402,F401  (split out to keep this file short)

PERSONAL_DATA_CATEGORIES.update(ORGANISATION_CATEGORIES)
