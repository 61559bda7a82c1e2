"""Absence's scheduled task (see :mod:`arbo.operations.schedule`)."""

from __future__ import annotations

from django.utils import timezone

from arbo.absence.milestones import reminders
from arbo.operations.retry import retrying_task


@retrying_task(attempts=5)
def raise_signals() -> dict[str, int]:
    """Daily: poortwachter signals for due and overdue milestones, content-free e-mail. Idempotent:
    a milestone already signalled is skipped, so a retry after a mail failure sends only the rest."""
    result = reminders.raise_signals(timezone.localdate())
    return {"signals": len(result.created), "mails": result.mails}
