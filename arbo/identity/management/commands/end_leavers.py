"""Block the accounts of people whose last working day has passed. Run daily (cron).

Safe to run twice, or on two machines at once: see :func:`arbo.identity.domain.end_leavers`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from arbo.identity import domain


class Command(BaseCommand):
    help = "Block every account whose last working day (leaves_on) has passed, and end its rights."

    def handle(self, *args: Any, **options: Any) -> None:
        blocked = domain.end_leavers()
        self.stdout.write(f"end_leavers: {len(blocked)} account(s) blocked")
