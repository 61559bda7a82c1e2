from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.identity.roles import StaffFunction


class User(AbstractUser):
    """Every principal that can act: arbodienst staff, employer users, employees and API clients.

    API clients are users of kind ``API_CLIENT`` without a usable password; they authenticate with
    a token (``arbo.api``), so that audit records name one kind of actor throughout.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("Medewerker arbodienst")
        EMPLOYER = "employer", _("Werkgever")
        EMPLOYEE = "employee", _("Werknemer")
        API_CLIENT = "api_client", _("API-koppeling")
        #: A supplier's engineer: works only inside a support window (``arbo.privacy.processors``).
        SUPPLIER = "supplier", _("Leverancier (ondersteuning)")

    kind = models.CharField(_("soort account"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    #: The last day this person works for the arbodienst: every right ends on it
    #: (``arbo.identity.domain.offboard_user``) and ``manage.py end_leavers`` blocks the account
    #: the day after.
    leaves_on = models.DateField(_("laatste werkdag"), null=True, blank=True)

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def is_user_admin(self) -> bool:
        """May administer accounts: the applicatiebeheerder's job (seed 000: applicatiebeheer)."""
        from arbo.identity.rights import staff_holding  # noqa: PLC0415 — rights imports the models: a cycle at module level

        return staff_holding(self, StaffFunction.APPLICATIEBEHEERDER)

    def functions_on(self, day: date | None = None) -> set[str]:
        """The staff functions this user holds on ``day`` (today by default): approved and current.

        Memoised per instance: a request asks this many times (policy checks, audit records), and
        the user object lives only as long as the request. Reads ``function_assignments.all()``, so a
        prefetch of that relation is used.
        """
        day = day or timezone.localdate()
        memo: dict[date, set[str]] = self.__dict__.setdefault("_functions_memo", {})
        if day not in memo:
            memo[day] = {
                assignment.function
                for assignment in self.function_assignments.all()
                if assignment.is_in_force(day)
            }
        return memo[day]

    def has_confidentiality_declaration(self, day: date | None = None) -> bool:
        """Whether a signed confidentiality declaration is recorded, signed on or before ``day``.

        Without one a staff member reaches no personal data (``arbo.identity.rights.staff_functions``).
        Memoised per instance like :meth:`functions_on`: one query per user object, whatever the day.
        """
        return self._declared(ConfidentialityDeclaration.Kind.GENERAL, day)

    def has_derived_secrecy_declaration(self, day: date | None = None) -> bool:
        """Whether a signed derived-secrecy declaration (afgeleid beroepsgeheim) is recorded, signed
        on or before ``day``: needed on top by the functions that reach category C without being
        a doctor (``arbo.identity.rights.DERIVED_SECRECY_FUNCTIONS``)."""
        return self._declared(ConfidentialityDeclaration.Kind.DERIVED_SECRECY, day)

    def _declared(self, kind: str, day: date | None) -> bool:
        day = day or timezone.localdate()
        if "_first_declaration" not in self.__dict__:
            first: dict[str, date] = {}
            for declaration in self.confidentiality_declarations.all():
                if declaration.kind not in first or declaration.signed_on < first[declaration.kind]:
                    first[declaration.kind] = declaration.signed_on
            self.__dict__["_first_declaration"] = first
        signed = self.__dict__["_first_declaration"].get(kind)
        return signed is not None and signed <= day

    def forget_rights(self) -> None:
        """Drop what :meth:`functions_on` and :meth:`has_confidentiality_declaration` memoised."""
        for key in ("_functions_memo", "_first_declaration"):
            self.__dict__.pop(key, None)
        prefetched = self.__dict__.get("_prefetched_objects_cache", {})
        for relation in ("function_assignments", "confidentiality_declarations"):
            prefetched.pop(relation, None)


def in_force(day: date | None = None) -> models.Q:
    """The assignments that give rights on ``day`` (today by default), as a filter: the query
    counterpart of :meth:`FunctionAssignment.is_in_force`."""
    day = day or timezone.localdate()
    return models.Q(status=FunctionAssignment.Status.APPROVED, starts_on__lte=day) & (
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
    )


class FunctionAssignment(models.Model):
    """A staff member holds a function from ``starts_on`` until ``ends_on`` (inclusive), once approved.

    Rights are personal (one user per row) and go through a documented request (seed 000 §7, seed 003
    §6): a manager asks for a function for one person with a reason; an applicatiebeheerder or
    directeur who is neither the requester nor that person approves (``arbo.identity.domain``). Only
    an approved row counts, and only between its dates; it ends on its end date, when revoked, when
    the account is blocked, or on the person's last working day.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")
        REVOKED = "revoked", _("ingetrokken")

    user = models.ForeignKey(User, models.CASCADE, related_name="function_assignments")
    function = models.CharField(_("functie"), max_length=40, choices=StaffFunction.choices)
    starts_on = models.DateField(_("vanaf"), default=timezone.localdate)
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    # Null only for rows that predate the request procedure, and for demo data.
    requested_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    request_reason = models.TextField(_("reden van de aanvraag"))
    requested_at = models.DateTimeField(default=timezone.now)
    # Null with a decision: the system decided (a request rejected because the account was blocked).
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(_("reden van intrekken"), blank=True)

    class Meta:
        verbose_name = _("functietoewijzing")
        verbose_name_plural = _("functietoewijzingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="function_assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(request_reason=""), name="function_assignment_has_reason"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["requested", "approved", "rejected", "revoked"]),
                name="function_assignment_status",
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested", decided_by__isnull=True, decided_at__isnull=True)
                | (~models.Q(status="requested") & models.Q(decided_at__isnull=False)),
                name="function_assignment_decision_recorded",
            ),
            models.CheckConstraint(
                condition=models.Q(status="revoked", revoked_at__isnull=False)
                | (~models.Q(status="revoked") & models.Q(revoked_by__isnull=True, revoked_at__isnull=True)),
                name="function_assignment_revocation_recorded",
            ),
            # Four eyes: who approves is neither the requester nor the person who gets the function.
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "revoked"])
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("user"))),
                name="function_assignment_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["user", "function"],
                condition=models.Q(status="requested"),
                name="function_assignment_one_open_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_function_display()}"

    def is_in_force(self, day: date | None = None) -> bool:
        """Approved and ``starts_on <= day <= ends_on``: the only rows that give rights."""
        day = day or timezone.localdate()
        return (
            self.status == self.Status.APPROVED
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )

    @property
    def state_label(self) -> str:
        """The status as a reviewer reads it: an approved row may be future or expired."""
        today = timezone.localdate()
        if self.status == self.Status.APPROVED:
            if self.ends_on is not None and self.ends_on < today:
                return str(_("verlopen"))
            if self.starts_on > today:
                return str(_("goedgekeurd, nog niet ingegaan"))
        return str(self.get_status_display())


class ConfidentialityDeclaration(models.Model):
    """A signed declaration, recorded by an administrator.

    - the general confidentiality declaration (geheimhoudingsverklaring): seed 000 §7 and seed 003
      §5: whoever is authorised signs one. Without one signed on or before today a staff member
      reaches no personal data, whatever their functions;
    - the derived-secrecy declaration (verklaring afgeleid beroepsgeheim, annex 2): on top, for the
      functions that reach category C without being a doctor (``arbo.identity.rights``).
    """

    class Kind(models.TextChoices):
        GENERAL = "general", _("geheimhoudingsverklaring")
        DERIVED_SECRECY = "derived", _("verklaring afgeleid beroepsgeheim")

    user = models.ForeignKey(User, models.PROTECT, related_name="confidentiality_declarations")
    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices, default=Kind.GENERAL)
    signed_on = models.DateField(_("ondertekend op"))
    version = models.CharField(_("versie"), max_length=40, help_text=_("Bijvoorbeeld 2026-01."))
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("geheimhoudingsverklaring")
        verbose_name_plural = _("geheimhoudingsverklaringen")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(version=""), name="declaration_has_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} {self.version} ({self.signed_on})"


class Invitation(models.Model):
    """An invitation to a new account to choose its password (``arbo.identity.provisioning``).

    The token travels only in the e-mail; the row keeps its SHA-256. An invitation is used once,
    expires after ``provisioning.INVITATION_VALID`` and is replaced (revoked) by a re-send. After
    the password, the first login enrols TOTP (``RequireMFAMiddleware``).
    """

    user = models.ForeignKey(User, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and timezone.now() < self.expires_at
