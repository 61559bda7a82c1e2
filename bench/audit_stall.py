"""Benchmark: other users' audited pages while a 100,000-row roster import commits (issue 12).

gunicorn serves the pages and ``manage.py worker`` runs the commit, as in production. A second
user (a casemanager of another employer) reads employee pages on a gunicorn of their own, paced
every ``--every`` seconds: first for ``--quiet`` seconds with nothing else running, then during the
import's commit (from queueing it until its audit records are chained, i.e. none pending), then
again for ``--quiet`` seconds. Every page read writes an audit record, so it needs the audit
chain's lock. Prints p50/p95/p99/max without and during the import, and their ratio.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i12_bench \\
    .venv/bin/python bench/audit_stall.py [--rows 100000] [--quiet 30] [--every 0.1]

The database is DROPPED and created anew on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.roster_import import fresh_database, roster_csv, set_up  # noqa: E402


def percentiles(samples: list[float]) -> str:
    if len(samples) < 2:
        return f"{len(samples)} samples"
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return (
        f"n={len(samples):4d}  p50 {cuts[49] * 1000:7.1f}  p95 {cuts[94] * 1000:7.1f}  "
        f"p99 {cuts[98] * 1000:7.1f}  max {max(samples) * 1000:7.1f} ms"
    )


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rows", type=int, default=100_000)
    arguments.add_argument("--quiet", type=float, default=30.0, help="seconds of reading before and after")
    arguments.add_argument("--every", type=float, default=0.1, help="seconds between a reader's requests")
    options = arguments.parse_args()
    fresh_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from arbo.audit.models import AuditEvent
    from arbo.identity.models import User
    from arbo.identity.roles import StaffFunction
    from arbo.registry.models import Employment
    from arbo.registry.models_roster import RosterImport
    from tests import factories
    from tests.operations.machines import Browser, Machines, wait_for

    employer, importer = set_up()
    factories.enrol_totp(importer)
    other = factories.EmployerFactory(name="Andere BV")
    # No BSN: the factories draw valid BSNs from the same range as the roster file.
    people = [factories.EmploymentFactory(employer=other, employee__bsn="").employee for _ in range(20)]
    reader = factories.UserFactory(username="bench-reader", kind=User.Kind.STAFF)
    factories.give_function(reader, StaffFunction.CASEMANAGER)
    factories.join_team(reader, other)
    factories.enrol_totp(reader)
    data = roster_csv(options.rows)
    print(f"{options.rows} rows, {len(data) / 1e6:.1f} MB CSV; {os.cpu_count()} cores; ", end="")
    print(f"load average {os.getloadavg()[0]:.1f} at the start", flush=True)

    machines = Machines(Path(tempfile.mkdtemp(prefix="audit-stall-")))
    phase = ["quiet"]
    samples: dict[str, list[float]] = {"quiet": [], "import": []}
    errors: list[str] = []
    stop = threading.Event()
    try:
        app = machines.app_server("app")
        reading = machines.app_server("reading")
        machines.manage("worker", "worker", "--queue-name", "*", "--interval", "0.5", "--worker-id", "w1")
        machines.wait_until_answering(app, reading)
        browser, reader_browser = Browser(importer), Browser(reader)
        for person in people:  # warm up the reader's server
            reader_browser.get(f"{reading}/registry/employees/{person.pk}/")

        def read() -> None:
            n = 0
            while not stop.is_set():
                person = people[n % len(people)]
                n += 1
                started = time.perf_counter()
                response = reader_browser.get(f"{reading}/registry/employees/{person.pk}/")
                spent = time.perf_counter() - started
                if response.status_code != 200:
                    errors.append(str(response.status_code))
                samples[phase[0]].append(spent)
                time.sleep(max(0.0, options.every - spent))

        roster_url = f"{app}/registry/employers/{employer.pk}/roster/"
        upload = browser.post(roster_url, files={"file": ("personeel.csv", data, "text/csv")})
        assert upload.status_code == 302, upload.status_code
        preview_path = upload.headers["Location"]
        batch = RosterImport.objects.get()
        assert browser.get(f"{app}{preview_path}").status_code == 200

        thread = threading.Thread(target=read)
        thread.start()
        time.sleep(options.quiet)
        audited_before = AuditEvent.objects.count()
        phase[0] = "import"
        started = time.perf_counter()
        queued = browser.post(f"{app}{preview_path}commit/", headers={"HX-Request": "true"})
        assert queued.status_code == 200, queued.status_code
        wait_for(
            "the commit",
            lambda: RosterImport.objects.get(pk=batch.pk).status != RosterImport.Status.QUEUED,
            timeout=1800,
            every=0.5,
        )
        committed = time.perf_counter() - started
        wait_for(
            "the chaining",
            lambda: (
                not AuditEvent.objects.filter(seq__isnull=True).exists()
                if AuditEvent._meta.get_field("seq").null
                else True
            ),
            timeout=600,
            every=0.2,
        )
        chained = time.perf_counter() - started
        phase[0] = "quiet"
        time.sleep(options.quiet)
        stop.set()
        thread.join()

        batch.refresh_from_db()
        print(f"import: {batch.status}, {batch.created_count} created, ", end="")
        print(f"{Employment.objects.filter(employer=employer).count()} employments; ", end="")
        print(f"committed after {committed:.1f} s, every audit record chained after {chained:.1f} s")
        print(f"audit records written meanwhile: {AuditEvent.objects.count() - audited_before:,}")
        print(f"load average {os.getloadavg()[0]:.1f} at the end; reader errors: {errors or 'none'}")
        print(f"other user's employee page, without the import: {percentiles(samples['quiet'])}")
        print(f"other user's employee page, during the import:  {percentiles(samples['import'])}")
        print(f"p99 during / without: {p99(samples['import']) / p99(samples['quiet']):.2f}x")
    finally:
        stop.set()
        machines.stop_all()


if __name__ == "__main__":
    main()
