"""Reads on the registry: search within what a user may see."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from arbo.identity.models import User
from arbo.lib.sql import LARGE_SET, PerRowExists, at_least
from arbo.registry.models import Employee, Employer, Employment, bsn_blind_index
from arbo.registry.models_roster import RosterImport
from arbo.registry.validators import normalise_bsn

#: Employees one personnel number may find (it is unique per employer; a few employers may reuse it).
MAX_NUMBER_MATCHES = 1_000


def search_employees(
    employees: QuerySet[Employee], query: str, *, employer: Employer | None = None
) -> QuerySet[Employee]:
    """Filter ``employees`` (already scoped to the user) by name, personnel number or exact BSN.

    A 9-digit query that passes the 11-test is looked up through the blind index: the BSN is never
    compared in plaintext, and partial BSN search is impossible by design.

    Conditions on employments are ``EXISTS`` (no join, so no row twice and no ``DISTINCT``).
    """
    query = query.strip()
    if employer is not None:
        # By the employer's size, as the visibility itself (access.policy._reached): PostgreSQL
        # would otherwise de-duplicate all of a large employer's employments before the first row.
        at_employer = Employment.objects.filter(employer=employer)
        if at_least(at_employer.values("employee_id"), LARGE_SET):
            employees = employees.filter(PerRowExists(at_employer.filter(employee=OuterRef("pk"))))
        else:
            employees = employees.filter(pk__in=at_employer.values("employee_id"))
    if not query:
        return employees
    digits = re.sub(r"\D", "", query)
    if len(digits) == 9 and digits == query.replace(" ", ""):
        try:
            return employees.filter(bsn_index=bsn_blind_index(normalise_bsn(digits)))
        except ValidationError:  # not a valid BSN: search it as a personnel number instead
            pass
    condition = Q()
    for term in query.split():
        # The personnel number is looked up first (a handful of ids), so that every alternative is
        # a condition on the employee row that an index answers (migration 0006).
        numbered = Employment.objects.filter(personnel_number__iexact=term).values_list(
            "employee_id", flat=True
        )
        condition &= (
            Q(surname__icontains=term)
            | Q(first_names__icontains=term)
            | Q(initials__iexact=term)
            | Q(pk__in=list(numbered[:MAX_NUMBER_MATCHES]))
        )
    return employees.filter(condition)


def search_employers(employers: QuerySet[Employer], query: str) -> QuerySet[Employer]:
    """Filter ``employers`` (already scoped to the user) by name or exact KvK number (8 digits)."""
    query = query.strip()
    if not query:
        return employers
    digits = re.sub(r"\D", "", query)
    if len(digits) == 8 and digits == query.replace(" ", ""):
        return employers.filter(kvk_number=digits).order_by("name")
    return employers.filter(name__icontains=query).order_by("name")


def employee_id_by_bsn(bsn: str) -> int | None:
    """The id of the employee with this full BSN (by its blind index), or ``None``; a filter's lookup,
    audited by the caller's own record of the search."""
    try:
        index = bsn_blind_index(normalise_bsn(bsn))
    except ValidationError:
        return None
    return Employee.objects.filter(bsn_index=index).values_list("pk", flat=True).first()


def employee_by_bsn(bsn: str) -> Employee | None:
    """The employee with this full, valid BSN (by its blind index), or ``None``; for break-the-glass,
    whose own record (opened or not found) audits the lookup."""
    return Employee.objects.filter(bsn_index=bsn_blind_index(bsn)).first()


def roster_import_for(user: User, employer: Employer, import_id: int) -> RosterImport:
    """The user's own roster upload for ``employer`` (whose access the caller checked); 404 for
    anyone else's. The encrypted rows are read only where needed (the preview): the commit and the
    progress polls must answer at once, also for a 100,000-row upload."""
    batches = RosterImport.objects.defer("payload")
    return get_object_or_404(batches, pk=import_id, employer=employer, uploaded_by=user)


def employee_by_personnel_number(employer: Employer, personnel_number: str) -> Employee | None:
    """The person a letter, e-mail or call names by employer and personnel number, or ``None``; for
    a registration by staff, whose own record audits it (nothing of the person is shown)."""
    employment = (
        Employment.objects.filter(employer=employer, personnel_number=personnel_number.strip())
        .select_related("employee")
        .first()
    )
    return employment.employee if employment else None


def is_registered_at(employer: Employer, bsn: str) -> bool:
    """Whether the person with this full BSN is already employed at ``employer`` (a new
    registration's duplicate check; the BSN compared through its blind index)."""
    return Employment.objects.filter(employer=employer, employee__bsn_index=bsn_blind_index(bsn)).exists()
