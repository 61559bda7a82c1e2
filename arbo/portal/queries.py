"""Reads of the portal for other apps: the person's letters and "who saw my file" as subject records."""

from __future__ import annotations

from arbo.access.auditing import record_access
from arbo.access.subjects import Rows, audit_subject_read, collect, is_subject, may_read_applicant
from arbo.audit import log
from arbo.audit.events import describe, describe_categories
from arbo.audit.models import AuditEvent
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
