"""Identity's scheduled task (see :mod:`arbo.operations.schedule`)."""

from __future__ import annotations

from arbo.identity import domain
from arbo.operations.retry import retrying_task


@retrying_task(attempts=5)
def end_leavers() -> dict[str, int]:
    """Daily: block every account whose last working day has passed (idempotent)."""
    return {"blocked": len(domain.end_leavers())}
