"""``manage.py scheduler``: enqueue the periodic jobs of :mod:`arbo.operations.schedule` when due.

Run one on each of several machines if you like: a job's period is enqueued once in all (the
unique key of its run). Each tick it also beats (``/readyz`` shows a missing scheduler) and puts
back the tasks of workers that died mid-task.
"""

from __future__ import annotations

import logging
import signal
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from arbo.operations import domain
from arbo.operations.models import Heartbeat

logger = logging.getLogger("arbo.operations.scheduler")


class Command(BaseCommand):
    help = "Enqueue the scheduled jobs when they are due (safe on several machines at once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=20.0, help="seconds between looks (default 20)")
        parser.add_argument("--once", action="store_true", help="look once and exit (for cron)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(options)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, options: dict[str, Any]) -> None:
        ident, started = uuid.uuid4().hex, timezone.now()
        logger.info("scheduler started", extra={"scheduler_id": ident})
        while self.running:
            if not connection.in_atomic_block:  # (a test's transaction)
                close_old_connections()
            try:
                domain.beat(Heartbeat.Kind.SCHEDULER, ident, started)
                domain.recover_lost_tasks()
                for run in domain.enqueue_due():
                    self.stdout.write(f"enqueued {run.job} for {timezone.localtime(run.slot):%Y-%m-%d %H:%M}")
            except DatabaseError:
                logger.exception("scheduler tick failed; trying again")
            if options["once"]:
                break
            deadline = time.monotonic() + options["interval"]
            while self.running and time.monotonic() < deadline:
                time.sleep(0.2)
        logger.info("scheduler stopped", extra={"scheduler_id": ident})

    def _stop(self, signum: int, frame: Any) -> None:
        self.running = False
