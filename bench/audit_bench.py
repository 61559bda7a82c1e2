"""Benchmark: what the audit hash chain costs a page on PostgreSQL, and how fast verify_audit is.

Part 1, pages, in one interleaved run: each round requests the employee detail page and the 25-row
employee list, every URL twice in a row: once with auditing on (the request appends to the chain:
lock, hash, insert) and once with auditing off (``log.record`` and ``log.record_many`` replaced by
no-ops in this process only), in alternating order. Interleaving request by request means that
bursts of load from elsewhere on the machine hit both variants alike. Requests go through Django's
test client: no network or HTTP server, which makes the audit's share of the time larger than it
would be behind gunicorn, not smaller.

Part 2, verify_audit: appends ``--audit-rows`` realistic rows to the chain (hashed in Python,
loaded with COPY), vacuums, then times ``verify_chain()`` with the default parallelism (one
connection per core) and with one connection.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_bench_audit \\
    .venv/bin/python bench/audit_bench.py [--rounds 12] [--requests 40] [--audit-rows 3000000]

The database is dropped and created again on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

EMPLOYEES = 200
SURNAMES = ["Jansen", "de Vries", "Bakker", "Visser"]
COPY_BATCH = 50_000
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


def recreate_database(url: str) -> None:
    """Drop and create the bench database (CREATE DATABASE needs autocommit)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql") or "bench" not in name:
        sys.exit("DATABASE_URL must name a PostgreSQL database with 'bench' in its name (it is dropped).")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def set_up() -> tuple[Any, list[int]]:
    """Migrate; one employer with EMPLOYEES employees; a casemanager on its team, TOTP enrolled."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command

    from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
    from arbo.identity.roles import StaffFunction
    from arbo.registry.models import Employee, Employer, Employment, TeamMembership

    call_command("migrate", verbosity=0, interactive=False)
    employer = Employer.objects.create(name="Bench BV", kvk_number="99999999")
    since = dt.date(2020, 1, 1)
    rng = random.Random(7)
    employees = []
    for n in range(EMPLOYEES):
        employee = Employee.objects.create(
            initials="A.", first_names=f"Anna{n}", surname=rng.choice(SURNAMES),
            birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=n), bsn=_bsn(n),
        )  # fmt: skip
        Employment.objects.create(
            employee=employee, employer=employer, personnel_number=f"B{n:05d}", job_title="Medewerker",
            starts_on=since, hours_per_week=36,
        )  # fmt: skip
        employees.append(employee.pk)
    user = User.objects.create(username="bench-casemanager", first_name="Bench", last_name="Casemanager")
    FunctionAssignment.objects.create(
        user=user, function=StaffFunction.CASEMANAGER, starts_on=since,
        status=FunctionAssignment.Status.APPROVED, request_reason="bench", decided_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    ConfidentialityDeclaration.objects.create(user=user, signed_on=since, version="bench", recorded_by=user)
    TeamMembership.objects.create(user=user, employer=employer, starts_on=since)
    TOTP.activate(user, generate_totp_secret())
    return user, employees


def _bsn(n: int) -> str:
    from stdnum.nl import bsn

    candidate = 100_000_000 + n * 1_000
    while not bsn.is_valid(f"{candidate:09d}"):
        candidate += 1
    return f"{candidate:09d}"


# --- part 1: pages ---------------------------------------------------------------------------------


def bench_pages(user: Any, employees: list[int], rounds: int, requests: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from arbo.audit import log
    from arbo.audit.models import AuditEvent

    client = Client()
    client.force_login(user)
    pages = {
        "detail": lambda i: reverse("registry:employee_detail", args=[employees[i % len(employees)]]),
        "list (25 rows)": lambda i: reverse("registry:employee_list") + f"?page={i % 8 + 1}",
    }
    _check_pages(client, pages, AuditEvent)
    off = [
        mock.patch.object(log, "record", new=_not_recorded),
        mock.patch.object(log, "record_many", new=_none_recorded),
    ]
    seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
    for round_number in range(rounds + 1):  # round 0 warms up and is not counted
        for page, url in pages.items():
            totals = {"on": 0.0, "off": 0.0}
            for i in range(requests):
                # The same URL on and off, in turn, so a burst of load elsewhere hits both alike.
                for variant in ("on", "off") if i % 2 else ("off", "on"):
                    totals[variant] += _timed_request(client, url(i), off if variant == "off" else [])
            for variant, total in totals.items():
                if round_number:
                    seconds[(page, variant)].append(total)
    return _page_results(seconds, requests)


def _not_recorded(*args: Any, **kwargs: Any) -> None:
    """Auditing off: ``log.record`` in this process only."""


def _none_recorded(*args: Any, **kwargs: Any) -> int:
    """Auditing off: ``log.record_many`` in this process only."""
    return 0


def _check_pages(client: Any, pages: dict[str, Any], audit_event: Any) -> None:
    """Both pages answer 200 and write the audit rows they should (1 and 25)."""
    for page, url in pages.items():
        before = audit_event.objects.count()
        response = client.get(url(0))
        written = audit_event.objects.count() - before
        if response.status_code != 200:
            sys.exit(f"{page}: HTTP {response.status_code}")
        print(f"  {page:<16} HTTP 200, {len(response.content):,} bytes, {written} audit rows per request")


def _timed_request(client: Any, url: str, patches: list[Any]) -> float:
    for patch in patches:
        patch.start()
    try:
        started = time.perf_counter()
        client.get(url)
        return time.perf_counter() - started
    finally:
        for patch in patches:
            patch.stop()


def _page_results(seconds: dict[tuple[str, str], list[float]], requests: int) -> dict[str, Any]:
    results = {}
    for page in sorted({page for page, _ in seconds}):
        on, off = seconds[(page, "on")], seconds[(page, "off")]
        rate_on, rate_off = requests * len(on) / sum(on), requests * len(off) / sum(off)
        per_round = sorted(off_s / on_s for on_s, off_s in zip(on, off, strict=True))
        results[page] = {
            "on": rate_on,
            "off": rate_off,
            "ratio": rate_on / rate_off,
            "ratio_median": statistics.median(per_round),
            "ratio_range": (per_round[0], per_round[-1]),
            "ms_added": (sum(on) - sum(off)) / (requests * len(on)) * 1000,
        }
        spread = f"median {results[page]['ratio_median']:.3f}, {per_round[0]:.3f}..{per_round[-1]:.3f}"
        print(
            f"  {page:<16} audited {rate_on:6.1f} req/s  off {rate_off:6.1f} req/s"
            f"  ratio {rate_on / rate_off:.3f} (per round: {spread});"
            f" +{results[page]['ms_added']:.1f} ms per request"
        )
    return results


# --- part 2: verify_audit ---------------------------------------------------------------------------


def append_rows(count: int, actor_id: int, employees: list[int]) -> None:
    """Append ``count`` valid rows to the chain: hashed here, loaded with COPY, in one transaction."""
    from django.db import connection, transaction

    from arbo.audit import chain

    columns = ", ".join(chain.FIELDS) + ", hash"
    rng = random.Random(11)
    with transaction.atomic():
        state = chain.locked_state()
        seq, previous = state.last_seq, bytes(state.last_hash)
        occurred = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
        heads = []
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY audit_auditevent ({columns}) FROM STDIN") as copy,
        ):
            for _ in range(count):
                seq += 1
                occurred += dt.timedelta(microseconds=rng.randrange(1, 20_000_000))
                values = _row(rng, seq, occurred, actor_id, employees, previous)
                previous = chain.keyed_hash(chain.canonical_values(values))
                copy.write_row([*values[:-2], json.dumps(values[-2]), values[-1], previous])
                if seq % chain.HEAD_INTERVAL == 0:
                    heads.append((seq, previous))
        _finish_append(seq, previous, heads)


def _row(
    rng: random.Random, seq: int, occurred: dt.datetime, actor: int, employees: list[int], prev: bytes
) -> list[Any]:
    """One row's values in chain.FIELDS order: mostly reads of an employee, some updates and logins."""
    kind = rng.random()
    subject = rng.choice(employees)
    ip = f"10.0.{rng.randrange(4)}.{rng.randrange(1, 250)}"
    if kind < 0.1:
        action, event, target, category, data = "login", "identity.login", None, "", {}
    elif kind < 0.3:
        action, event, target, category, data = (
            "update",
            "registry.employee_updated",
            subject,
            "D",
            {"fields": rng.sample(["street", "postcode", "city", "phone", "email"], 2)},
        )
    else:
        action, event, target, category, data = "read", "registry.employee_viewed", subject, "AD", {}
    return [
        seq, occurred, actor, "Bench Casemanager", "casemanager", "", action, event,
        "employee" if target else "", target, "registry.employee" if target else "",
        str(target) if target else "", category, ip, USER_AGENT, "authorisation", "allowed", data, prev,
    ]  # fmt: skip


def _finish_append(seq: int, last_hash: bytes, heads: list[tuple[int, bytes]]) -> None:
    from django.utils import timezone

    from arbo.audit import chain
    from arbo.audit.models import AuditChainHead, AuditChainState

    AuditChainState.objects.filter(pk=chain.STATE_PK).update(last_seq=seq, last_hash=last_hash)
    now = timezone.now()
    AuditChainHead.objects.bulk_create([AuditChainHead(seq=s, hash=h, recorded_at=now) for s, h in heads])


def bench_verify(runs: int) -> dict[str, Any]:
    from django.db import connection

    from arbo.audit.verify import verify_chain

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) audit_auditevent")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('audit_auditevent'))")
        size = cursor.fetchone()[0]
    print(f"  audit_auditevent: {size} with indexes")
    results: dict[str, Any] = {"size": size}
    for label, jobs in (("parallel", None), ("one connection", 1)):
        rates = []
        for _ in range(runs if jobs is None else 1):
            report = verify_chain(jobs=jobs)
            if not report.ok:
                sys.exit(f"verify failed: {report.first_problem}")
            rates.append(report.rate)
            timing = f"{report.rows:,} rows in {report.seconds:.2f} s = {report.rate:,.0f} rows/s"
            print(f"  verify_chain ({label}): {timing}")
        results[label] = {"rows": report.rows, "best": max(rates), "median": statistics.median(rates)}
    return results


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rounds", type=int, default=12)
    arguments.add_argument("--requests", type=int, default=40, help="requests per page, variant and round")
    arguments.add_argument("--audit-rows", type=int, default=3_000_000)
    arguments.add_argument("--verify-runs", type=int, default=3)
    options = arguments.parse_args()
    recreate_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    # Served from the source folders, as in the tests: no collectstatic for a benchmark.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]).enable()

    user, employees = set_up()
    load = os.getloadavg()
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, load average {load[0]:.2f}\n")
    print(f"Pages ({options.rounds} interleaved rounds of {options.requests} requests per page and variant):")
    bench_pages(user, employees, options.rounds, options.requests)
    print(f"\nverify_audit over {options.audit_rows:,} appended rows:")
    started = time.perf_counter()
    append_rows(options.audit_rows, user.pk, employees)
    seconds = time.perf_counter() - started
    print(f"  appended {options.audit_rows:,} rows in {seconds:.1f} s (hashing in Python + COPY)")
    bench_verify(options.verify_runs)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
