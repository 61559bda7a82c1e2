"""Reporting's scheduled task (see :mod:`arbo.operations.schedule`)."""

from __future__ import annotations

from arbo.operations.retry import retrying_task
from arbo.reporting.cache import refresh_report_cells


@retrying_task(attempts=3)
def refresh_report_rollups() -> dict[str, int]:
    """Daily: the dashboards' figures computed ahead (rollups), suppression applied. Idempotent:
    each employer's rows of the day are replaced in one transaction."""
    return {"cells": refresh_report_cells()}
