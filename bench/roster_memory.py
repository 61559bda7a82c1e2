"""Benchmark: the peak memory (RSS) of each process of a 100,000-row roster import, on PostgreSQL.

Each step runs in a fresh Python process, as in production, and reports its own peak resident
set size (``VmHWM`` of /proc/self/status: Linux's ``ru_maxrss`` would carry the parent's peak over
``exec``) and, for comparison, the RSS of the same process after Django started and before the step:

- **upload**: the web request's work: read the CSV from a file on disk (as Django hands a large
  upload over, a temporary file) and store it (encrypted) as a ``RosterImport``; since issue 11
  the request keeps the file as it came and parses nothing (``roster.receive_upload``), before it
  parsed the rows and stored them;
- **check** (since issue 11, the worker's ``roster.run_queued_check``: read the stored file into
  runs of rows and check every row against the database), or before it **preview**: the preview
  request's check of every row;
- **commit**: the worker's task, ``roster.run_queued_commit`` (validate again, write, audit).

Then the same three steps again with the same file (every row now known: the re-import).

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i12_bench \\
    nice -n 10 .venv/bin/python bench/roster_memory.py [--rows 100000]

The database is DROPPED and created anew on every run: its name must contain "bench". The script
runs against the code next to it, old or new (it uses ``roster.stream_file`` where it exists, and
the parse-everything calls before it), so the same file measures "before" in an older checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _rss_kib(field: str = "VmRSS") -> int:
    """The current (``VmRSS``) or peak (``VmHWM``) resident set size of this process, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def child(step: str, arguments: dict[str, Any]) -> None:
    """One step in this process; prints one JSON line with its time and memory."""
    import django

    django.setup()
    from django.core.files import File

    from arbo.identity.models import User
    from arbo.registry import roster
    from arbo.registry.models import Employer
    from arbo.registry.models_roster import RosterImport

    employer = Employer.objects.get(pk=arguments["employer"])
    actor = User.objects.get(pk=arguments["user"])
    started_rss = _rss_kib()
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if step == "upload" and hasattr(roster, "receive_upload"):
        with open(arguments["file"], "rb") as raw:
            upload = File(raw, name="personeel.csv")
            roster.check_file(upload, "personeel.csv")
            batch = roster.receive_upload(employer, upload, filename="personeel.csv", by=actor)
        result = {"batch": batch.pk}
    elif step == "check":
        result = roster.run_queued_check(arguments["batch"], client={}, language="nl")
    elif step == "upload":
        with open(arguments["file"], "rb") as raw:
            upload = File(raw, name="personeel.csv")
            if hasattr(roster, "stream_file"):
                parsed = roster.stream_file(upload, "personeel.csv")
            else:
                parsed = roster.parse_file(upload, "personeel.csv")
            batch = roster.store_upload(employer, parsed, filename="personeel.csv", by=actor)
        result = {"batch": batch.pk, "rows": batch.row_count}
    elif step == "preview":
        batch = RosterImport.objects.get(pk=arguments["batch"])
        if hasattr(roster, "validate_import"):
            validation = roster.validate_import(batch)
        else:
            validation = roster.validate(employer, roster.load_payload(batch.payload))
        result = {
            "create": validation.to_create,
            "unchanged": validation.unchanged,
            "problems": validation.problem_rows,
        }
    elif step == "commit":
        RosterImport.objects.filter(pk=arguments["batch"]).update(status=RosterImport.Status.QUEUED)
        result = roster.run_queued_commit(arguments["batch"], client={})
    seconds = time.perf_counter() - started
    peak = _rss_kib("VmHWM")
    print(
        json.dumps({"step": step, "seconds": seconds, "before_kib": started_rss, "peak_kib": peak, **result})
    )


def _roster() -> Any:
    from arbo.registry import roster  # noqa: PLC0415 — after django.setup()

    return roster


def run_step(step: str, arguments: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", step, "--arguments", json.dumps(arguments)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 — this script, again
    line = [line for line in done.stdout.splitlines() if line.startswith("{")][-1]
    report = json.loads(line)
    print(
        f"  {step:<8} {report['seconds']:7.1f} s   peak RSS {report['peak_kib'] / 1024:7.0f} MiB"
        f"   (after start-up {report['before_kib'] / 1024:4.0f} MiB)   "
        + ", ".join(
            f"{k} {v}" for k, v in report.items() if k not in ("step", "seconds", "before_kib", "peak_kib")
        ),
        flush=True,
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child")
    parser.add_argument("--arguments")
    options = parser.parse_args()
    if options.child:
        child(options.child, json.loads(options.arguments))
        return

    from roster_import import fresh_database, roster_csv, set_up  # the same file and employer

    fresh_database(os.environ.get("DATABASE_URL", ""))
    import django

    django.setup()
    employer, actor = set_up()
    data = roster_csv(options.rows)
    load = os.getloadavg()
    print(
        f"{options.rows} rows, {len(data) / 1e6:.1f} MB CSV; {os.cpu_count()} cores; load {load[0]:.1f}",
        flush=True,
    )
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(data)
        file.flush()
        del data
        for title in ("every row new", "the same file again (every row known)"):
            print(f"{title}:", flush=True)
            arguments = {"employer": employer.pk, "user": actor.pk, "file": file.name}
            uploaded = run_step("upload", arguments)
            arguments["batch"] = uploaded["batch"]
            run_step("check" if hasattr(_roster(), "receive_upload") else "preview", arguments)
            run_step("commit", arguments)
    print("load average at the end (as uptime): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
