"""Worker CPU per request of the load test's pages, with the PostgreSQL backend's share (issue 12).

Logs the demo persona in (``force_login``: no HTTP server), requests the page ``N`` times in one
process and prints the SQL statements of one request, the median and p90 of the worker's CPU time
per request (``time.thread_time``: Django's share), and the PostgreSQL backend's CPU per request
(from ``/proc/<pid>/stat``, PostgreSQL on this machine only). Compare two checkouts by running
it in each, alternately, on the same database (docs/benchmarks.md, "Worker CPU per request"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_load DEBUG=0 ALLOW_DERIVED_KEYS=1 \\
    SECRET_KEY=insecure-development-key-only-for-DEBUG ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/page_cpu.py employee case --requests 100

The database holds the demo data (``manage.py seed_demo``, static files collected).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

#: name: (persona, path, or for a detail page the list it takes the first links from and their pattern)
PAGES = {
    "employee": ("carla.cm", "/registry/employees/", r'href="(/registry/employees/\d+/)"'),
    "case": ("carla.cm", "/absence/", r'href="(/absence/cases/\d+/)"'),
    "list": ("carla.cm", "/registry/employees/", None),
    "search": ("carla.cm", "/registry/employees/?q=jan", None),
    "cases": ("carla.cm", "/absence/", None),
    "caseload": ("carla.cm", "/absence/caseload/", None),
    "caseload-doctor": ("bram.arts", "/absence/caseload/", None),
    "hr": ("hanna.hr", "/registry/employees/", None),
    "floor": ("carla.cm", "/absence/calculator/", None),  # no personal data, no audit record
}


def _backend_cpu_seconds() -> float:
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # PostgreSQL on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(name: str, requests: int) -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from arbo.identity.models import User

    who, path, pattern = PAGES[name]
    client = Client()
    client.force_login(User.objects.get(username=who))
    paths = [path]
    if pattern:
        paths = sorted(set(re.findall(pattern, client.get(path).content.decode())))[:3] or [path]
    for warm in paths:
        status = client.get(warm).status_code
        if status != 200:
            sys.exit(f"{name}: {warm} answered {status}")
    with CaptureQueriesContext(connection) as queries:
        client.get(paths[0])
    statements = len(queries)  # now: the next request empties the connection's query log
    before = _backend_cpu_seconds()
    cpu = []
    for n in range(requests):
        started = time.thread_time()
        client.get(paths[n % len(paths)])
        cpu.append((time.thread_time() - started) * 1000)
    backend = (_backend_cpu_seconds() - before) * 1000 / requests
    cpu.sort()
    return (
        f"{name:<16} {statements:>10} {statistics.median(cpu):>10.1f} "
        f"{cpu[int(len(cpu) * 0.9)]:>8.1f} {backend:>8.1f}"
    )


def main() -> None:
    import logging

    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*", metavar="page", help=f"some of {', '.join(PAGES)} (default: all)")
    parser.add_argument("--requests", type=int, default=100)
    options = parser.parse_args()
    unknown = set(options.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page: {', '.join(sorted(unknown))}")
    django.setup()
    logging.disable(logging.INFO)  # the request log's line per request
    print(f"{'page':<16} {'statements':>10} {'cpu ms':>10} {'p90 ms':>8} {'pg ms':>8}")
    for name in options.pages or PAGES:
        print(measure(name, options.requests), flush=True)


if __name__ == "__main__":
    main()
