"""The API's audited read path: what an API client reads of employees and absence cases.

The views fetch through the functions here (on the visibility querysets; a restricted person, AVG
art. 18, is not disclosed to an employer's systems) and page; every read of a person's data is
recorded here (category A and D, the client's authorisation), never in a view.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from arbo.absence.models import AbsenceCase
from arbo.absence.queries import cases_visible_to
from arbo.access.auditing import record_access, record_access_many
from arbo.access.matrix import Category
from arbo.access.policy import employees_visible_to, exclude_restricted
from arbo.audit import log
from arbo.identity.models import User
from arbo.registry.models import Employee, Employer, Employment, bsn_blind_index

#: What the API gives of an employee: administrative (A) and general (D) data.
READ_CATEGORIES = "AD"


def employees_of(client: User, employer: Employer) -> QuerySet[Employee]:
    """The employees the client may see, each with ``own_employments``: this employer's only."""
    own = Employment.objects.filter(employer=employer).select_related("department")
    return (
        exclude_restricted(employees_visible_to(client))
        .prefetch_related(
            Prefetch("employments", queryset=own.order_by("-starts_on", "-pk"), to_attr="own_employments")
        )
        .order_by("pk")  # the list pages by id (api.pagination.KeysetPagination)
    )


def employee_of(client: User, employer: Employer, employee_id: int) -> Employee:
    """One of :func:`employees_of`, else 404 (not audited: :func:`employee_read` is, a write audits
    itself)."""
    try:
        return employees_of(client, employer).get(pk=employee_id)
    except Employee.DoesNotExist as exc:
        raise NotFound(_("Werknemer niet gevonden.")) from exc


def known_employee_id(client: User, employer: Employer, bsn: str) -> int | None:
    """The id of the employee with this full BSN among :func:`employees_of` (a create's duplicate
    check, through the blind index), or ``None``."""
    employees = employees_of(client, employer).filter(bsn_index=bsn_blind_index(bsn))
    return employees.values_list("pk", flat=True).first()


def employee_to_report(client: User, employee_id: int) -> Employee:
    """An employee the client may report sick, else 404."""
    return get_object_or_404(exclude_restricted(employees_visible_to(client)), pk=employee_id)


def cases_of(client: User, employer: Employer) -> QuerySet[AbsenceCase]:
    """The absence cases at ``employer`` the client may see, last registered first, with their reports."""
    return (
        exclude_restricted(cases_visible_to(client), "employee_id")
        .filter(employer=employer)
        .select_related("employee")  # the list's audit names every case's employee
        .prefetch_related("periods", "recoveries")
        .order_by("-pk")
    )


def employees_listed(client: User, page: Sequence[Employee]) -> Sequence[Employee]:
    record_access_many(client, log.Action.READ, "api.employees_listed", page, category=READ_CATEGORIES)
    return page


def employee_read(client: User, employee: Employee) -> Employee:
    record_access(client, log.Action.READ, "api.employee_viewed", employee, category=READ_CATEGORIES)
    return employee


def absences_listed(client: User, page: Sequence[AbsenceCase]) -> Sequence[AbsenceCase]:
    record_access_many(
        client, log.Action.READ, "api.absences_listed", [case.employee for case in page], category=Category.A
    )
    return page


def absence_read(client: User, case: AbsenceCase) -> AbsenceCase:
    record_access(client, log.Action.READ, "api.absence_viewed", case.employee, obj=case, category=Category.A)
    return case
