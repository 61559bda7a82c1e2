"""The audit log's scheduled tasks (see :mod:`arbo.operations.schedule`)."""

from __future__ import annotations

from typing import Any

from arbo.audit.chain import record_head, sequence_pending
from arbo.audit.verify import verify_incremental
from arbo.operations.retry import retrying_task


class AuditChainBroken(Exception):
    """The nightly verification found a broken link: the job fails and ``/readyz`` says so."""


@retrying_task(attempts=3)
def record_audit_head() -> dict[str, Any]:
    """Hourly: write down the end of the audit chain."""
    head = record_head()
    if head is None:
        return {"seq": 0}
    return {"seq": head.seq, "hash": bytes(head.hash).hex()}


@retrying_task(attempts=3)
def sequence_audit() -> dict[str, Any]:
    """Every five minutes: chain the rows left pending — a page's, when it found the chain busy, or a
    bulk writer's that its process did not chain (it died, or its sequencing failed)."""
    return {"chained": sequence_pending()}


@retrying_task(attempts=3)
def verify_audit() -> dict[str, Any]:
    """Nightly: verify the rows appended since the last checkpoint; a broken chain fails the job
    (not retried)."""
    sequence_pending()
    report = verify_incremental()
    if not report.ok:
        raise AuditChainBroken(str(report.first_problem))
    return {"rows": report.rows, "seconds": round(report.seconds, 3), "method": report.method}
