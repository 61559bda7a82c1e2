"""The API's audited read path: what an API client reads of employees and absence cases.

The views fetch and page through the visibility querysets; every read of a person's data is
recorded here (category A and D, the client's authorisation), never in a view.
"""

from __future__ import annotations

from collections.abc import Sequence

from arbo.absence.models import AbsenceCase
from arbo.access.auditing import record_access, record_access_many
from arbo.access.matrix import Category
from arbo.audit import log
from arbo.identity.models import User
from arbo.registry.models import Employee

#: What the API gives of an employee: administrative (A) and general (D) data.
READ_CATEGORIES = "AD"


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
