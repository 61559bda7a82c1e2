"""Benchmark: a 100,000-row roster import end to end on PostgreSQL, through HTTP and a worker.

gunicorn serves the pages and ``manage.py worker`` runs the check and the commit, as in production
(separate processes, one database). Times each request as the browser sees it (the upload, which
only keeps the file and queues the check; the preview; queueing the commit), the check in the
worker until the preview is ready and the commit in the worker until the batch is committed,
polling the progress every second as the page does. With ``--kill`` the worker running the check
and then the one running the commit are killed with SIGKILL at about half their progress and a new
worker started each time; the counts show each row once.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_bench \\
    .venv/bin/python bench/roster_e2e.py [--rows 100000] [--kill]

The database is DROPPED and created anew on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.roster_import import fresh_database, roster_csv, set_up  # noqa: E402


def _load() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rows", type=int, default=100_000)
    arguments.add_argument("--kill", action="store_true", help="kill the worker halfway, start another")
    options = arguments.parse_args()
    fresh_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from arbo.audit.models import AuditEvent
    from arbo.registry.models import Employment
    from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
    from arbo.registry.tasks import check_progress_key, progress_key
    from tests import factories
    from tests.operations.machines import Browser, Machines, wait_for

    employer, user = set_up()
    factories.enrol_totp(user)
    data = roster_csv(options.rows)
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, {options.rows} rows, ", end="")
    print(f"{len(data) / 1e6:.1f} MB CSV; load average (as uptime) {_load()}\n", flush=True)
    machines = Machines(Path(tempfile.mkdtemp(prefix="roster-e2e-")))
    try:
        app = machines.app_server("app")
        machines.manage("worker", "worker", "--queue-name", "*", "--interval", "0.5", "--worker-id", "w1")
        machines.wait_until_answering(app)
        browser = Browser(user)

        def timed(label: str, action):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            result = action()
            print(f"  {label:<58} {time.perf_counter() - started:7.2f} s", flush=True)
            return result

        roster_url = f"{app}/registry/employers/{employer.pk}/roster/"
        upload = timed(
            "upload request (keep the file encrypted, queue the check)",
            lambda: browser.post(roster_url, files={"file": ("personeel.csv", data, "text/csv")}),
        )
        assert upload.status_code == 302, upload.status_code
        preview_path = upload.headers["Location"]
        batch = RosterImport.objects.get()
        progress_url = f"{app}/registry/employers/{employer.pk}/roster/{batch.pk}/progress/"
        workers = iter(range(2, 10))

        def in_the_worker(label: str, status: str, key: str) -> None:
            started = time.perf_counter()
            polls, killed = 0, False
            while RosterImport.objects.get(pk=batch.pk).status == status:
                time.sleep(1)
                polls += 1
                assert browser.get(progress_url, **{"HX-Request": "true"}).status_code == 200
                state = caches["progress"].get(key) or {}
                if options.kill and not killed and state.get("done", 0) * 2 >= max(state.get("total", 1), 1):
                    running = DBTaskResult.objects.filter(status="RUNNING").values_list(
                        "worker_ids", flat=True
                    )
                    victim = next(iter(running), [None])[-1]
                    name = {"w1": "worker", **{f"w{n}": f"worker-{n}" for n in range(2, 10)}}.get(
                        victim or ""
                    )
                    if name is None:
                        continue
                    machines.processes[name].send_signal(signal.SIGKILL)
                    machines.processes[name].wait()
                    killed = True
                    print(f"  {victim} killed at {state['done']} of {state['total']} units after ", end="")
                    print(f"{time.perf_counter() - started:.1f} s; a new worker starts", flush=True)
                    n = next(workers)
                    machines.manage(f"worker-{n}", "worker", "--queue-name", "*", "--interval", "0.5",
                                    "--worker-id", f"w{n}")  # fmt: skip
            print(f"  {label:<58} {time.perf_counter() - started:7.2f} s")
            print(f"    -> {polls} progress polls", flush=True)

        in_the_worker(
            "check in the worker (read, store, validate), until previewed",
            RosterImport.Status.CHECKING,
            check_progress_key(batch.pk),
        )
        batch.refresh_from_db()
        print(f"  batch {batch.status}, {batch.row_count} rows; ", end="")
        print(f"runs {RosterImportRows.objects.filter(batch=batch).count()}, ", end="")
        print(f"file chunks left {RosterImportFile.objects.filter(batch=batch).count()}", flush=True)
        preview = timed(
            "preview request (the stored preview, render)", lambda: browser.get(f"{app}{preview_path}")
        )
        assert preview.status_code == 200, preview.status_code
        queued = timed(
            "commit request (queue the task, answer the progress bar)",
            lambda: browser.post(f"{app}{preview_path}commit/", headers={"HX-Request": "true"}),
        )
        assert queued.status_code == 200, queued.status_code
        in_the_worker(
            "commit in the worker, queued until committed", RosterImport.Status.QUEUED, progress_key(batch.pk)
        )
        wait_for(
            "the batch", lambda: RosterImport.objects.get(pk=batch.pk).status != RosterImport.Status.QUEUED
        )
        batch.refresh_from_db()
        check = DBTaskResult.objects.get(task_path="arbo.registry.tasks.check_roster")
        print(f"  check task {check.status} by {check.worker_ids}")
        task = DBTaskResult.objects.get(task_path="arbo.registry.tasks.commit_roster")
        people = AuditEvent.objects.filter(event="registry.roster_imported", action="create")
        print(
            f"  batch {batch.status}, {batch.created_count} created; task {task.status} by {task.worker_ids}"
        )
        print(f"  employments {Employment.objects.filter(employer=employer).count()}, ", end="")
        print(
            f"person audit records {people.count()} ({people.values('object_id').distinct().count()} distinct)"
        )
        print(f"  load average at the end (as uptime): {_load()}")
    finally:
        machines.stop_all()


if __name__ == "__main__":
    main()
