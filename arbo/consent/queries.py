"""Reading the consent register (audited)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from arbo.access.auditing import record_access
from arbo.audit import log
from arbo.consent.models import Consent
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
