"""Run as a separate process: fire concurrent requests at an embedded SQLite database file.

    python -m tests.operations.sqlite_burst DBFILE [--migrate] [--threads N] [--requests N]

Each thread is a logged-in user with its own connection, as the threads of a web server are; every
request writes (the session is saved on every request, list views write audit records). Prints a
JSON summary: the status codes seen and any error text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections import Counter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"sqlite:///{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from arbo.identity.roles import StaffFunction
    from tests import factories as f

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if args.migrate:
        call_command("migrate", verbosity=0)
    employer = f.EmployerFactory()
    f.ContractFactory(employer=employer)
    f.EmploymentFactory.create_batch(5, employer=employer)
    users = []
    for n in range(args.threads):
        user = f.UserFactory(username=f"burst{n}", kind="staff")
        f.give_function(user, StaffFunction.CASEMANAGER)
        f.join_team(user, employer)
        f.enrol_totp(user)
        users.append(user)
    connection.close()

    statuses: Counter[int] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(args.threads)

    def browse(user: object) -> None:
        from django.db import connection as own

        client = Client(raise_request_exception=False)
        client.force_login(user)
        start.wait()
        for n in range(args.requests):
            url = "/registry/employees/" if n % 2 else f"/registry/employers/{employer.pk}/"
            try:
                response = client.get(url)
                status = response.status_code
                text = "" if status < 500 else response.content.decode(errors="replace")[:300]
            except Exception as exc:  # what a server would answer with a 500
                status, text = 500, f"{type(exc).__name__}: {exc}"
            with lock:
                statuses[status] += 1
                if text:
                    errors.append(text)
        own.close()

    threads = [threading.Thread(target=browse, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump({"statuses": dict(statuses), "errors": errors[:5]}, sys.stdout)


if __name__ == "__main__":
    main()
