"""``manage.py worker``: django-tasks-db's ``db_worker`` with a heartbeat.

Takes the same options as ``db_worker``. Besides running tasks it records every few seconds that
it is alive (a thread with its own database connection), so that ``/readyz`` sees the workers and
the scheduler can put back a task whose worker died mid-task (see
:func:`arbo.operations.domain.recover_lost_tasks`). On start it puts back such tasks itself.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from arbo.operations import domain
from arbo.operations.models import Heartbeat

logger = logging.getLogger("arbo.operations.worker")

HEARTBEAT_SECONDS = 5.0


class HeartbeatWorker(Worker):
    def run(self) -> None:
        stop = threading.Event()
        thread = threading.Thread(target=self._beat, args=(stop,), daemon=True, name="heartbeat")
        try:
            domain.beat(Heartbeat.Kind.WORKER, self.worker_id, timezone.now())
            domain.recover_lost_tasks()
        except DatabaseError:
            logger.exception("worker could not record its start")
        thread.start()
        try:
            super().run()
        finally:
            stop.set()

    def _beat(self, stop: threading.Event) -> None:
        started = timezone.now()
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                domain.beat(Heartbeat.Kind.WORKER, self.worker_id, started)
            except DatabaseError:
                logger.warning("heartbeat not recorded", exc_info=True)
            finally:
                connection.close()  # the thread's own connection; a new one next beat


class Command(DbWorkerCommand):
    help = "Run tasks from the database queue (db_worker) and record a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
