"""Which absence cases a user may reach: every absence view, API endpoint and job fetches here."""

from __future__ import annotations

from django.db.models import QuerySet

from arbo.absence.models import AbsenceCase
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, employees_visible_to
from arbo.identity.models import User


def cases_visible_to(user: User) -> QuerySet[AbsenceCase]:
    """Cases of employees the user may reach, for users who may read category A at all.

    Employer users see only cases of their own employers (an employee may also work elsewhere);
    employees see their own cases; staff need category A in the matrix (a secretary has none).
    """
    if not can(user, Action.READ, Category.A):
        return AbsenceCase.objects.none()
    cases = AbsenceCase.objects.filter(employee__in=employees_visible_to(user))
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        cases = cases.filter(employer__memberships__user=user)
    return cases.distinct()
