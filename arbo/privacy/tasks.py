"""The privacy office's scheduled tasks (see :mod:`arbo.operations.schedule`)."""

from __future__ import annotations

from django.utils import timezone

from arbo.operations.retry import retrying_task
from arbo.privacy import reminders


@retrying_task(attempts=5)
def raise_breach_signals() -> dict[str, int]:
    """Hourly: signals for incidents without a decision at 24 h, 48 h and past 72 h. Idempotent."""
    return {"signals": reminders.raise_breach_signals(timezone.now())}


@retrying_task(attempts=5)
def raise_complaint_signals() -> dict[str, int]:
    """Daily: signals for complaints whose decision date is near or past. Idempotent."""
    return {"signals": reminders.raise_complaint_signals(timezone.localdate())}


@retrying_task(attempts=5)
def raise_rights_signals() -> dict[str, int]:
    """Daily: signals for data-subject requests whose due date is near or past. Idempotent."""
    return {"signals": reminders.raise_rights_signals(timezone.localdate())}
