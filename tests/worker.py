"""Run queued tasks in the test's own process and transaction, as ``manage.py worker`` would.

django-tasks-db's worker loop closes connections between tasks, which a test inside a
transaction cannot allow; this claims and runs the ready tasks one by one with the worker's own
``run_task`` (so success, failure and the ``task_finished`` signal behave as in production).
"""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER_ID = "test-worker"


def run_tasks(limit: int = 1000) -> int:
    """Run every ready task (and those they enqueue) until none is left; return how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with transaction.atomic():
            task = DBTaskResult.objects.ready().get_locked()
            if task is None:
                return ran
            task.claim(WORKER_ID)
        worker.run_task(task)
        ran += 1
    raise AssertionError(f"more than {limit} tasks: does a task keep enqueueing itself?")
