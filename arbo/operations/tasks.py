"""Operations' own tasks: the queue probe and pruning old task results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from arbo.operations.models import Heartbeat, JobRun

#: Finished task results are kept this long (a user waiting for an import sees it well before).
KEEP_RESULTS = dt.timedelta(days=14)
KEEP_RUNS = dt.timedelta(days=90)


@task(takes_context=True)
def queue_probe(context: TaskContext) -> dict[str, Any]:
    """Runs every minute: its age says a worker takes work, its wait is the queue's lag."""
    result = context.task_result
    started, enqueued = result.started_at or timezone.now(), result.enqueued_at or timezone.now()
    return {"waited_ms": round((started - enqueued).total_seconds() * 1000)}


@task()
def prune_task_results() -> dict[str, int]:
    now = timezone.now()
    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    results, _ = DBTaskResult.objects.filter(status__in=finished, finished_at__lt=now - KEEP_RESULTS).delete()
    runs, _ = JobRun.objects.filter(enqueued_at__lt=now - KEEP_RUNS).delete()
    beats, _ = Heartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=7)).delete()
    return {"task_results": results, "job_runs": runs, "heartbeats": beats}
