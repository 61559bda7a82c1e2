"""Reads of the portal for other apps: the person's letters and "who saw my file" as subject records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from arbo.access.auditing import record_access
from arbo.access.models_care import EmergencyAccess
from arbo.access.policy import is_employee_user
from arbo.access.subjects import Rows, audit_subject_read, collect, is_subject, may_read_applicant
from arbo.audit import log
from arbo.audit.events import describe, describe_categories
from arbo.audit.models import AuditEvent
from arbo.audit.queries import record_access_log_read
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.portal.models import PERSONAL_DATA_CATEGORIES, InboxMessage
from arbo.registry.models import Applicant, Employee


def _access_log(employee: Employee | Applicant) -> list[SubjectRecord]:
    """Every audited access to the person's data (NEN 7513, AVG art. 15(1)(c)): who, when, what."""
    kind = "applicant" if isinstance(employee, Applicant) else "employee"
    events = AuditEvent.objects.filter(subject_kind=kind, subject_id=employee.pk).order_by("seq")
    return [
        SubjectRecord(
            source="portal",
            kind="audit.auditevent",
            category="D",
            pk=event.pk,
            created=event.occurred_at,
            title=str(describe(event.event)),
            fields={
                "wie": event.actor_label,
                "functie": event.actor_functions,
                "wat": str(describe(event.event)),
                "gegevens": str(describe_categories(event.category)),
                "grondslag": str(event.get_basis_display()),
            },
        )
        for event in events.iterator()
    ]


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """The person's letters in the portal, and for the person themself the "who saw my file" list."""
    records = collect(
        "portal",
        employee,
        reader,
        [Rows(InboxMessage.objects.filter(employee=employee).select_related("recipient"), created="sent_at")],
        classification=PERSONAL_DATA_CATEGORIES,
    )
    if is_subject(reader, employee):
        log = _access_log(employee)
        audit_subject_read(reader, "audit", employee, log)
        records += log
    return records


@dataclass(frozen=True)
class OwnAccessLog:
    """What "who saw my file" shows: one page of the log and the break-the-glass accesses."""

    page: Page[AuditEvent]
    emergencies: QuerySet[EmergencyAccess]


def own_access_log(
    user: User,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    category: str = "",
    include_self: bool = False,
    page_number: str | int | None = None,
) -> OwnAccessLog:
    """The employee's own access log, newest first, filtered; the read itself is audited after the
    page is fetched (so this read never shifts the page it is shown on). 404 for anyone but an
    employee with a record."""
    if not is_employee_user(user):
        raise Http404
    employee = get_object_or_404(Employee, user=user)
    events = AuditEvent.objects.filter(subject_kind="employee", subject_id=employee.pk).order_by("-seq")
    if start:
        events = events.filter(occurred_at__date__gte=start)
    if end:
        events = events.filter(occurred_at__date__lte=end)
    if category:
        events = events.filter(category__contains=category)
    if not include_self:
        events = events.exclude(actor=user)
    page = Paginator(events, 50).get_page(page_number)
    page.object_list = list(page.object_list)
    record_access_log_read(user, employee)
    # Every break-the-glass access with its reason and the privacy officer's verdict (issue 9).
    emergencies = EmergencyAccess.objects.filter(employee=employee).select_related("user")[:100]
    return OwnAccessLog(page=page, emergencies=emergencies)


def applicant_records(applicant: Applicant, *, reader: User | None) -> list[SubjectRecord]:
    """The applicant's "who saw my file" list, for the applicant's own package only."""
    if reader is not None or not may_read_applicant(reader, applicant):
        return []
    found = _access_log(applicant)
    if found:
        record_access(
            None,
            log.Action.READ,
            "audit.subject_records_read",
            applicant,
            category="D",
            basis=log.Basis.SELF,
            data={"count": len(found)},
        )
    return found
