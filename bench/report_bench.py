"""Benchmark: the absence report of the largest employer on a generated national-scale book (PostgreSQL).

1. ``generate_book`` makes the book (COPY through arbo.lib.pgcopy) and is timed;
2. the largest employer's report for last calendar year with its department breakdown is timed
   three ways, each the best of ``--repeat`` runs, in the same process and database:
   a. the app computing it (``Analysis``: three queries, then the figures in Python),
   b. hand-written SQL computing the same figures in PostgreSQL from the base tables,
   c. the dashboard's read of the rollups ``refresh_report_cells`` wrote (``CachedAnalysis``), and
      hand-written SQL reading the same rollup rows;
3. the rollup job for that employer is timed, and the SQL figures are checked against the app's.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbodossier_bench_report \\
    .venv/bin/python bench/report_bench.py --employees 1000000 [--largest 200000] [--keep]

The database is dropped and created again unless ``--keep`` (then the book is reused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.audit_bench import recreate_database  # noqa: E402

HAND_SQL = """
WITH emp AS (
  SELECT e.employee_id AS person, e.department_id AS dep, e.starts_on, e.ends_on,
         GREATEST(e.starts_on, %(s)s::date) AS lo, LEAST(COALESCE(e.ends_on, %(t)s::date), %(t)s::date) AS hi,
         LEAST(COALESCE(e.hours_per_week, w.full_time_hours) / w.full_time_hours, 1.0)::float AS ptf
  FROM registry_employment e JOIN registry_employer w ON w.id = e.employer_id
  WHERE e.employer_id = %(e)s AND e.starts_on <= %(t)s AND (e.ends_on IS NULL OR e.ends_on >= %(s)s)
),
sp AS (
  SELECT p.id, p.case_id, c.employee_id AS person, p.first_sick_day AS f, p.last_sick_day AS l
  FROM absence_sickperiod p JOIN absence_absencecase c ON c.id = p.case_id
  WHERE c.employer_id = %(e)s AND p.withdrawn_at IS NULL AND p.safety_net_kind <> 'pregnancy'
    AND p.first_sick_day <= %(t)s AND (p.last_sick_day IS NULL OR p.last_sick_day >= %(s)s)
),
pts AS (
  SELECT sp.id, sp.person, sp.f AS d, 1.0::float AS factor, sp.l FROM sp
  UNION ALL
  SELECT sp.id, sp.person, r.recovered_on, 1 - r.percentage / 100.0, sp.l
  FROM sp JOIN absence_recoveryreport r ON r.case_id = sp.case_id
  WHERE r.kind = 'partial' AND r.withdrawn_at IS NULL AND r.recovered_on > sp.f
    AND r.recovered_on <= COALESCE(sp.l, %(t)s::date)
),
seg AS (
  SELECT person, d AS a,
         COALESCE(LEAD(d) OVER (PARTITION BY id ORDER BY d) - 1, LEAST(COALESCE(l, %(t)s::date), %(t)s::date)) AS b,
         factor
  FROM pts
),
owned AS (  -- each spell with the department of the employment holding its first day
  SELECT sp.*, emp.dep FROM sp JOIN emp ON emp.person = sp.person
   AND sp.f BETWEEN emp.starts_on AND COALESCE(emp.ends_on, 'infinity'::date)
),
available AS (
  SELECT dep, SUM((hi - lo + 1) * ptf) AS available, SUM(hi - lo + 1) AS employment_days,
         COUNT(DISTINCT person) AS employees
  FROM emp GROUP BY dep
),
sick AS (
  SELECT emp.dep, SUM((LEAST(seg.b, emp.hi) - GREATEST(seg.a, emp.lo) + 1) * seg.factor * emp.ptf) AS sick
  FROM emp JOIN seg ON seg.person = emp.person AND seg.a <= emp.hi AND seg.b >= emp.lo
  GROUP BY emp.dep
),
counts AS (
  SELECT dep,
         COUNT(*) FILTER (WHERE f BETWEEN %(s)s AND %(t)s) AS reports,
         COUNT(*) FILTER (WHERE l BETWEEN %(s)s AND %(t)s) AS ended,
         SUM(l - f + 1) FILTER (WHERE l BETWEEN %(s)s AND %(t)s) AS ended_days,
         COUNT(*) FILTER (WHERE LEAST(COALESCE(l, %(t)s::date), %(t)s::date) - f + 1 <= 14) AS c1,
         COUNT(*) FILTER (WHERE LEAST(COALESCE(l, %(t)s::date), %(t)s::date) - f + 1 BETWEEN 15 AND 91) AS c2,
         COUNT(*) FILTER (WHERE LEAST(COALESCE(l, %(t)s::date), %(t)s::date) - f + 1 BETWEEN 92 AND 365) AS c3,
         COUNT(*) FILTER (WHERE LEAST(COALESCE(l, %(t)s::date), %(t)s::date) - f + 1 BETWEEN 366 AND 730) AS c4,
         COUNT(*) FILTER (WHERE LEAST(COALESCE(l, %(t)s::date), %(t)s::date) - f + 1 > 730) AS c5
  FROM owned GROUP BY dep
),
sick_people AS (SELECT DISTINCT person FROM sp),
zero AS (
  SELECT emp.dep, COUNT(DISTINCT emp.person) AS throughout,
         COUNT(DISTINCT emp.person) FILTER (WHERE sick_people.person IS NULL) AS zero
  FROM emp LEFT JOIN sick_people ON sick_people.person = emp.person
  WHERE emp.starts_on <= %(s)s AND COALESCE(emp.ends_on, 'infinity'::date) >= %(t)s GROUP BY emp.dep
)
SELECT a.dep, a.employees, 100 * COALESCE(s.sick, 0) / a.available AS pct,
       COALESCE(c.reports, 0) / (a.employment_days::float / (%(t)s::date - %(s)s::date + 1)) * 365
         / (%(t)s::date - %(s)s::date + 1) AS freq,
       c.ended_days::float / NULLIF(c.ended, 0) AS duration,
       100.0 * z.zero / NULLIF(z.throughout, 0) AS nulverzuim, c.c1, c.c2, c.c3, c.c4, c.c5
FROM available a LEFT JOIN sick s USING (dep) LEFT JOIN counts c USING (dep) LEFT JOIN zero z USING (dep)
ORDER BY a.dep
"""
# The employer total is the same query without the department: run with every dep folded to one.
HAND_SQL_TOTAL = HAND_SQL.replace("e.department_id AS dep", "0 AS dep")

ROLLUP_SQL = """
SELECT group_key, employees, verzuimpercentage, meldingsfrequentie, gemiddelde_verzuimduur, nulverzuim,
       duration_classes
FROM reporting_reportcell WHERE employer_id = %(e)s AND computed_on = %(today)s AND start = %(s)s AND until = %(t)s
"""


def best(repeat: int, run):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--largest", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse the book in the database")
    args = parser.parse_args()
    if not args.keep:
        recreate_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from arbo.absence.models import SickPeriod
    from arbo.registry.models import Employer
    from arbo.reporting.cache import CachedAnalysis, refresh_employer
    from arbo.reporting.report import Analysis

    today = timezone.localdate()
    if not args.keep:
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        call_command(
            "generate_book", employees=args.employees, largest=args.largest, years=args.years, force=True
        )
        print(f"generate_book: {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    periods = SickPeriod.objects.count()
    employer = (
        Employer.objects.order_by("-pk").filter(name="Synthetisch 1 BV").first() or Employer.objects.first()
    )
    size = employer.employments.count()
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    print(
        f"book: {periods:,} sick periods; largest employer {size:,} employees, "
        f"{employer.departments.count()} departments; report {start} – {end}"
    )

    def app() -> object:
        analysis = Analysis(employer, start, end)
        return analysis.report(start, end)

    def hand() -> object:
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, {"e": employer.pk, "s": start, "t": end})
            rows = cursor.fetchall()
            cursor.execute(HAND_SQL_TOTAL, {"e": employer.pk, "s": start, "t": end})
            return rows, cursor.fetchall()

    app_time, report = best(args.repeat, app)
    hand_time, (rows, total) = best(args.repeat, hand)
    print(f"app computing (Analysis, Python):          {app_time * 1000:9.1f} ms")
    print(f"hand-written SQL from the base tables:     {hand_time * 1000:9.1f} ms")
    shown = report.total.figures
    print(
        f"  check: total verzuimpercentage app {shown.verzuimpercentage:.4f} SQL {total[0][2]:.4f}; "
        f"meldingsfrequentie app {shown.meldingsfrequentie:.4f} SQL {total[0][3]:.4f}"
    )

    started = time.perf_counter()
    cells = refresh_employer(employer, today)
    print(f"refresh_report_cells for this employer: {cells} cells in {time.perf_counter() - started:.1f} s")
    # The rollups hold last calendar year in full, beside the dashboard's other periods.

    def cached() -> object:
        return CachedAnalysis(employer, today, None, start, end).report(start, end)

    def rollup_sql() -> object:
        with connection.cursor() as cursor:
            cursor.execute(ROLLUP_SQL, {"e": employer.pk, "today": today, "s": start, "t": end})
            return cursor.fetchall()

    cached_time, _ = best(args.repeat * 3, cached)
    rollup_time, rows = best(args.repeat * 3, rollup_sql)
    print(f"dashboard from the rollups (CachedAnalysis): {cached_time * 1000:7.1f} ms ({len(rows)} rows)")
    print(f"hand-written SQL reading the same rollups:   {rollup_time * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
