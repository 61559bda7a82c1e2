"""Reads on the registry: search within what a user may see."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from arbo.registry.models import Employee, Employer, bsn_blind_index
from arbo.registry.validators import normalise_bsn


def search_employees(
    employees: QuerySet[Employee], query: str, *, employer: Employer | None = None
) -> QuerySet[Employee]:
    """Filter ``employees`` (already scoped to the user) by name, personnel number or exact BSN.

    A 9-digit query that passes the 11-test is looked up through the blind index: the BSN is never
    compared in plaintext, and partial BSN search is impossible by design.
    """
    query = query.strip()
    if employer is not None:
        employees = employees.filter(employments__employer=employer)
    if not query:
        return employees.distinct()
    digits = re.sub(r"\D", "", query)
    if len(digits) == 9 and digits == query.replace(" ", ""):
        try:
            return employees.filter(bsn_index=bsn_blind_index(normalise_bsn(digits))).distinct()
        except ValidationError:  # not a valid BSN: search it as a personnel number instead
            pass
    condition = Q()
    for term in query.split():
        condition &= (
            Q(surname__icontains=term)
            | Q(first_names__icontains=term)
            | Q(initials__iexact=term)
            | Q(employments__personnel_number__iexact=term)
        )
    return employees.filter(condition).distinct()
