"""Benchmark: do the list, search, caseload and detail pages cost the same in a small and a big book?

Two PostgreSQL databases hold a generated book each (``manage.py generate_book``, arbo.reporting.book):
a small one (1,000 employees, the largest employer 500) and a big one (200,000 employees, the largest
employer 100,000). In each, the bench adds the same users: a casemanager on the team of the largest
employer (assigned to its first 40 open cases), an HR user and an API client of that employer, and
three employees with a surname no generated person has (for the search).

One worker process per database (Django's test client, ``force_login``: no HTTP server) answers
page requests from this driver; the driver interleaves them request by request (small, big, big,
small, ...), so a burst of load from elsewhere on the shared machine hits both books alike. Per
page it prints the median wall time, the median CPU time of the worker process (Django's share:
PostgreSQL runs in its own processes), the number of SQL statements, and the ratio big / small.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_bench_scale \\
    .venv/bin/python bench/scale_bench.py [--generate] [--rounds 15] [--big 200000]

The databases are ``<name>_small`` and ``<name>_big``; ``--generate`` drops, creates, migrates and
fills them (the name must contain "bench"); without it they are reused (after ``migrate``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SEARCH_SURNAME = "Benchbakker"
SINCE = dt.date(2020, 1, 1)


def _users() -> dict[str, Any]:
    """The bench's users and objects in this database (created once, then found again)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from arbo.absence.models import AbsenceCase, Milestone
    from arbo.access.models_care import CareRelationship
    from arbo.api import domain as api_domain
    from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
    from arbo.identity.roles import StaffFunction
    from arbo.registry.models import Employee, Employer, EmployerMembership, Employment, TeamMembership

    employer = Employer.objects.filter(name__startswith="Synthetisch").order_by("pk").first()
    if employer is None:
        sys.exit("no generated book in this database: run with --generate")
    cm, created = User.objects.get_or_create(
        username="bench-cm", defaults={"first_name": "Bench", "last_name": "Casemanager", "kind": "staff"}
    )
    if created:
        FunctionAssignment.objects.create(
            user=cm, function=StaffFunction.CASEMANAGER, starts_on=SINCE,
            status=FunctionAssignment.Status.APPROVED, request_reason="bench", decided_at=dt.datetime.now(dt.UTC),
        )  # fmt: skip
        ConfidentialityDeclaration.objects.create(user=cm, signed_on=SINCE, version="bench", recorded_by=cm)
        TeamMembership.objects.create(user=cm, employer=employer, starts_on=SINCE)
        TOTP.activate(cm, generate_totp_secret())
        for case in AbsenceCase.objects.filter(employer=employer, status="open").order_by("pk")[:40]:
            case.casemanager = cm
            case.save(update_fields=["casemanager"])
            CareRelationship.objects.create(
                employee_id=case.employee_id, user=cm, kind=CareRelationship.Kind.CASE_HANDLER
            )
        for n in range(3):
            person = Employee.objects.create(
                initials="B.",
                first_names=f"Bench{n}",
                surname=SEARCH_SURNAME,
                birth_date=dt.date(1980, 1, 1 + n),
            )
            Employment.objects.create(
                employee=person, employer=employer, personnel_number=f"BENCH{n}", starts_on=SINCE,
                hours_per_week=36,
            )  # fmt: skip
    # The casemanager's own work, the same in both books: the plan and evaluations of their 40 cases
    # are still to do, so the caseload has rows to page through.
    Milestone.objects.filter(case__casemanager=cm, owner=Milestone.Owner.CASEMANAGER).update(done_on=None)
    hr, created = User.objects.get_or_create(
        username="bench-hr", defaults={"first_name": "Bench", "last_name": "HR", "kind": "employer"}
    )
    if created:
        EmployerMembership.objects.create(user=hr, employer=employer)
        TOTP.activate(hr, generate_totp_secret())
    from django.db import connection

    tokens = ROOT / "var" / f"bench-token-{connection.settings_dict['NAME']}-{hr.pk}.txt"
    if not tokens.exists():
        _token, plaintext = api_domain.create_api_client(employer, name="bench", by=hr)
        tokens.parent.mkdir(exist_ok=True)
        tokens.write_text(plaintext)
    assert Authenticator.objects.filter(user=cm).exists()
    case = AbsenceCase.objects.filter(casemanager=cm).order_by("pk").first()
    return {
        "cm": cm,
        "hr": hr,
        "token": tokens.read_text().strip(),
        "employer": employer,
        "case": case,
        "employee": case.employee_id if case else None,
        "visible": Employment.objects.filter(employer=employer).count(),
    }


def pages(objects: dict[str, Any]) -> dict[str, tuple[str, str]]:
    from django.urls import reverse

    employees = reverse("registry:employee_list")
    middle = max(1, objects["visible"] // 25 // 2)
    return {
        "employee list, page 1": ("cm", employees),
        "employee list, middle page": ("cm", f"{employees}?page={middle}"),
        "employee list, one employer": ("cm", f"{employees}?employer={objects['employer'].pk}"),
        "search by surname": ("cm", f"{employees}?q={SEARCH_SURNAME}"),
        "search by personnel number": ("cm", f"{employees}?q=BENCH1"),
        "HR employee list": ("hr", employees),
        "case list": ("cm", reverse("absence:case_list")),
        "caseload": ("cm", reverse("absence:caseload")),
        "employee page": ("cm", reverse("registry:employee_detail", args=[objects["employee"]])),
        "case page": ("cm", reverse("absence:case_detail", args=[objects["case"].pk])),
        "API absence list (100)": ("api", reverse("api:absence_list") + "?limit=100"),
        "API employee list (100)": ("api", reverse("api:employee_list") + "?limit=100"),
    }


def worker() -> None:
    """Answer page names on stdin with a JSON line of timings (one database, one process)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    storages = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES={**settings.STORAGES, **storages}, ALLOWED_HOSTS=["testserver"]).enable()

    objects = _users()
    clients = {"cm": Client(), "hr": Client(), "api": Client(HTTP_AUTHORIZATION=f"Bearer {objects['token']}")}
    clients["cm"].force_login(objects["cm"])
    clients["hr"].force_login(objects["hr"])
    urls = pages(objects)
    print(json.dumps({"ready": list(urls), "visible": objects["visible"]}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        who, url = urls[name]
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            response = clients[who].get(url)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            json.dumps(
                {"ms": wall * 1000, "cpu": cpu * 1000, "q": len(queries), "status": response.status_code}
            ),
            flush=True,
        )


def _database(url: str, suffix: str) -> str:
    return f"{url.rstrip('/')}_{suffix}"


def generate(url: str, employees: int, largest: int) -> None:
    from bench.audit_bench import recreate_database

    recreate_database(url)
    environment = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [
            *manage,
            "generate_book",
            "--employees",
            str(employees),
            "--largest",
            str(largest),
            "--no-audit",
            "--force",
        ],
        env=environment,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument("--only", default="", help="pages whose name contains this")
    options = parser.parse_args()
    if options.worker:
        worker()
        return
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url:
        sys.exit("DATABASE_URL must name a PostgreSQL database with 'bench' in its name.")
    books = {"small": options.small, "big": options.big}
    if options.generate:
        for size, employees in books.items():
            generate(_database(url, size), employees, employees // 2)
    workers = {}
    for size in books:
        environment = {**os.environ, "DATABASE_URL": _database(url, size)}
        migrate = [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"]
        subprocess.run(migrate, env=environment, check=True)  # noqa: S603
        workers[size] = subprocess.Popen(  # noqa: S603
            [sys.executable, __file__, "--worker"], env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
    names = []
    for size, process in workers.items():
        ready = json.loads(process.stdout.readline())  # type: ignore[union-attr]
        names = [n for n in ready["ready"] if options.only in n]
        print(f"{size}: {ready['visible']:,} employees at the casemanager's employer")
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    for round_number in range(options.rounds + 1):  # round 0 warms up
        for index, name in enumerate(names):
            order = list(workers) if (round_number + index) % 2 else list(reversed(workers))
            for size in order:
                process = workers[size]
                process.stdin.write(name + "\n")  # type: ignore[union-attr]
                process.stdin.flush()  # type: ignore[union-attr]
                answer = json.loads(process.stdout.readline())  # type: ignore[union-attr]
                if answer["status"] != 200:
                    sys.exit(f"{name} ({size}): HTTP {answer['status']}")
                if round_number:
                    results.setdefault((name, size), []).append(answer)
    for process in workers.values():
        process.stdin.close()  # type: ignore[union-attr]
        process.wait()
    print(
        f"\n{'page':<30} {'small ms':>9} {'big ms':>9} {'ratio':>6} {'cpu small':>9} {'cpu big':>8} {'queries':>9}"
    )
    for name in names:
        small, big = results[(name, "small")], results[(name, "big")]
        ms = [statistics.median(r["ms"] for r in rows) for rows in (small, big)]
        cpu = [statistics.median(r["cpu"] for r in rows) for rows in (small, big)]
        queries = f"{small[0]['q']}/{big[0]['q']}"
        print(
            f"{name:<30} {ms[0]:9.1f} {ms[1]:9.1f} {ms[1] / ms[0]:6.2f} {cpu[0]:9.1f} {cpu[1]:8.1f} {queries:>9}"
        )
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
