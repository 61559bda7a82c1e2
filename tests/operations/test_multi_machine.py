"""Several machines against one PostgreSQL (issue 11, item 9), as separate processes.

Two app servers (gunicorn on two ports), two workers (``manage.py worker``) and two schedulers
(``manage.py scheduler``) share the suite's PostgreSQL database, as they would on two machines.
A roster is uploaded through one app server, previewed through the other and its commit queued
through the first; the progress is polled through the second. The worker that runs the commit is
killed with SIGKILL halfway, and started again: the other worker finishes the import, and every
row exists once, with one audit record per person. Meanwhile both schedulers enqueue the periodic
jobs: each job's period is enqueued once and its task run once, by one of the workers.

Marked ``postgres`` (SQLite is the embedded, one-machine setup); it takes about half a minute.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arbo.audit.models import AuditEvent
from arbo.audit.verify import verify_chain
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.operations.models import JobRun
from arbo.operations.schedule import JOBS
from arbo.registry.models import Department, Employment
from arbo.registry.models_roster import RosterImport
from tests import factories as f
from tests.operations.machines import Browser, Machines, roster_csv, wait_for

ROWS = 6000

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several machines share a PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def machines(tmp_path) -> Iterator[Machines]:  # type: ignore[no-untyped-def]
    started = Machines(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()
        connection.close()


def _commit_task() -> DBTaskResult | None:
    return DBTaskResult.objects.filter(task_path="arbo.registry.tasks.commit_roster").first()


def _progress(import_id: int) -> dict[str, Any]:
    from django.core.cache import caches

    from arbo.registry.tasks import progress_key

    return caches["progress"].get(progress_key(import_id)) or {}


def test_two_machines_share_the_work_and_a_killed_worker_loses_nothing(machines, tmp_path) -> None:  # type: ignore[no-untyped-def]
    employer = f.EmployerFactory(name="Twee Machines BV")
    Department.objects.bulk_create(
        [Department(employer=employer, name=f"Afdeling {n:02d}") for n in range(1, 21)]
    )
    casemanager = f.UserFactory(username="cm-machines", kind=User.Kind.STAFF)
    f.give_function(casemanager, StaffFunction.CASEMANAGER)
    f.join_team(casemanager, employer)
    f.enrol_totp(casemanager)
    browser = Browser(casemanager)
    begun = timezone.now()

    one, two = machines.app_server("app-1"), machines.app_server("app-2")
    for n in (1, 2):
        machines.manage(f"scheduler-{n}", "scheduler", "--interval", "1")
        machines.manage(
            f"worker-{n}", "worker", "--queue-name", "*", "--interval", "0.2", "--worker-id", f"w{n}"
        )
    machines.wait_until_answering(one, two)

    # Upload through machine one, preview through machine two.
    upload = browser.post(
        f"{one}/registry/employers/{employer.pk}/roster/",
        files={"file": ("personeel.csv", roster_csv(ROWS), "text/csv")},
    )
    assert upload.status_code == 302, (upload.status_code, machines.log("app-1"))
    preview_path = upload.headers["Location"]
    batch = RosterImport.objects.get()
    # The upload only kept the file: a worker checks it while machine two's page polls.
    checking = browser.get(f"{two}{preview_path}")
    assert checking.status_code == 200, machines.log("app-2")
    wait_for(
        "the check",
        lambda: RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.PREVIEWED,
        timeout=180,
        every=0.5,
    )
    check = DBTaskResult.objects.get(task_path="arbo.registry.tasks.check_roster")
    assert (check.status, len(check.worker_ids)) == (TaskResultStatus.SUCCESSFUL, 1)
    preview = browser.get(f"{two}{preview_path}")
    assert preview.status_code == 200, machines.log("app-2")
    assert f"{ROWS:,}".replace(",", ".") in preview.text or str(ROWS) in preview.text

    # Queue the commit through machine one: the request returns before the import is done.
    queued = browser.post(f"{one}{preview_path}commit/", headers={"HX-Request": "true"})
    assert queued.status_code == 200, machines.log("app-1")
    assert 'role="progressbar"' in queued.text or "progress" in queued.text

    # Kill whichever worker runs the commit, halfway through its rows.
    task = wait_for("a worker to take the commit", lambda: _running(_commit_task()))
    victim = task.worker_ids[-1]
    wait_for("the commit to be halfway", lambda: 0 < _progress(batch.pk).get("done", 0) < ROWS)
    machines.processes[f"worker-{victim[1]}"].send_signal(signal.SIGKILL)
    machines.processes[f"worker-{victim[1]}"].wait(timeout=10)
    assert RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.QUEUED
    # The killed worker's machine starts it again.
    machines.manage(f"worker-{victim[1]}-again", "worker", "--queue-name", "*", "--interval", "0.2")

    # Machine two's page shows the progress until the result replaces it.
    progress_url = f"{two}/registry/employers/{employer.pk}/roster/{batch.pk}/progress/"
    wait_for(
        "the import to finish",
        lambda: RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.COMMITTED,
        timeout=180,
        every=0.5,
    )
    result = browser.get(progress_url, **{"HX-Request": "true"})
    assert result.status_code == 200
    assert "progressbar" not in result.text

    task = _commit_task()
    assert task is not None
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == victim  # killed once, then finished once by another worker
    assert len(task.worker_ids) == 2
    # Each row once, each person once in the audit log, and the chain intact.
    assert Employment.objects.filter(employer=employer).count() == ROWS
    people = AuditEvent.objects.filter(event="registry.roster_imported", action=AuditEvent.Action.CREATE)
    assert people.count() == ROWS
    assert people.values("object_id").distinct().count() == ROWS
    assert AuditEvent.objects.filter(event="registry.roster_uploaded").count() == 1
    committed = RosterImport.objects.get(pk=batch.pk)
    assert committed.created_count == ROWS

    # The schedulers: every job's period enqueued once, its task run once, by one worker.
    ended = timezone.now()
    runs = wait_for("every job to have run", lambda: _all_finished(begun), timeout=120, every=0.5)
    assert {run.job for run in runs} == {job.name for job in JOBS}
    for job in JOBS:
        slots = [run.slot for run in runs if run.job == job.name]
        assert len(slots) == len(set(slots)), job.name
        assert all(job.slot(begun) <= slot <= job.slot(ended) for slot in slots), job.name
    tasks = DBTaskResult.objects.filter(id__in=[run.task_id for run in runs])
    assert tasks.count() == len(runs)
    assert {(t.status, len(t.worker_ids)) for t in tasks} == {(TaskResultStatus.SUCCESSFUL, 1)}
    assert verify_chain().ok


def _running(task: DBTaskResult | None) -> DBTaskResult | None:
    return task if task is not None and task.status == TaskResultStatus.RUNNING and task.worker_ids else None


def _all_finished(since: Any) -> list[JobRun] | None:
    runs = list(JobRun.objects.all())
    if {run.job for run in runs} != {job.name for job in JOBS}:
        return None
    if any(run.status != JobRun.Status.SUCCEEDED for run in runs):
        return None
    return runs
