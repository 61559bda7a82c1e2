"""Benchmark: the daily poortwachter signal job (``raise_signals``) on PostgreSQL.

Sets up ``--cases`` open absence cases (a large arbodienst: 100,000 employees at 4 % absence is
about 4,000 open cases), each made through ``absence.reports.domain.report_sick`` with first sick days
spread over the last two years, so their milestones are at every stage. Then times:

1. the first run of the day (every due-soon and overdue milestone gets its signal, its audit
   record and, per recipient, one e-mail to the locmem outbox);
2. a second run the same day (must create nothing: the idempotence the cron relies on).

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_bench_signals \\
    .venv/bin/python bench/signals_bench.py [--cases 4000]

The database is dropped and created again on every run: its name must contain "bench".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.audit_bench import recreate_database  # noqa: E402


def set_up(cases: int, today: dt.date) -> None:
    from django.core.management import call_command

    from arbo.absence.reports import domain as report_domain
    from arbo.identity.models import User
    from arbo.registry.models import Employee, Employer, EmployerMembership, Employment

    call_command("migrate", verbosity=0, interactive=False)
    employer = Employer.objects.create(name="Bench BV", kvk_number="99999998")
    hr = User.objects.create(username="hr", kind=User.Kind.EMPLOYER, email="hr@bench.example")
    EmployerMembership.objects.create(user=hr, employer=employer)
    rng = random.Random(11)
    started = time.perf_counter()
    for n in range(cases):
        employee = Employee.objects.create(
            initials="B.", first_names=f"Bart{n}", surname="Bench", birth_date=dt.date(1980, 1, 1)
        )
        Employment.objects.create(
            employee=employee, employer=employer, personnel_number=f"B{n:06d}", starts_on=dt.date(2015, 1, 1)
        )
        first = today - dt.timedelta(days=rng.randint(0, 700))
        report_domain.report_sick(employee, by=hr, via="api", first_sick_day=first)
    print(f"set-up: {cases} cases reported through the domain in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=4000)
    args = parser.parse_args()
    recreate_database(os.environ["DATABASE_URL"])
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    import django

    django.setup()
    from django.core import mail
    from django.utils import timezone

    from arbo.absence.milestones.reminders import raise_signals
    from arbo.absence.models import Milestone, Signal

    mail.outbox = []
    today = timezone.localdate()
    set_up(args.cases, today)
    milestones = Milestone.objects.count()

    started = time.perf_counter()
    first = raise_signals(today)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = raise_signals(today)
    second_seconds = time.perf_counter() - started

    assert second.created == [], "the second run of the day must create nothing"
    assert Signal.objects.count() == len(first.created)
    print(f"{args.cases} open cases, {milestones} milestones")
    print(
        f"first run:  {len(first.created)} signals (each with its audit record), {first.mails} e-mails "
        f"in {first_seconds:.1f} s ({len(first.created) / first_seconds:,.0f} signals/s)"
    )
    print(f"second run: {len(second.created)} signals in {second_seconds:.1f} s")


if __name__ == "__main__":
    main()
