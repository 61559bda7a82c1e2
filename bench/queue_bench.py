"""Benchmark: the job queue's overhead per task (django-tasks-db on PostgreSQL).

Enqueues N tasks that do almost nothing (``queue_probe``), then lets one ``manage.py worker
--batch`` process run them all, and reports per task: the enqueue (one INSERT), the worker's
wall time per task (claim with SELECT … FOR UPDATE SKIP LOCKED, run, mark finished, the
task_finished receiver), and the median and 95th percentile of each task's own run
(``finished_at - started_at``).

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_queue_bench \\
    .venv/bin/python bench/queue_bench.py [--tasks 2000]

The database is DROPPED and created anew on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.roster_import import fresh_database  # noqa: E402


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--tasks", type=int, default=2000)
    count = arguments.parse_args().tasks
    fresh_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from arbo.operations.tasks import queue_probe

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    for _ in range(count):
        queue_probe.enqueue()
    enqueue = (time.perf_counter() - started) / count
    connection.close()

    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed command
        [
            sys.executable,
            "manage.py",
            "worker",
            "--batch",
            "--no-reload",
            "--interval",
            "0",
            "--no-startup-delay",
            "-v",
            "0",
        ],
        cwd=ROOT,
        check=True,
    )
    wall = time.perf_counter() - started
    runs = [
        (finished - begun).total_seconds()
        for begun, finished in DBTaskResult.objects.filter(status="SUCCESSFUL").values_list(
            "started_at", "finished_at"
        )
    ]
    assert len(runs) == count, f"{len(runs)} of {count} tasks succeeded"
    quantiles = statistics.quantiles(runs, n=20)
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, {count} tasks")
    print(f"  enqueue                         {enqueue * 1000:7.2f} ms per task")
    print(f"  worker wall time (incl. start)  {wall * 1000 / count:7.2f} ms per task ({wall:.1f} s)")
    print(f"  task run, median                {statistics.median(runs) * 1000:7.2f} ms")
    print(f"  task run, 95th percentile       {quantiles[18] * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
