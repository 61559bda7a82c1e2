"""Reads of the audit log itself, audited: the employee's "who saw my file" and the officer's viewer."""

from __future__ import annotations

from typing import Any

from arbo.audit import log


def record_access_log_read(user: Any, employee: Any) -> None:
    """The employee read who saw their file (their own data)."""
    log.record(user, log.Action.READ, "portal.access_log_viewed", subject=employee, basis=log.Basis.SELF)


def record_viewer_use(user: Any, filters: dict[str, str], *, exported: bool = False) -> None:
    """The privacy officer searched the log with ``filters`` (and downloaded the result as CSV)."""
    if exported:
        log.record(user, log.Action.EXPORT, "audit.viewer_exported", data=filters)
    else:
        log.record(user, log.Action.READ, "audit.viewer_used", data=filters)
