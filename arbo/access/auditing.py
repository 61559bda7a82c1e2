"""The one audit helper for access to a person's data: the NEN 7513 basis and the category, once.

Every domain and query function that reads or writes someone's data records it with
:func:`record_access` (one person) or :func:`record_access_many` (a list). The basis is what
:func:`arbo.access.policy.access_basis` says of the reader and the person (self, treatment
relationship, emergency, authorisation) unless the caller knows better and says so (consent, a
system job); the category is the caller's, else the event's in :mod:`arbo.audit.events`. Where the
access came from (address, user agent) comes from the request context (:mod:`arbo.audit.context`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from arbo.access.policy import access_basis
from arbo.audit import log
from arbo.audit.events import category_of
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.registry.models import Applicant, Employee


def _category(event: str, category: str | None) -> str:
    return str(category) if category is not None else category_of(event)


def record_access(
    user: User | None,
    action: str,
    event: str,
    employee: Employee | Applicant,
    *,
    obj: Any = None,
    category: str | None = None,
    basis: str | None = None,
    data: dict[str, Any] | None = None,
    outcome: str = log.Outcome.ALLOWED,
) -> AuditEvent:
    """One audit record of ``user``'s ``action`` on ``employee``'s data (``obj`` when a part of it).

    An applicant has no relationships the policy knows: its caller states the basis."""
    if basis is None:
        if user is None:
            basis = log.Basis.SYSTEM
        elif isinstance(employee, Employee):
            basis = access_basis(user, employee)
        else:
            raise TypeError("record_access: state the basis of an access to an applicant")
    return log.record(
        user,
        action,
        event,
        subject=employee,
        obj=obj,
        category=_category(event, category),
        basis=basis,
        outcome=outcome,
        data=data,
    )


def record_access_many(
    user: User,
    action: str,
    event: str,
    subjects: Iterable[Any],
    *,
    category: str | None = None,
    basis: str = log.Basis.AUTHORISATION,
    data: dict[str, Any] | None = None,
) -> int:
    """One record per person of a list (one chain lock). A list is read under one basis: the
    reader's authorisation unless the caller says otherwise."""
    return log.record_many(
        user, action, event, subjects, category=_category(event, category), basis=basis, data=data
    )
