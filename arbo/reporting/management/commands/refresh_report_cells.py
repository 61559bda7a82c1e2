"""``manage.py refresh_report_cells``: the daily rollup of the dashboard's figures (arbo.reporting.cache).

Run it daily after midnight (cron or the scheduler); safe to run twice or on two machines.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from arbo.reporting.cache import refresh_report_cells


class Command(BaseCommand):
    help = "Compute the employer dashboards' figures ahead (rollups), suppression applied."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        cells = refresh_report_cells()
        self.stdout.write(f"{cells} report cells in {time.perf_counter() - started:.1f} s")
