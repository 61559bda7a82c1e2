"""Relationships that open an employee's file to a staff member beyond the team rule.

- :class:`CareRelationship`: a staff member's relation to one employee — the treating doctor, a
  colleague the treating doctor consults (time-limited), or the casemanager assigned to the case.
- :class:`DoctorTeamMember`: who works for a doctor — the fixed substitute, and casemanagers in
  taakdelegatie, POBs and verzuimmedewerkers with derived secrecy working under that doctor. They
  share the doctor's treatment relationships (seeds 002, 004).
- :class:`EmergencyAccess`: break-the-glass, at most three hours, reviewed by the privacy officer
  with a verdict, shown to the employee in "who saw my file".
- :class:`EmergencyWidening`: a medical manager lets one doctor break the glass for employees of
  employers outside the doctor's teams, for at most seven days and a set number of uses.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMERGENCY_ACCESS_MAX = timedelta(hours=3)
#: At most this many break-the-glass accesses per doctor in any 24 hours.
EMERGENCY_ACCESSES_PER_DAY = 3
#: A widening lasts at most this long, and allows at most this many uses.
WIDENING_MAX = timedelta(days=7)
WIDENING_MAX_USES = 5


class CareRelationshipQuerySet(models.QuerySet["CareRelationship"]):
    def current(self) -> CareRelationshipQuerySet:
        now = timezone.now()
        return self.filter(
            models.Q(starts_at__lte=now), models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class CareRelationship(models.Model):
    class Kind(models.TextChoices):
        TREATING_DOCTOR = "treating", _("behandelend arts")
        CONSULTED = "consulted", _("geconsulteerde collega")
        CASE_HANDLER = "case", _("toegewezen aan de casus")

    employee = models.ForeignKey("registry.Employee", models.CASCADE, related_name="care_relationships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="care_relationships")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)

    objects = CareRelationshipQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="care_relationship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="consulted") | models.Q(ends_at__isnull=False),
                name="consultation_is_time_limited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.employee_id}"


class DoctorTeamMember(models.Model):
    class Kind(models.TextChoices):
        SUBSTITUTE = "substitute", _("vaste vervanger")
        DELEGATE = "delegate", _("werkt onder verantwoordelijkheid van de arts")

    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="doctor_team")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="works_for_doctors")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["doctor", "member", "kind"], name="one_doctor_team_role"),
            models.CheckConstraint(
                condition=~models.Q(doctor=models.F("member")), name="doctor_team_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.doctor}"


class EmergencyWidening(models.Model):
    """A medical manager allows ``doctor`` to break the glass outside the employers of the doctor's
    teams: between ``starts_at`` and ``ends_at`` (at most :data:`WIDENING_MAX`) and at most
    ``max_uses`` times (``arbo.access.care.widen_break_the_glass``)."""

    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="emergency_widenings")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.CharField(_("reden"), max_length=300)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    max_uses = models.PositiveSmallIntegerField(_("hoe vaak"))

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="widening_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(max_uses__gte=1, max_uses__lte=WIDENING_MAX_USES),
                name="widening_uses_limited",
            ),
            models.CheckConstraint(
                condition=~models.Q(granted_by=models.F("doctor")), name="widening_not_granted_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor} ({self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d})"


class EmergencyAccess(models.Model):
    """Break-the-glass: a doctor opened a file outside their relationships, with a reason."""

    class Verdict(models.TextChoices):
        JUSTIFIED = "justified", _("terecht")
        UNJUSTIFIED = "unjustified", _("onterecht")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="emergency_accesses")
    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="emergency_accesses")
    reason = models.TextField(_("reden"))
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    #: Set when the employee's employer is outside the doctor's teams: the widening that allowed it.
    widening = models.ForeignKey(
        EmergencyWidening, models.PROTECT, null=True, blank=True, related_name="accesses"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(_("oordeel"), max_length=12, choices=Verdict.choices, blank=True)
    review_note = models.TextField(_("beoordeling"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("started_at")),
                name="emergency_access_expires_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True, verdict="")
                | (models.Q(reviewed_at__isnull=False) & ~models.Q(verdict="")),
                name="emergency_access_review_has_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.employee_id} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.started_at <= timezone.now() < self.expires_at


class CareRequest(models.Model):
    """A request to make someone the treating doctor of an employee (seed 000 §7, seed 003 §6), or
    to add someone to a doctor's team (fixed substitute, or working under the doctor's
    responsibility): both open category C, so both take four eyes.

    Nobody makes a doctor treating in one step: a staff member who may change the employee's
    category D (or the medical manager) asks, with a reason; the candidate doctor accepts, or a
    medical manager decides. Only then ``access.care.assign_treating_doctor`` opens the file
    (``arbo.access.care_requests``). The candidate must serve one of the employee's employers.
    """

    class Kind(models.TextChoices):
        TREATING_DOCTOR = "treating", _("behandelend arts")
        SUBSTITUTE = "substitute", _("vaste vervanger")
        DELEGATE = "delegate", _("werkt onder verantwoordelijkheid van de arts")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.TREATING_DOCTOR)
    #: The employee, for a treating doctor; empty for a doctor's team, which names the doctor.
    employee = models.ForeignKey(
        "registry.Employee", models.CASCADE, null=True, blank=True, related_name="care_requests"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="care_candidacies")
    reason = models.CharField(_("reden"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind"],
                condition=models.Q(status="requested"),
                name="care_request_one_open_per_employee",
            ),
            models.UniqueConstraint(
                fields=["doctor", "candidate", "kind"],
                condition=models.Q(status="requested", doctor__isnull=False),
                name="care_request_one_open_per_doctor_role",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="treating", employee__isnull=False, doctor__isnull=True)
                | (~models.Q(kind="treating") & models.Q(employee__isnull=True, doctor__isnull=False)),
                name="care_request_employee_or_doctor",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="care_request_has_reason"),
            models.CheckConstraint(
                condition=models.Q(status="requested", decided_at__isnull=True)
                | (~models.Q(status="requested") & models.Q(decided_at__isnull=False)),
                name="care_request_decision_recorded",
            ),
            # Four eyes: who approves did not ask.
            models.CheckConstraint(
                condition=~models.Q(status="approved") | ~models.Q(decided_by=models.F("requested_by")),
                name="care_request_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.candidate} → {self.employee_id} ({self.get_status_display()})"
        )
