"""Reading the consent register (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from arbo.access.auditing import record_access
from arbo.audit import log
from arbo.consent.items import ITEMS
from arbo.consent.models import Consent, Disclosure
from arbo.identity.models import User
from arbo.registry.models import Employee


def own_employee(user: User) -> Employee:
    """The employee record of a portal user; 404 for anyone else."""
    employee = Employee.objects.filter(user=user).first() if user.kind == User.Kind.EMPLOYEE else None
    if employee is None or not user.is_active:
        raise Http404
    return employee


def own_consents(user: User) -> QuerySet[Consent]:
    """Every consent the employee gave (all kinds, withdrawn ones too), audited as their own read."""
    employee = own_employee(user)
    record_access(user, log.Action.READ, "consent.own_list_viewed", employee, basis=log.Basis.SELF)
    return Consent.objects.filter(employee=employee).select_related("recipient", "practitioner", "employer")


def own_consent(user: User, consent_id: int) -> Consent:
    """One of the employee's own consents; 404 for any other."""
    employee = own_employee(user)
    consent = Consent.objects.select_related("employee").filter(employee=employee, pk=consent_id).first()
    if consent is None:
        raise Http404
    return consent


@dataclass(frozen=True)
class DisclosureRow:
    when: dt.datetime
    recipient: str
    recipient_kind: str
    what: list[str]
    ground: str
    by: str


def own_disclosures(user: User) -> list[DisclosureRow]:
    """The employee's disclosure register (every package about them), audited as their own read."""
    employee = own_employee(user)
    disclosures = Disclosure.objects.filter(employee=employee).select_related("recipient", "composed_by")
    record_access(user, log.Action.READ, "consent.own_disclosures_viewed", employee, basis=log.Basis.SELF)
    return [
        DisclosureRow(
            d.created_at,
            d.recipient.name,
            str(d.recipient.get_kind_display()),
            [str(ITEMS[key].label) if key in ITEMS else key for key in d.items],
            str(d.get_ground_display()),
            str(d.composed_by),
        )
        for d in disclosures
    ]
