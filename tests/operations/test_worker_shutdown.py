"""Stopping a worker mid-import (issue 11): the task goes back to the queue, not to "failed", and the
next worker writes each row once.

``db_worker`` on its own marks a task interrupted by a second SIGTERM failed, which left the roster
batch "queued" for ever with its progress bar polling. ``manage.py worker`` now hands the task back
(arbo/operations/stopping.py): at the next checkpoint after the first SIGTERM, at once after a second.
"""

from __future__ import annotations

import io
import signal
from collections.abc import Iterator

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arbo.audit.models import AuditEvent
from arbo.operations import stopping
from arbo.operations.management.commands.worker import HeartbeatWorker
from arbo.registry import roster
from arbo.registry.models import Department, Employment
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
from tests import factories as f
from tests.operations.machines import Machines, roster_csv, wait_for
from tests.registry.test_roster import csv_file, csv_row
from tests.worker import run_tasks


def _worker(worker_id: str = "w-stop") -> HeartbeatWorker:
    return HeartbeatWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def _commit_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="arbo.registry.tasks.commit_roster")


def _queued_batch(employer, by, data: bytes) -> RosterImport:  # type: ignore[no-untyped-def]
    Department.objects.bulk_create(
        [Department(employer=employer, name=f"Afdeling {n:02d}") for n in range(1, 21)]
    )
    batch = roster.store_upload(employer, roster.parse_csv(data), filename="p.csv", by=by)
    return roster.queue_commit(batch, by=by)


@pytest.mark.django_db
def test_a_stop_at_a_checkpoint_puts_the_commit_back_and_the_next_worker_writes_each_row_once(
    employer_a, casemanager_carla
) -> None:
    person = {"achternaam": "Kok", "geboortedatum": "1981-01-01", "in_dienst": "2020-01-01"}
    data = csv_file(*[csv_row(personeelsnummer=f"S{i}", **person) for i in range(5)]).read()
    batch = _queued_batch(employer_a, casemanager_carla, data)
    employments = Employment.objects.count()
    claimed = DBTaskResult.objects.ready().get_locked()
    assert claimed is not None
    claimed.claim("w-stop")

    stopping.request()  # as the first SIGTERM does
    try:
        worker = _worker()
        worker.run_task(claimed)
    finally:
        stopping.clear()

    task = _commit_task()
    assert (task.status, task.worker_ids) == (TaskResultStatus.READY, ["w-stop"])
    assert not worker.running  # it takes no further task
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.QUEUED
    assert Employment.objects.count() == employments

    assert run_tasks() >= 1
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (RosterImport.Status.COMMITTED, 5)
    assert Employment.objects.count() == employments + 5
    people = AuditEvent.objects.filter(event="registry.roster_imported", action=AuditEvent.Action.CREATE)
    assert people.count() == 5
    assert _commit_task().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_an_error_still_fails_the_task() -> None:
    """Only a stop hands a task back; a task that raises an ordinary error fails as before."""
    from tests.operations.flaky_tasks import broken

    broken.enqueue()
    claimed = DBTaskResult.objects.ready().get_locked()
    assert claimed is not None
    claimed.claim("w-stop")
    _worker().run_task(claimed)
    claimed.refresh_from_db()
    assert claimed.status == TaskResultStatus.FAILED


# --- A real worker process, stopped with SIGTERM mid-import and started again -----------------------

ROWS = 6000


@pytest.fixture
def machines(tmp_path) -> Iterator[Machines]:  # type: ignore[no-untyped-def]
    started = Machines(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()
        connection.close()


def _progress(import_id: int) -> dict[str, object]:
    from django.core.cache import caches

    from arbo.registry.tasks import progress_key

    return caches["progress"].get(progress_key(import_id)) or {}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes share a PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signals", [1, 2], ids=["sigterm", "sigterm-twice"])
def test_a_worker_stopped_mid_import_hands_it_back_and_a_restarted_worker_writes_each_row_once(
    machines, signals
) -> None:  # type: ignore[no-untyped-def]
    employer = f.EmployerFactory(name="Stoppen BV")
    uploader = f.UserFactory(username="cm-stop")
    batch = _queued_batch(employer, uploader, roster_csv(ROWS))
    worker = machines.manage(
        "worker-1", "worker", "--queue-name", "*", "--interval", "0.2", "--worker-id", "w1"
    )

    # A loaded CI machine may take a while to start the worker and validate the rows again.
    under_way = lambda: 0 < int(_progress(batch.pk).get("done", 0)) < ROWS  # noqa: E731
    wait_for("the commit to be under way", under_way, timeout=300)  # type: ignore[call-overload]
    for _ in range(signals):
        worker.send_signal(signal.SIGTERM)
    code = worker.wait(timeout=60)
    assert code == 0, machines.log("worker-1")

    task = _commit_task()
    assert (task.status, task.worker_ids) == (TaskResultStatus.READY, ["w1"]), machines.log("worker-1")
    assert RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.QUEUED
    assert Employment.objects.filter(employer=employer).count() == 0
    assert "Traceback" not in machines.log("worker-1")

    machines.manage("worker-2", "worker", "--queue-name", "*", "--interval", "0.2", "--worker-id", "w2")
    wait_for(
        "the import to finish",
        lambda: RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.COMMITTED,
        timeout=180,
        every=0.5,
    )
    task = _commit_task()
    assert (task.status, task.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["w1", "w2"])
    assert Employment.objects.filter(employer=employer).count() == ROWS
    people = AuditEvent.objects.filter(event="registry.roster_imported", action=AuditEvent.Action.CREATE)
    assert people.count() == ROWS
    assert people.values("object_id").distinct().count() == ROWS


# --- The check of an upload (issue 11): stopped or killed half-way, run again, each row once -------


def _check_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="arbo.registry.tasks.check_roster")


def _uploaded(employer, by, data: bytes) -> RosterImport:  # type: ignore[no-untyped-def]
    """As the upload request: the file kept encrypted, the check queued."""
    return roster.receive_upload(employer, io.BytesIO(data), filename="personeel.csv", by=by)


def _stored_numbers(batch: RosterImport) -> list[int]:
    return [number for number, _ in roster.stored_records(batch)]


@pytest.mark.django_db
def test_a_stop_during_the_check_puts_it_back_and_the_next_run_replaces_the_partial_runs(
    employer_a, casemanager_carla, monkeypatch
) -> None:
    monkeypatch.setattr(roster.checking, "ROWS_PER_RUN", 2)
    person = {"achternaam": "Kok", "geboortedatum": "1981-01-01", "in_dienst": "2020-01-01"}
    data = csv_file(*[csv_row(personeelsnummer=f"C{i}", **person) for i in range(5)]).read()
    batch = _uploaded(employer_a, casemanager_carla, data)
    claimed = DBTaskResult.objects.ready().get_locked()
    assert claimed is not None
    claimed.claim("w-stop")

    stopping.request()  # as the first SIGTERM does: the check stops after its first run of rows
    try:
        _worker().run_task(claimed)
    finally:
        stopping.clear()

    task = _check_task()
    assert (task.status, task.worker_ids) == (TaskResultStatus.READY, ["w-stop"])
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.CHECKING
    assert RosterImportRows.objects.filter(batch=batch).count() == 1  # a partial run, left behind
    assert RosterImportFile.objects.filter(batch=batch).exists()

    assert run_tasks() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.row_count) == (RosterImport.Status.PREVIEWED, 5)
    assert sorted(RosterImportRows.objects.filter(batch=batch).values_list("number", flat=True)) == [0, 1, 2]
    assert _stored_numbers(batch) == [2, 3, 4, 5, 6]  # each row once, in file order
    assert not RosterImportFile.objects.filter(batch=batch).exists()  # read: the file is gone
    assert AuditEvent.objects.filter(event="registry.roster_uploaded", object_id=str(batch.pk)).count() == 1
    assert _check_task().status == TaskResultStatus.SUCCESSFUL

    roster.queue_commit(batch, by=casemanager_carla)
    run_tasks()
    assert Employment.objects.filter(employer=employer_a, personnel_number__startswith="C").count() == 5


CHECK_ROWS = 20_000


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes share a PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signal_sent", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_a_worker_killed_mid_check_leaves_each_row_once_after_a_restart_and_the_commit(
    machines, signal_sent
) -> None:  # type: ignore[no-untyped-def]
    from arbo.registry.tasks import check_progress_key

    employer = f.EmployerFactory(name="Controle BV")
    uploader = f.UserFactory(username="cm-check")
    Department.objects.bulk_create(
        [Department(employer=employer, name=f"Afdeling {n:02d}") for n in range(1, 21)]
    )
    batch = _uploaded(employer, uploader, roster_csv(CHECK_ROWS))
    worker = machines.manage(
        "worker-1", "worker", "--queue-name", "*", "--interval", "0.2", "--worker-id", "w1"
    )

    def under_way() -> bool:
        from django.core.cache import caches

        state = caches["progress"].get(check_progress_key(batch.pk)) or {}
        return (
            0 < int(state.get("done", 0)) < int(state.get("total", 1))
            and RosterImportRows.objects.filter(batch=batch).exists()
        )

    wait_for("the check to be under way", under_way, timeout=300, every=0.05)  # type: ignore[call-overload]
    worker.send_signal(signal_sent)
    worker.wait(timeout=60)
    assert RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.CHECKING
    assert RosterImportFile.objects.filter(batch=batch).exists()

    # The killed worker's machine starts one again: it puts the dead worker's task back and runs it.
    machines.manage("worker-2", "worker", "--queue-name", "*", "--interval", "0.2", "--worker-id", "w2")
    wait_for(
        "the check to finish",
        lambda: RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.PREVIEWED,
        timeout=180,
        every=0.5,
    )
    task = _check_task()
    assert (task.status, task.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["w1", "w2"]), machines.log(
        "worker-2"
    )
    batch.refresh_from_db()
    assert batch.row_count == CHECK_ROWS
    numbers = _stored_numbers(batch)
    assert numbers == list(range(2, CHECK_ROWS + 2))
    assert not RosterImportFile.objects.filter(batch=batch).exists()
    assert AuditEvent.objects.filter(event="registry.roster_uploaded").count() == 1

    roster.queue_commit(batch, by=uploader)
    wait_for(
        "the import to finish",
        lambda: RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.COMMITTED,
        timeout=300,
        every=0.5,
    )
    assert Employment.objects.filter(employer=employer).count() == CHECK_ROWS
    people = AuditEvent.objects.filter(event="registry.roster_imported", action=AuditEvent.Action.CREATE)
    assert people.values("object_id").distinct().count() == people.count() == CHECK_ROWS
