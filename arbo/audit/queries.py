"""Reads of the audit log itself, audited: the employee's "who saw my file", the officer's viewer and
the reads made under a break-the-glass access (its review, issue 18)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from arbo.audit import log
from arbo.audit.models import AuditEvent


def record_access_log_read(user: Any, employee: Any) -> None:
    """The employee read who saw their file (their own data)."""
    log.record(user, log.Action.READ, "portal.access_log_viewed", subject=employee, basis=log.Basis.SELF)


def record_viewer_use(user: Any, filters: dict[str, str], *, exported: bool = False) -> None:
    """The privacy officer searched the log with ``filters`` (and downloaded the result as CSV)."""
    if exported:
        log.record(user, log.Action.EXPORT, "audit.viewer_exported", data=filters)
    else:
        log.record(user, log.Action.READ, "audit.viewer_used", data=filters)


def _emergency_records(accesses: list[Any]) -> QuerySet[AuditEvent]:
    """Records made on the emergency basis by the doctors of ``accesses`` about their employees."""
    return AuditEvent.objects.filter(
        basis=log.Basis.EMERGENCY,
        subject_kind="employee",
        actor_id__in={a.user_id for a in accesses},
        subject_id__in={a.employee_id for a in accesses},
        occurred_at__gte=min(a.started_at for a in accesses),
        occurred_at__lte=max(a.expires_at for a in accesses),
    )


def _within(access: Any, actor_id: int | None, subject_id: int | None, at: Any) -> bool:
    return (
        actor_id == access.user_id
        and subject_id == access.employee_id
        and access.started_at <= at <= access.expires_at
    )


def emergency_read_counts(accesses: list[Any]) -> dict[int, int]:
    """Per break-the-glass access: how many records its doctor made on the emergency basis about its
    employee within its window (one query for the whole list). Counts only: no record is shown."""
    counts = {access.pk: 0 for access in accesses}
    if not accesses:
        return counts
    rows = _emergency_records(accesses).values_list("actor_id", "subject_id", "occurred_at")
    for actor_id, subject_id, at in rows:
        for access in accesses:
            if _within(access, actor_id, subject_id, at):
                counts[access.pk] += 1
    return counts


def emergency_reads(user: Any, access: Any) -> list[AuditEvent]:
    """The records of what the doctor did under one break-the-glass access (the emergency basis, that
    doctor, that employee, its window), for the privacy officer's review; the search is logged as a
    use of the audit viewer."""
    record_viewer_use(user, {"emergency_access": str(access.pk)})
    return list(_emergency_records([access]).order_by("seq"))
