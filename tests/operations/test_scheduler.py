"""The scheduler: each job once per period (also with two schedulers), run by the workers, with
its outcome kept; retries with back-off; tasks of dead workers put back."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arbo.audit import log
from arbo.audit.models import AuditEvent
from arbo.operations import domain
from arbo.operations.models import Heartbeat, JobRun
from arbo.operations.schedule import DAY, HOUR, JOBS, Job
from tests.audit.conftest import tamper
from tests.worker import WORKER_ID, run_tasks

AMS = ZoneInfo("Europe/Amsterdam")
MORNING = dt.datetime(2026, 3, 10, 7, 30, tzinfo=AMS)

flaky_job = Job("flaky", "tests.operations.flaky_tasks.flaky", every=DAY, at=dt.timedelta(hours=1))
broken_job = Job("broken", "tests.operations.flaky_tasks.broken", every=DAY)


def test_slot_is_the_latest_due_time_in_local_time() -> None:
    daily = Job("d", "x.y", every=DAY, at=dt.timedelta(hours=6))
    hourly = Job("h", "x.y", every=HOUR, at=dt.timedelta(minutes=5))

    assert daily.slot(MORNING) == dt.datetime(2026, 3, 10, 6, 0, tzinfo=AMS)
    assert daily.slot(MORNING.replace(hour=5)) == dt.datetime(2026, 3, 9, 6, 0, tzinfo=AMS)
    assert hourly.slot(MORNING) == dt.datetime(2026, 3, 10, 7, 5, tzinfo=AMS)
    assert hourly.slot(MORNING.replace(minute=2)) == dt.datetime(2026, 3, 10, 6, 5, tzinfo=AMS)
    assert daily.allowed_delay == dt.timedelta(hours=26)
    with pytest.raises(ValueError, match="every must divide a day"):
        Job("bad", "x.y", every=dt.timedelta(hours=7))


def test_every_job_is_a_task_that_exists() -> None:
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    assert {job.name for job in JOBS} >= {"raise_signals", "end_leavers", "record_audit_head", "verify_audit"}
    for job in JOBS:
        assert isinstance(import_string(job.task), Task), job.task


@pytest.mark.django_db
def test_each_job_is_enqueued_once_per_period_and_its_success_kept() -> None:
    first = domain.enqueue_due(MORNING)
    again = domain.enqueue_due(MORNING + dt.timedelta(minutes=10))

    assert sorted(run.job for run in first) == sorted(job.name for job in JOBS)
    # Ten minutes later only the every-minute probe has a new period, and its last run still waits.
    assert again == []
    assert JobRun.objects.count() == len(JOBS)

    assert run_tasks() == len(JOBS)
    runs = {run.job: run for run in JobRun.objects.all()}
    assert {run.status for run in runs.values()} == {JobRun.Status.SUCCEEDED}
    assert runs["end_leavers"].result == {"blocked": 0}
    assert runs["raise_signals"].result == {"signals": 0, "mails": 0}
    assert runs["verify_audit"].result["rows"] >= 0
    assert runs["queue_probe"].result["waited_ms"] >= 0
    assert all(run.finished_at is not None for run in runs.values())

    # The next hour: the hourly head, the probe and the audit sequencer again, nothing daily.
    later = {run.job for run in domain.enqueue_due(MORNING + HOUR)}
    assert later == {"record_audit_head", "raise_breach_signals", "queue_probe", "sequence_audit"}
    # The next day everything once more (once the waiting runs ran).
    run_tasks()
    assert len(domain.enqueue_due(MORNING + DAY)) == len(JOBS)


@pytest.mark.django_db
def test_two_schedulers_enqueue_a_period_once() -> None:
    # Two scheduler processes at the same moment (the PostgreSQL race is in test_machines.py).
    with time_machine.travel(MORNING, tick=False):
        call_command("scheduler", "--once")
        call_command("scheduler", "--once")

    assert JobRun.objects.count() == len(JOBS)
    assert DBTaskResult.objects.count() == len(JOBS)
    assert Heartbeat.objects.filter(kind=Heartbeat.Kind.SCHEDULER).count() == 2


@pytest.mark.django_db
def test_a_failing_task_is_retried_with_back_off_and_then_succeeds() -> None:
    cache.set("flaky-failures", 2)
    (run,) = domain.enqueue_due(MORNING, jobs=[flaky_job])
    first_task = run.task_id

    with time_machine.travel(MORNING, tick=False):
        assert run_tasks() == 1  # fails, re-enqueued 30 s later: not ready yet
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after == MORNING + dt.timedelta(seconds=30)
    assert DBTaskResult.objects.get(pk=first_task).status == TaskResultStatus.FAILED
    run.refresh_from_db()
    assert (run.status, run.task_id) == (JobRun.Status.ENQUEUED, str(retry.pk))

    with time_machine.travel(MORNING + dt.timedelta(seconds=31), tick=False):
        assert run_tasks() == 1  # fails again: the next try after 60 s
    assert DBTaskResult.objects.get(status=TaskResultStatus.READY).run_after == MORNING + dt.timedelta(
        seconds=91
    )

    with time_machine.travel(MORNING + dt.timedelta(seconds=92), tick=False):
        assert run_tasks() == 1
    run.refresh_from_db()
    assert (run.status, run.result) == (JobRun.Status.SUCCEEDED, {"calls": 3})


@pytest.mark.django_db
def test_retries_end_and_other_errors_fail_at_once() -> None:
    cache.set("flaky-failures", 10)
    domain.enqueue_due(MORNING, jobs=[flaky_job, broken_job])

    with time_machine.travel(MORNING, tick=False) as clock:
        ran = run_tasks()
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=5))
            ran += run_tasks()
    assert ran == 3 + 1  # flaky three times (attempts=3), broken once

    runs = {run.job: run.status for run in JobRun.objects.all()}
    assert runs == {"flaky": JobRun.Status.FAILED, "broken": JobRun.Status.FAILED}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 4


@pytest.mark.django_db
def test_verify_audit_job_fails_when_the_chain_is_broken() -> None:
    for n in range(3):
        log.record(None, log.Action.READ, "test.read", data={"n": n})
    tamper("UPDATE audit_auditevent SET actor_label = 'iemand anders' WHERE seq = 2")
    verify = next(job for job in JOBS if job.name == "verify_audit")
    domain.enqueue_due(MORNING, jobs=[verify])

    run_tasks()

    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert task.exception_class_path == "arbo.audit.tasks.AuditChainBroken"
    assert AuditEvent.objects.count() == 3


def _running_task(worker_id: str) -> DBTaskResult:
    (run,) = domain.enqueue_due(MORNING, jobs=[next(job for job in JOBS if job.name == "end_leavers")])
    task = DBTaskResult.objects.get(pk=run.task_id)
    task.claim(worker_id)
    return task


def _heartbeat(worker_id: str, pid: int, *, host: str = domain.HOST, seen: dt.datetime | None = None) -> None:
    now = timezone.now()
    Heartbeat.objects.create(
        kind=Heartbeat.Kind.WORKER, ident=worker_id, host=host, pid=pid, started_at=now, seen_at=seen or now
    )


@pytest.mark.django_db
def test_the_task_of_a_dead_worker_is_put_back_and_runs_once() -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    _heartbeat("w-dead", int(dead.stdout))
    task = _running_task("w-dead")

    assert domain.recover_lost_tasks() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert run_tasks() == 1
    task.refresh_from_db()
    assert (task.status, task.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["w-dead", WORKER_ID])
    assert JobRun.objects.get().status == JobRun.Status.SUCCEEDED


@pytest.mark.django_db
def test_the_task_of_a_live_worker_stays_with_it() -> None:
    import os

    _heartbeat("w-alive", os.getpid())
    _heartbeat("w-far", 1, host="other-machine")
    mine, far = _running_task("w-alive"), None
    assert domain.recover_lost_tasks() == 0
    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.RUNNING

    # On another machine a worker is dead when it has not beaten for two minutes.
    DBTaskResult.objects.filter(pk=mine.pk).update(worker_ids=["w-far"])
    assert domain.recover_lost_tasks() == 0
    Heartbeat.objects.filter(ident="w-far").update(seen_at=timezone.now() - dt.timedelta(minutes=3))
    assert domain.recover_lost_tasks() == 1
    assert far is None


@pytest.mark.django_db
def test_a_task_that_keeps_losing_its_worker_fails() -> None:
    task = _running_task("w1")
    DBTaskResult.objects.filter(pk=task.pk).update(
        worker_ids=["w1", "w2", "w3"], started_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert domain.recover_lost_tasks() == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert JobRun.objects.get().status == JobRun.Status.FAILED
