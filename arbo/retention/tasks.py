"""The retention purge as a scheduled task (see :mod:`arbo.operations.schedule`)."""

from __future__ import annotations

from arbo.operations.retry import retrying_task
from arbo.retention import purge


@retrying_task(attempts=5)
def purge_due() -> dict[str, int]:
    """Daily: destroy what the schedule says is due. Idempotent and resumable (see purge.py)."""
    return purge.run()
