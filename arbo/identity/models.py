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

    kind = models.CharField(_("soort account"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    deactivated_at = models.DateTimeField(null=True, blank=True)

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
        return self.kind == self.Kind.STAFF and StaffFunction.APPLICATIEBEHEERDER in self.functions_on()

    def functions_on(self, day: date | None = None) -> set[str]:
        """The staff functions this user holds on ``day`` (today by default).

        Memoised per instance: a request asks this many times (policy checks, audit records), and
        the user object lives only as long as the request.
        """
        day = day or timezone.localdate()
        memo: dict[date, set[str]] = self.__dict__.setdefault("_functions_memo", {})
        if day not in memo:
            memo[day] = {
                assignment.function
                for assignment in self.function_assignments.all()
                if assignment.starts_on <= day and (assignment.ends_on is None or day <= assignment.ends_on)
            }
        return memo[day]


class FunctionAssignment(models.Model):
    """A staff member holds a function from ``starts_on`` until ``ends_on`` (inclusive)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="function_assignments")
    function = models.CharField(_("functie"), max_length=40, choices=StaffFunction.choices)
    starts_on = models.DateField(_("vanaf"), default=timezone.localdate)
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    granted_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="function_assignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_function_display()}"
