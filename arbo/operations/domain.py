"""Operations' writes: enqueue the scheduled jobs that are due, heartbeats, and putting back the
tasks of a worker that died mid-task.

Exactly once across machines: :func:`enqueue_due` creates the :class:`JobRun` of a job's period and
enqueues its task in one transaction; the unique key (job, slot) lets only the first scheduler
through, whichever machine it runs on. Workers claim queued tasks with ``SELECT … FOR UPDATE SKIP
LOCKED`` (django-tasks-db), so a task is run by one worker; a task whose worker died is put back
once that worker is known to be dead (:func:`recover_lost_tasks`), and the task itself is
idempotent (it runs in one transaction that the dead process never committed).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arbo.operations.models import Heartbeat, JobRun
from arbo.operations.schedule import JOBS, Job

logger = logging.getLogger(__name__)

HOST = socket.gethostname()[:255]
#: A process that has not beaten for this long is taken for dead (on another machine).
STALE_AFTER = dt.timedelta(minutes=2)
#: A task whose worker died this many times is not tried again (it may be what kills them).
MAX_LOST_ATTEMPTS = 3


def enqueue_due(now: dt.datetime | None = None, jobs: Iterable[Job] | None = None) -> list[JobRun]:
    """Enqueue every job whose current period has no run yet; return the runs created here.

    Safe to call from any number of schedulers at once: the unique (job, slot) key admits one.
    A job whose previous run still waits in the queue is not enqueued again (no pile-up while the
    workers are down); the period's run is made when the scheduler next looks."""
    now = now or timezone.now()
    created = []
    for job in JOBS if jobs is None else jobs:
        slot = job.slot(now)
        if JobRun.objects.filter(job=job.name, slot__gte=slot).exists() or _still_waiting(job):
            continue
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job=job.name, slot=slot)
                result = import_string(job.task).enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler was first
        logger.info("job enqueued", extra={"job": job.name, "slot": slot.isoformat(), "task_id": run.task_id})
        created.append(run)
    return created


def _still_waiting(job: Job) -> bool:
    waiting = JobRun.objects.filter(job=job.name, status=JobRun.Status.ENQUEUED).values_list(
        "task_id", flat=True
    )
    return DBTaskResult.objects.filter(id__in=list(waiting), status=TaskResultStatus.READY).exists()


def beat(kind: str, ident: str, started_at: dt.datetime) -> None:
    """Record that this process is alive."""
    Heartbeat.objects.update_or_create(
        kind=kind,
        ident=ident,
        defaults={"host": HOST, "pid": os.getpid(), "started_at": started_at, "seen_at": timezone.now()},
    )


def recover_lost_tasks(now: dt.datetime | None = None) -> int:
    """Put back the running tasks whose worker is dead: its process is gone (same machine) or it
    has not beaten for :data:`STALE_AFTER`. A task lost :data:`MAX_LOST_ATTEMPTS` times fails."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    if not running:
        return 0
    workers = {beat.ident: beat for beat in Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER)}
    recovered = 0
    for task in running:
        worker = workers.get(task.worker_ids[-1]) if task.worker_ids else None
        if not _is_dead(worker, task, now):
            continue
        if len(task.worker_ids) >= MAX_LOST_ATTEMPTS:
            changed = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="arbo.operations.domain.WorkerLost",
                traceback=f"the worker died while running this task, {len(task.worker_ids)} times",
            )
            if changed:
                JobRun.objects.filter(task_id=str(task.pk)).update(
                    status=JobRun.Status.FAILED, finished_at=now
                )
        else:
            changed = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
        if changed:
            recovered += 1
            logger.warning(
                "task of a dead worker put back",
                extra={"task_id": str(task.pk), "task": task.task_path, "attempts": len(task.worker_ids)},
            )
    return recovered


def put_back(task_id: str) -> bool:
    """A stopping worker hands back the task it was running (:mod:`arbo.operations.stopping`): ready
    again for any worker, its claims kept in ``worker_ids``. False if it had finished meanwhile."""
    changed = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if changed:
        logger.warning("task put back by a stopping worker", extra={"task_id": task_id})
    return bool(changed)


def release_claims(worker_id: str) -> int:
    """A worker on its way out puts back any task still marked running under its id (a signal that
    came between claiming a task and running it)."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
    mine = [str(task.pk) for task in running if task.worker_ids and task.worker_ids[-1] == worker_id]
    return sum(put_back(task_id) for task_id in mine)


def _is_dead(worker: Heartbeat | None, task: DBTaskResult, now: dt.datetime) -> bool:
    if worker is None:
        # A worker without heartbeats (plain db_worker): only a task running for very long.
        return task.started_at is not None and now - task.started_at > 5 * STALE_AFTER
    if worker.host == HOST:
        return not _process_alive(worker.pid)
    return now - worker.seen_at > STALE_AFTER


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def record_finished(
    task_id: str, *, succeeded: bool, result: object, finished_at: dt.datetime | None
) -> None:
    """The worker finished a task: note it on the job run it belongs to, if any."""
    JobRun.objects.filter(task_id=task_id).update(
        status=JobRun.Status.SUCCEEDED if succeeded else JobRun.Status.FAILED,
        finished_at=finished_at or timezone.now(),
        result=result if succeeded and isinstance(result, dict) else None,
    )


def move_run_to(task_id: str, new_task_id: str) -> None:
    """A retry replaces the task that runs a job run."""
    JobRun.objects.filter(task_id=task_id).update(task_id=new_task_id)
