"""``manage.py generate_book --employees 1000000``: a national-scale synthetic book (arbo.reporting.book).

About one sick period per employee per year of history: ten million sick periods is
``--employees 5000000 --years 2``. Refuses with DEBUG off unless ``--force`` on a database whose
name says it is for benchmarks or tests, because it adds a lot of rows.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from arbo.reporting.book import Progress, generate


class Command(BaseCommand):
    help = "Generate a synthetic book of employers, employees and absence at national scale."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--largest", type=int, default=200_000, help="employees of the largest employer")
        parser.add_argument("--years", type=int, default=2, help="years of absence history")
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument("--batch", type=int, default=20_000)
        parser.add_argument("--no-audit", action="store_true", help="write no audit records")
        parser.add_argument("--force", action="store_true", help="run with DEBUG off (benchmark databases)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(connection.settings_dict.get("NAME") or "")
        if not settings.DEBUG and not (options["force"] and ("bench" in name or "test" in name)):
            raise CommandError(
                "generate_book fills the database with synthetic rows: run it with DEBUG on, or with "
                "--force on a database whose name holds 'bench' or 'test'."
            )
        if options["employees"] < 1:
            raise CommandError("--employees must be at least 1.")
        started = time.perf_counter()
        counts = generate(
            employees=options["employees"],
            largest=options["largest"],
            years=options["years"],
            seed=options["seed"],
            today=timezone.localdate(),
            batch=options["batch"],
            audit=not options["no_audit"],
            progress=Progress(options["employees"], out=lambda text: self.stderr.write(text, ending="")),
        )
        self.stderr.write("")
        self.stdout.write(
            f"{counts.employers:,} employers, {counts.employees:,} employees, {counts.sick_periods:,} sick "
            f"periods, {counts.recoveries:,} recoveries, {counts.milestones:,} milestones, {counts.audit:,} "
            f"audit records in {time.perf_counter() - started:.1f} s"
        )
