"""Reads on the registry: search within what a user may see."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from arbo.registry.models import Employee, Employer, Employment, bsn_blind_index
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
        employees = employees.filter(
            Exists(Employment.objects.filter(employee=OuterRef("pk"), employer=employer))
        )
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
