"""Benchmark: the largest employer's absence report on a generated national-scale book (PostgreSQL).

Generate the book once (``generate_book`` makes the rows in PostgreSQL, see arbo/reporting/book_sql.py)
and keep it; every run of this bench then reuses it (``--keep``):

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i17_bench \\
    nice -n 19 .venv/bin/python manage.py generate_book --employees 5850000 --largest 200000 --years 2 --force
    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i17_bench \\
    nice -n 10 .venv/bin/python bench/report_bench.py --keep [--rounds 40] [--live] [--refresh-all]

Without ``--keep`` the database is dropped, migrated and generated with ``--employees``/``--largest``.

What it measures, for the largest employer and last calendar year with the department breakdown:

1. ``refresh_employer`` (the nightly rollup job for that employer; PostgreSQL computes the figures of
   every group and period in one statement, :mod:`arbo.reporting.rollup_sql`), once;
2. interleaved, ``--rounds`` times each, alternating which goes first:
   a. **the app**: ``CachedAnalysis(...).report(start, end)`` — what the dashboard, the API and the
      exports call: the period's rollup rows with department names, suppression as stored, into
      ``Report``/``Row``/``Figures`` objects ordered by department name;
   b. **the best hand-written SQL for the same answer**: one statement over the same rollup table
      returning the same rows, labels and figures, ordered by name in SQL, fetched as tuples.
   Both are checked to give the same numbers;
3. with ``--live``: the same figures computed from the base tables, once each: the app's SQL path
   (``rollup_sql.figures_by_group`` for that one period), and the bench's own ``HAND_SQL``;
4. with ``--refresh-sample n``: the nightly job over n other employers, spread over the sizes, and
   that rate scaled to the rest of the book; with ``--refresh-all``: over every employer of the book.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
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

READ_SQL = """
SELECT c.group_key, d.name, c.reason, c.employees, c.verzuimpercentage, c.meldingsfrequentie,
       c.gemiddelde_verzuimduur, c.nulverzuim,
       (c.duration_classes ->> '1-14')::int, (c.duration_classes ->> '15-91')::int,
       (c.duration_classes ->> '92-365')::int, (c.duration_classes ->> '366-730')::int,
       (c.duration_classes ->> '731+')::int
FROM reporting_reportcell c
LEFT JOIN registry_department d ON d.employer_id = c.employer_id AND c.group_key = CAST(d.id AS text)
WHERE c.employer_id = %(e)s AND c.computed_on = %(today)s AND c.start = %(s)s AND c.until = %(t)s
ORDER BY c.group_key = 'total' DESC, c.group_key = 'none', d.name
"""


def timed(run):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--largest", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse the book in the database")
    parser.add_argument("--live", action="store_true", help="also compute the figures from the base tables")
    parser.add_argument("--no-refresh", action="store_true", help="read today's rollups as they are")
    parser.add_argument("--refresh-sample", type=int, default=0, help="time the job on n other employers")
    parser.add_argument("--refresh-all", action="store_true", help="also time the nightly job over the book")
    args = parser.parse_args()
    if not args.keep:
        recreate_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from arbo.registry.models import Employer
    from arbo.reporting import rollup_sql
    from arbo.reporting.cache import CachedAnalysis, refresh_employer, refresh_report_cells

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
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM absence_sickperiod")
        (periods,) = cursor.fetchone()
    employer = Employer.objects.filter(name="Synthetisch 1 BV").order_by("pk").first()
    size = employer.employments.count()
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    print(
        f"book: {periods:,} sick periods; largest employer {size:,} employments, "
        f"{employer.departments.count()} departments; report {start} – {end}; load {load()}"
    )

    if not args.no_refresh:
        took, cells = timed(lambda: refresh_employer(employer, today))
        print(f"refresh_employer (SQL path), largest employer: {cells:,} rows in {took:.1f} s; load {load()}")

    def app():  # type: ignore[no-untyped-def]
        return CachedAnalysis(employer, today, None, start, end).report(start, end)

    def shown(report) -> list[tuple]:  # type: ignore[no-untyped-def]
        rows = []
        for row in [report.total, *report.rows]:
            f = row.figures
            values = (
                (
                    f.employees,
                    f.verzuimpercentage,
                    f.meldingsfrequentie,
                    f.gemiddelde_verzuimduur,
                    f.nulverzuim,
                    *f.duration_classes.values(),
                )
                if f
                else (None,) * 10
            )
            rows.append((row.label, row.reason, *values))
        return rows

    def hand() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(READ_SQL, {"e": employer.pk, "today": today, "s": start, "t": end})
            return cursor.fetchall()

    app_rows, hand_rows = shown(app()), hand()
    # The same answer: every group's reason and figures, the departments' names in the same order.
    assert sorted(map(repr, [r[1:] for r in app_rows])) == sorted(map(repr, [r[2:] for r in hand_rows])), (
        "the app and the hand-written SQL disagree"
    )
    assert [r[0] for r in app_rows[1:]] == [r[1] or "Zonder afdeling" for r in hand_rows[1:]]
    visible = sum(1 for r in app_rows if r[2] is not None)
    app_times, hand_times = [], []
    for n in range(args.rounds):
        pair = [(app, app_times), (hand, hand_times)]
        for run, times in pair if n % 2 == 0 else reversed(pair):
            times.append(timed(run)[0])
    a_med, h_med = statistics.median(app_times), statistics.median(hand_times)
    print(
        f"year report with department breakdown ({len(app_rows)} rows, {visible} shown), "
        f"{args.rounds} interleaved rounds; load {load()}"
    )
    print(
        f"  app (CachedAnalysis.report):       median {a_med * 1000:6.2f} ms, best {min(app_times) * 1000:6.2f} ms"
    )
    print(
        f"  hand-written SQL, same rows:       median {h_med * 1000:6.2f} ms, best {min(hand_times) * 1000:6.2f} ms"
    )
    print(
        f"  ratio app / hand SQL:              median {a_med / h_med:.2f}x, best {min(app_times) / min(hand_times):.2f}x"
    )

    if args.live:
        window = (start, end)
        took, computed = timed(
            lambda: rollup_sql.figures_by_group(employer.pk, employer.full_time_hours, window, [window])
        )
        print(
            f"live from the base tables, app SQL path (rollup_sql, one period): {took:.2f} s; load {load()}"
        )

        def hand_live():  # type: ignore[no-untyped-def]
            with connection.cursor() as cursor:
                cursor.execute(HAND_SQL, {"e": employer.pk, "s": start, "t": end})
                rows = cursor.fetchall()
                cursor.execute(HAND_SQL_TOTAL, {"e": employer.pk, "s": start, "t": end})
                return rows, cursor.fetchall()

        took, (_rows, total) = timed(hand_live)
        print(f"live from the base tables, the bench's HAND_SQL:              {took:.2f} s; load {load()}")
        ours = computed[(rollup_sql.TOTAL_GROUP, 0)]
        print(f"  check: total verzuimpercentage app {ours.verzuimpercentage:.4f} hand {total[0][2]:.4f}")

    if args.refresh_sample:
        # Every n-th other employer (sizes from 5 to 5,000), timed, then scaled to the book's employees.
        others = list(
            Employer.objects.filter(name__startswith="Synthetisch").exclude(pk=employer.pk).order_by("pk")
        )
        sample = others[:: max(1, len(others) // args.refresh_sample)][: args.refresh_sample]
        people = sum(e.employments.count() for e in sample)
        took, cells = timed(lambda: refresh_report_cells(sample, today))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registry_employment")
            (total_people,) = cursor.fetchone()
        rest = total_people - size
        estimate = took / people * rest
        print(
            f"refresh_report_cells over a sample of {len(sample)} other employers ({people:,} employments): "
            f"{took:.1f} s, {took / people * 1000:.2f} ms per employee; the other {len(others):,} employers "
            f"({rest:,} employments) at that rate: about {estimate / 60:.0f} min, plus the largest; load {load()}"
        )

    if args.refresh_all:
        employers = Employer.objects.filter(name__startswith="Synthetisch").order_by("pk")
        took, cells = timed(lambda: refresh_report_cells(employers, today))
        print(
            f"refresh_report_cells over {employers.count():,} employers: {cells:,} rows in {took:.0f} s; "
            f"load {load()}"
        )


if __name__ == "__main__":
    main()
