"""The one check: may this user do this action on this category of this subject?

Visibility querysets answer which rows a user may reach at all (relationships); :func:`can`
answers the category question on top. Views fetch through the querysets, so an object the user
may not see is a 404, and render only the categories :func:`can` allows.

Relationships (shared/domain.md §3):
- staff reach an employee only while on the team serving one of that employee's employers;
- employer users reach only employees employed by their employers (and, for a manager limited to
  departments, only those departments), and only categories A and D;
- employees reach only themselves, every category, read-only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from arbo.access.matrix import CONTRACT_MANAGERS, ORGANISATION_WIDE, Action, Category, best_level
from arbo.identity.models import User
from arbo.registry.models import Employee, Employer

EMPLOYER_CATEGORIES = frozenset({Category.A, Category.D})


def _current(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}starts_on__lte": today}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def staff_functions(user: User) -> set[str]:
    if not user.is_authenticated or user.kind != User.Kind.STAFF or not user.is_active:
        return set()
    return user.functions_on()


def served_employer_ids(user: User) -> QuerySet[Employer, dict[str, Any]]:
    return Employer.objects.filter(Q(team_memberships__user=user) & _current("team_memberships__")).values("pk")


def employers_visible_to(user: User) -> QuerySet[Employer]:
    if not user.is_authenticated or not user.is_active:
        return Employer.objects.none()
    if user.kind == User.Kind.STAFF:
        functions = staff_functions(user)
        if functions & ORGANISATION_WIDE:
            return Employer.objects.all()
        if best_level(functions, Category.D) == 0:
            return Employer.objects.none()
        return Employer.objects.filter(pk__in=served_employer_ids(user))
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        return Employer.objects.filter(memberships__user=user)
    return Employer.objects.none()


def employees_visible_to(user: User) -> QuerySet[Employee]:
    """Employees this user has a relationship with. Every employee view fetches through this."""
    if not user.is_authenticated or not user.is_active:
        return Employee.objects.none()
    if user.kind == User.Kind.STAFF:
        functions = staff_functions(user)
        if not any(best_level(functions, c) for c in Category):
            return Employee.objects.none()
        return Employee.objects.filter(
            pk__in=Employee.objects.filter(employments__employer__in=served_employer_ids(user)).values("pk")
        )
    if user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        scope = Q()
        for membership in user.employer_memberships.prefetch_related("departments"):
            departments = list(membership.departments.all())
            clause = Q(employments__employer_id=membership.employer_id)
            if departments:
                clause &= Q(employments__department__in=departments)
            scope |= clause
        if not scope:
            return Employee.objects.none()
        return Employee.objects.filter(pk__in=Employee.objects.filter(scope).values("pk"))
    if user.kind == User.Kind.EMPLOYEE:
        return Employee.objects.filter(user=user)
    return Employee.objects.none()


def can(user: User, action: Action, category: str, subject: Employee | None = None) -> bool:
    """May ``user`` do ``action`` on ``category`` data (of ``subject``, when given)?

    Without a subject, the question is whether the user may do this for anyone at all (used to
    decide which columns a list shows). With a subject, the relationship must exist too.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.kind == User.Kind.STAFF:
        allowed = best_level(staff_functions(user), category) >= action
    elif user.kind in (User.Kind.EMPLOYER, User.Kind.API_CLIENT):
        allowed = category in EMPLOYER_CATEGORIES and action <= Action.CHANGE
    elif user.kind == User.Kind.EMPLOYEE:
        allowed = action == Action.READ
    else:
        allowed = False
    if allowed and subject is not None and subject.pk is not None:
        allowed = employees_visible_to(user).filter(pk=subject.pk).exists()
    return allowed


def require(user: User, action: Action, category: str, subject: Employee | None = None) -> None:
    """Raise 404 (not 403: the object's existence is not disclosed) unless :func:`can` allows."""
    if not can(user, action, category, subject):
        raise Http404


def readable_categories(user: User, subject: Employee | None = None) -> frozenset[str]:
    return frozenset(c.value for c in Category if can(user, Action.READ, c, subject))


def can_manage_contracts(user: User) -> bool:
    return bool(staff_functions(user) & CONTRACT_MANAGERS)


def can_change_employer(user: User, employer: Employer | Any) -> bool:
    if can_manage_contracts(user):
        return True
    return can(user, Action.CHANGE, Category.D) and employers_visible_to(user).filter(pk=employer.pk).exists()
