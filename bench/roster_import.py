"""Benchmark: a 100,000-row roster import on PostgreSQL, timed step by step.

Runs the same steps as the web flow: parse the CSV, keep it (encrypted) as a RosterImport, validate
for the preview, then commit (which validates again and writes everything in one transaction).
(The web flow streams the file into the store; here it is parsed first, to time the two apart. The
memory of each step is measured by bench/roster_memory.py.)
Then two re-imports: the same file (every row unchanged) and a file where every row changed.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_bench \\
    .venv/bin/python bench/roster_import.py [--rows 100000]

The database is DROPPED and created anew on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HEADER = (
    "personeelsnummer;bsn;voorletters;voornamen;tussenvoegsel;achternaam;geslacht;geboortedatum;straat;"
    "huisnummer;postcode;plaats;telefoon;mobiel;email;afdeling;functie;in_dienst;uit_dienst;uren_per_week;contract"
)
FIRST_NAMES = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ivo", "Julia", "Kees"]
SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
CITIES = ["Utrecht", "Amersfoort", "Zwolle", "Arnhem", "Nijmegen", "Ede", "Apeldoorn", "Deventer"]
DEPARTMENTS = [f"Afdeling {n:02d}" for n in range(1, 21)]
CONTRACTS = ["vast", "tijdelijk", "oproep", "uitzend", "stage"]


def fresh_database(url: str) -> None:
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


def valid_bsns() -> Iterator[str]:
    """Every valid BSN from 100000009 upwards: the 11-test with weights 9..2 and -1."""
    for prefix in range(10_000_000, 100_000_000):
        digits = [int(c) for c in f"{prefix:08d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            yield f"{prefix:08d}{check}"


def roster_csv(rows: int, *, variant: str = "") -> bytes:
    """A roster with every column filled in realistically; the same seed gives the same people."""
    rng = random.Random(42)
    bsns = valid_bsns()
    lines = [HEADER] + [";".join(_person(rng, i, next(bsns), variant)) for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _person(rng: random.Random, i: int, bsn: str, variant: str) -> list[str]:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(16_000))
    start = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(8_000))
    first = rng.choice(FIRST_NAMES)
    letters = "ABCDEFGHJKLMN"
    postcode = f"{rng.randrange(1000, 10000)} {rng.choice(letters)}{rng.choice(letters)}"
    name = [f"{first[0]}.", first, "", rng.choice(SURNAMES), rng.choice("vmx"), birth.strftime("%d-%m-%Y")]
    address = ["Dorpsstraat", str(rng.randrange(1, 300)), postcode, rng.choice(CITIES)]
    contact = ["030-1234567", "06-12345678", f"medewerker{i}@example.nl"]
    job = [rng.choice(DEPARTMENTS), f"Medewerker{variant}", start.isoformat(), ""]
    terms = [str(rng.choice([16, 24, 32, 36, 40])), rng.choice(CONTRACTS)]
    return [f"B{i:06d}", bsn, *name, *address, *contact, *job, *terms]


def timed(label: str, timings: list[tuple[str, float]], action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    timings.append((label, elapsed))
    print(f"  {label:<52} {elapsed:7.2f} s", flush=True)
    return result


def set_up() -> tuple[Any, Any]:
    """Migrate, then an employer with 20 departments and a casemanager on its team (the actor).

    The staff helpers of the test suite keep the actor valid as the identity rules evolve."""
    from django.core.management import call_command

    from arbo.identity.models import User
    from arbo.identity.roles import StaffFunction
    from arbo.registry.models import Department, Employer
    from tests import factories

    call_command("migrate", verbosity=0, interactive=False)
    employer = Employer.objects.create(name="Bench BV", kvk_number="99999999")
    Department.objects.bulk_create([Department(employer=employer, name=name) for name in DEPARTMENTS])
    user = factories.UserFactory(username="bench-casemanager", kind=User.Kind.STAFF)
    factories.give_function(user, StaffFunction.CASEMANAGER)
    factories.join_team(user, employer)
    return employer, user


def time_audit_log() -> list[float]:
    """Count the seconds spent in the audit log (``spent[0]``), to show the import's own share."""
    from arbo.audit import log

    spent = [0.0]
    for name in ("record", "record_many"):
        original = getattr(log, name)

        def timed_call(*args: Any, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        setattr(log, name, timed_call)
    return spent


def run_import(
    employer: Any, user: Any, data: bytes, title: str, audit: list[float]
) -> list[tuple[str, float]]:
    """One import through the web flow's domain calls; returns the timings."""
    from arbo.registry import roster

    print(f"{title}:", flush=True)
    timings: list[tuple[str, float]] = []
    calls: list[int] = []

    def store() -> Any:
        return roster.store_upload(employer, parsed, filename="bench.csv", by=user)

    def preview() -> Any:
        return roster.validate_import(batch)  # the stored rows, a run at a time

    def commit() -> Any:
        return roster.commit_import(batch, by=user, progress=lambda done, total: calls.append(done))

    parsed = timed("parse CSV", timings, lambda: roster.parse_csv(data))
    batch = timed("store upload (JSON + AES-GCM, runs of 2,000 rows)", timings, store)
    v = timed("preview: load + validate", timings, preview)
    print(f"    -> create {v.to_create}, update {v.to_update}, unchanged {v.unchanged}, ", end="")
    print(f"problems {v.problem_rows}")
    audit[0] = 0.0
    timed("commit: load + validate + write (one transaction)", timings, commit)
    print(f"    -> of which writing the audit log: {audit[0]:.2f} s")
    print(f"    -> {len(calls)} progress reports; batch {batch.status}, ", end="")
    print(f"{batch.created_count} created, {batch.updated_count} updated")
    total = sum(seconds for label, seconds in timings if not label.startswith("store"))
    print(f"  {'parse + validate + commit':<52} {total:7.2f} s\n", flush=True)
    return timings


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rows", type=int, default=100_000)
    rows = arguments.parse_args().rows
    fresh_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.db import connection

    from arbo.audit.models import AuditEvent
    from arbo.registry.models import Employee, Employment

    employer, user = set_up()
    audit = time_audit_log()
    print(f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, {rows} rows\n")
    first, changed = roster_csv(rows), roster_csv(rows, variant=" B")
    run_import(employer, user, first, "First import (every row new)", audit)
    counts = (Employee.objects.count(), Employment.objects.count(), AuditEvent.objects.count())
    print(f"  employees {counts[0]}, employments {counts[1]}, audit records {counts[2]}\n")
    run_import(employer, user, first, "Same file again (every row unchanged)", audit)
    run_import(employer, user, changed, "Changed file (every row's job title changed)", audit)


if __name__ == "__main__":
    main()
