"""``manage.py worker``: django-tasks-db's ``db_worker`` with a heartbeat.

Takes the same options as ``db_worker``. Besides running tasks it records every few seconds that
it is alive (a thread with its own database connection), so that ``/readyz`` sees the workers and
the scheduler can put back a task whose worker died mid-task (see
:func:`arbo.operations.domain.recover_lost_tasks`). On start it puts back such tasks itself.

Stopping (:mod:`arbo.operations.stopping`): the first SIGTERM or SIGINT stops claiming and asks the
running task to stop at its next checkpoint; a second one interrupts it at once. Either way the
task's transaction is rolled back and the task is put back in the queue (not failed), so the next
worker runs it once from the start. db_worker itself would mark an interrupted task failed and
leave, say, a roster batch "queued" for ever.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from arbo.operations import domain, stopping
from arbo.operations.models import Heartbeat

logger = logging.getLogger("arbo.operations.worker")

HEARTBEAT_SECONDS = 5.0


class HeartbeatWorker(Worker):
    _interrupted = False

    def run(self) -> None:
        stopping.clear()
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
            self._release_claims()

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        name = signal.strsignal(signum)
        if self.running:
            self.running = False
            stopping.request()
            if not self.running_task:
                logger.warning("signal received, stopping", extra={"signal": name})
                sys.exit(0)
            logger.warning(
                "signal received, stopping at the task's next checkpoint (again: at once)",
                extra={"signal": name},
            )
            return
        if self._interrupted:
            return  # already unwinding the task
        if not self.running_task:
            sys.exit(1)
        self._interrupted = True
        logger.warning(
            "second signal, interrupting the task; it goes back to the queue", extra={"signal": name}
        )
        raise stopping.WorkerStopping

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """db_worker's ``run_task``, except that a stop puts the task back instead of failing it."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)
                value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (stopping.WorkerStopping, KeyboardInterrupt, SystemExit):
            self.running = False
            self._hand_back(str(db_task_result.pk))
        except BaseException as exc:
            db_task_result.set_failed(exc)
            task_finished.send(
                sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
            )
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _hand_back(self, task_id: str) -> None:
        # The task's transaction has been rolled back (or its connection closed, when the signal
        # came in the middle of a query); an unusable connection is replaced before the put back.
        if not connection.in_atomic_block:  # (a test's transaction)
            close_old_connections()
        for attempt in (1, 2):
            try:
                domain.put_back(task_id)
                return
            except DatabaseError:
                connection.close()  # a query the signal cut short may have left it unusable
                if attempt == 2:
                    logger.exception(
                        "task not put back; the next worker to start will", extra={"task_id": task_id}
                    )

    def _release_claims(self) -> None:
        try:
            close_old_connections()
            domain.release_claims(self.worker_id)
        except DatabaseError:
            logger.exception("claims not released; the next worker to start will")

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
