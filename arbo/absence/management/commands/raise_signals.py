"""Daily cron job: ``manage.py raise_signals`` (safe to run twice, or on two machines at once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from arbo.absence.milestones.reminders import raise_signals


class Command(BaseCommand):
    help = "Raise poortwachter signals for milestones due within a week or overdue, and notify."

    def handle(self, *args: Any, **options: Any) -> None:
        result = raise_signals(timezone.localdate())
        self.stdout.write(f"{len(result.created)} signals raised, {result.mails} e-mails sent")
