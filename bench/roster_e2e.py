"""Benchmark: a 100,000-row roster import end to end on PostgreSQL, through HTTP and a worker.

gunicorn serves the pages and ``manage.py worker`` runs the commit, as in production (separate
processes, one database). Times each request as the browser sees it (upload, preview, queueing
the commit), then the commit in the worker until the batch is committed, polling the progress
every second as the page does. With ``--kill`` the worker running the commit is killed with
SIGKILL at about half its progress and a new worker started; the counts show each row once.

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
    from arbo.registry.models_roster import RosterImport
    from arbo.registry.tasks import progress_key
    from tests import factories
    from tests.operations.machines import Browser, Machines, wait_for

    employer, user = set_up()
    factories.enrol_totp(user)
    data = roster_csv(options.rows)
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, {options.rows} rows, ", end="")
    print(f"{len(data) / 1e6:.1f} MB CSV; load average {os.getloadavg()[0]:.1f}\n", flush=True)
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
            "upload request (parse, store encrypted)",
            lambda: browser.post(roster_url, files={"file": ("personeel.csv", data, "text/csv")}),
        )
        assert upload.status_code == 302, upload.status_code
        preview_path = upload.headers["Location"]
        batch = RosterImport.objects.get()
        preview = timed(
            "preview request (load, validate, render)", lambda: browser.get(f"{app}{preview_path}")
        )
        assert preview.status_code == 200, preview.status_code
        queued = timed(
            "commit request (queue the task, answer the progress bar)",
            lambda: browser.post(f"{app}{preview_path}commit/", headers={"HX-Request": "true"}),
        )
        assert queued.status_code == 200, queued.status_code
        started = time.perf_counter()
        progress_url = f"{app}/registry/employers/{employer.pk}/roster/{batch.pk}/progress/"
        polls, killed = 0, False
        while RosterImport.objects.get(pk=batch.pk).status == RosterImport.Status.QUEUED:
            time.sleep(1)
            polls += 1
            assert browser.get(progress_url, **{"HX-Request": "true"}).status_code == 200
            state = caches["progress"].get(progress_key(batch.pk)) or {}
            if options.kill and not killed and state.get("done", 0) * 2 >= max(state.get("total", 1), 1):
                machines.processes["worker"].send_signal(signal.SIGKILL)
                machines.processes["worker"].wait()
                killed = True
                print(f"  worker killed at {state['done']} of {state['total']} units after ", end="")
                print(f"{time.perf_counter() - started:.1f} s; a new worker starts", flush=True)
                machines.manage("worker-again", "worker", "--queue-name", "*", "--interval", "0.5")
        print(
            f"  {'commit in the worker, queued until committed':<58} {time.perf_counter() - started:7.2f} s"
        )
        print(f"    -> {polls} progress polls", flush=True)
        wait_for(
            "the batch", lambda: RosterImport.objects.get(pk=batch.pk).status != RosterImport.Status.QUEUED
        )
        batch.refresh_from_db()
        task = DBTaskResult.objects.get(task_path="arbo.registry.tasks.commit_roster")
        people = AuditEvent.objects.filter(event="registry.roster_imported", action="create")
        print(
            f"  batch {batch.status}, {batch.created_count} created; task {task.status} by {task.worker_ids}"
        )
        print(f"  employments {Employment.objects.filter(employer=employer).count()}, ", end="")
        print(
            f"person audit records {people.count()} ({people.values('object_id').distinct().count()} distinct)"
        )
    finally:
        machines.stop_all()


if __name__ == "__main__":
    main()
