"""Benchmark: the nightly purge of 1,000,000 due records on PostgreSQL, beside live page reads.

Seeds N exposure records (carcinogenic, ended in 1970: all due) over 2,000 employees who are still
employed (so the people stay), then runs ``purge.purge_kind`` in the main thread while reader
threads do what a page read does: in one transaction, read one employee's exposure list and write
the audit record of that read (the audit chain's lock is the one lock a page read can wait on; a
row lock of the purge never blocks a plain SELECT). Reports the purge's wall time and rate, and per
read the latency and the time from its audit record through its commit (where any wait for the
chain would fall; since the chain is taken with ``SKIP LOCKED``, a busy chain makes the record
pending instead, counted per phase and sequenced at the end).

The control: the purge runs in ``--rounds`` bounded rounds (``purge_kind(limit=…)``), and after each
round the same readers run alone for as long as that round took. Samples are tagged by the phase in
which they started, so the purge's figures and the control's come from the same minutes of the
same machine; what the control shows too (a long lock wait with no purge running) is the machine,
not the purge. The load average is printed before and after.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i14_purge_bench \\
    .venv/bin/python bench/purge_bench.py [--records 1000000] [--readers 2] [--batch 5000]

The database is DROPPED and created anew on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RETENTION_REGISTER_PATH", str(Path(tempfile.mkdtemp()) / "register.jsonl"))

from bench.roster_import import fresh_database  # noqa: E402

EMPLOYEES = 2000


def seed(records: int) -> list[int]:
    from django.db import connection

    from arbo.identity.models import User
    from arbo.lib import pgcopy
    from arbo.registry.models import Employee, Employer, Employment

    staff = User.objects.create(username="bench-staff", kind=User.Kind.STAFF)
    employer = Employer.objects.create(name="Bench BV")
    people = [Employee(surname=f"Persoon{i}", birth_date=dt.date(1950, 1, 1)) for i in range(EMPLOYEES)]
    pgcopy.insert(Employee, people)
    pgcopy.insert(
        Employment,
        [
            Employment(
                employee=p, employer=employer, personnel_number=str(p.pk), starts_on=dt.date(1965, 1, 1)
            )
            for p in people
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO prevention_exposurerecord
              (employee_id, kind, persistent_or_latent, agent_encrypted, source_encrypted, details_encrypted,
               exposure_start, exposure_end, recorded_by_id, created_at)
            SELECT ids[1 + (n %% %s)], 'kankerverwekkend', false, 'x', 'x', 'x',
                   DATE '1965-01-01', DATE '1970-01-01', %s, now()
            FROM generate_series(1, %s) AS n, (SELECT array_agg(id ORDER BY id) AS ids FROM registry_employee) e
            """,
            [EMPLOYEES, staff.pk, records],
        )
        cursor.execute("ANALYZE")
    return [p.pk for p in people]


#: The phase a sample belongs to: "before", "purge" or "control" (the readers read it per sample).
PHASE = {"name": "before"}
#: Per phase, the page reads whose audit record went in pending because the chain was busy.
PENDING: dict[str, int] = {}
#: Per phase, the page reads that waited 100 ms or more for a lock (``lock_timeout`` refused them).
LOCK_TIMEOUTS: dict[str, int] = {}


def reader(
    people: list[int], stop: threading.Event, reads: list[tuple[str, float]], appends: list[tuple[str, float]]
) -> None:
    from django.db import OperationalError, connection

    from arbo.identity.models import User

    user = User.objects.get(username="bench-staff")
    rng = random.Random(threading.get_ident())
    with connection.cursor() as cursor:
        # A lock wait of 100 ms or more fails the read, and is counted: PostgreSQL checks the bar.
        cursor.execute("SET lock_timeout = '100ms'")
    while not stop.is_set():
        phase = PHASE["name"]
        started = time.perf_counter()
        try:
            read_one(user, rng.choice(people), phase, appends)
        except OperationalError:
            LOCK_TIMEOUTS[phase] = LOCK_TIMEOUTS.get(phase, 0) + 1
            continue
        reads.append((phase, time.perf_counter() - started))
        time.sleep(0.005)
    connection.close()


def read_one(user: Any, employee_id: int, phase: str, appends: list[tuple[str, float]]) -> None:
    """What a page read does: read one employee's exposure list and audit it, in one transaction."""
    from django.db import transaction

    from arbo.audit import log
    from arbo.prevention.models import ExposureRecord
    from arbo.registry.models import Employee

    with transaction.atomic():
        employee = Employee.objects.get(pk=employee_id)
        list(ExposureRecord.objects.filter(employee=employee).order_by("-exposure_start")[:25])
        before = time.perf_counter()
        # The audit chain's lock is the one lock a page read could wait on: from its audit record
        # through its commit. Timed together, as the page pays them.
        entry = log.record(user, log.Action.READ, "bench.exposures_viewed", subject=employee)
    appends.append((phase, time.perf_counter() - before))
    if entry.seq is None:
        PENDING[phase] = PENDING.get(phase, 0) + 1  # the chain was busy: pending, not waiting


def summary(name: str, samples: list[tuple[str, float]], phase: str) -> str:
    ms = sorted(v * 1000 for p, v in samples if p == phase)
    if not ms:
        return f"{name}: none"
    p99 = ms[int(len(ms) * 0.99) - 1] if len(ms) >= 100 else ms[-1]
    return f"{name}: n={len(ms)} median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--records", type=int, default=1_000_000)
    arguments.add_argument("--readers", type=int, default=2)
    arguments.add_argument("--batch", type=int, default=5000)
    arguments.add_argument(
        "--rounds", type=int, default=5, help="purge rounds, each followed by a control window as long"
    )
    options = arguments.parse_args()
    fresh_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from arbo.audit import chain
    from arbo.prevention.models import ExposureRecord
    from arbo.retention import purge
    from arbo.retention.models import PurgeLog, RetentionRule
    from arbo.retention.terms import Term

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    people = seed(options.records)
    print(
        f"seeded {options.records:,} exposure records over {EMPLOYEES:,} employees in {time.perf_counter() - started:.1f} s"
    )
    connection.close()
    print("load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()), f"({os.cpu_count()} cores)")

    stop = threading.Event()
    reads: list[tuple[str, float]] = []
    appends: list[tuple[str, float]] = []
    threads = [
        threading.Thread(target=reader, args=(people, stop, reads, appends)) for _ in range(options.readers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)  # the readers' warm-up
    term = Term.of(RetentionRule.objects.get(kind="exposure_carcinogenic"))
    per_round = -(-options.records // options.rounds)
    destroyed, elapsed, control = 0, 0.0, 0.0
    for _ in range(options.rounds):
        PHASE["name"] = "purge"
        started = time.perf_counter()
        destroyed += purge.purge_kind(
            "exposure_carcinogenic", term, timezone.localdate(), batch=options.batch, limit=per_round
        )
        took = time.perf_counter() - started
        elapsed += took
        PHASE["name"] = "control"  # the same readers alone, as long as the round took
        started = time.perf_counter()
        time.sleep(took)
        control += time.perf_counter() - started
    PHASE["name"] = "after"
    stop.set()
    for thread in threads:
        thread.join()

    assert destroyed == options.records, destroyed
    assert not ExposureRecord.objects.exists()
    logged = sum(PurgeLog.objects.values_list("records", flat=True))
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(
        f"purged {destroyed:,} records in {elapsed:.1f} s ({destroyed / elapsed:,.0f}/s), batch {options.batch},"
        f" {options.rounds} rounds; purge log counts {logged:,}; control windows {control:.1f} s"
    )
    print(summary("page reads during the purge", reads, "purge"))
    print(summary("  of which the audit record and the commit", appends, "purge"))
    print(f"  audit records pending because the chain was busy: {PENDING.get('purge', 0):,}")
    print(f"  reads that waited 100 ms or more for a lock (lock_timeout): {LOCK_TIMEOUTS.get('purge', 0):,}")
    print(summary("page reads in the control windows (no purge)", reads, "control"))
    print(summary("  of which the audit record and the commit", appends, "control"))
    print(f"  audit records pending because the chain was busy: {PENDING.get('control', 0):,}")
    print(
        f"  reads that waited 100 ms or more for a lock (lock_timeout): {LOCK_TIMEOUTS.get('control', 0):,}"
    )
    started = time.perf_counter()
    chained = chain.sequence_pending()
    print(
        f"sequenced {chained:,} pending audit records after the run in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
