"""The rollup job's figures computed by PostgreSQL: every group and every period of one employer in
one statement, instead of :func:`arbo.reporting.figures.figures` once per group and period.

The statement is the definitions of :mod:`arbo.reporting.figures` written in SQL over the same rows
:func:`arbo.reporting.data.load` reads (the same window, withdrawn and pregnancy periods left out):

- spells are normalised per person as :func:`~arbo.reporting.figures.normalise` does: a spell inside
  an earlier one is dropped, one overlapping it starts the day after it, nothing follows an open one;
- a spell's sick days are cut into segments at its partial recoveries (incapacity ``1 − %/100``);
- sick and available days are summed per employment and period (part-time factor as
  :func:`~arbo.reporting.figures.part_time_factor`), reports by the employment holding the first
  day, ended spells and duration classes by the spells a group owns (overlapping one of its
  employments), nulverzuim over the people employed throughout the period.

Groups are the departments (``-1``: no department) and the total (``-2``); each period is
``(start, stop)``, ``stop`` being the last day counted. Suppression is not decided here: the caller
(:mod:`arbo.reporting.cache`) decides it from the headcounts exactly as on every other path, and
``tests/reporting/test_cache.py`` holds the two paths to the same figures on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import Any

from django.db import connection, transaction

from arbo.reporting.figures import DEFAULT_FULL_TIME_HOURS, DURATION_CLASSES, Figures

TOTAL_GROUP = -2
#: Memory for the statement's sorts and hashes (the nightly job runs one statement at a time).
WORK_MEM = "256MB"
NO_DEPARTMENT_GROUP = -1

_CLASS_COLUMNS = ",\n".join(
    f"count(*) FILTER (WHERE LEAST(COALESCE(o.l, p.t), p.t) - o.f + 1 >= {low}"
    + (f" AND LEAST(COALESCE(o.l, p.t), p.t) - o.f + 1 <= {high}" if high is not None else "")
    + f") AS c{i}"
    for i, (_label, low, high) in enumerate(DURATION_CLASSES)
)

FIGURES_SQL = f"""
WITH periods AS (
    SELECT * FROM unnest(%(pids)s::int[], %(starts)s::date[], %(stops)s::date[]) AS p (pid, s, t)
),
emp AS (
    SELECT e.employee_id AS person, COALESCE(e.department_id, -1) AS dep, e.starts_on AS a,
           COALESCE(e.ends_on, 'infinity'::date) AS b,
           CASE WHEN e.hours_per_week IS NULL OR e.hours_per_week <= 0 OR %(full)s::numeric <= 0 THEN 1.0
                ELSE LEAST(e.hours_per_week::float8 / %(full)s::float8, 1.0) END AS ptf
    FROM registry_employment e
    WHERE e.employer_id = %(e)s AND e.starts_on <= %(wt)s AND (e.ends_on IS NULL OR e.ends_on >= %(ws)s)
),
raw AS (
    SELECT p.id, p.case_id, c.employee_id AS person, p.first_sick_day AS f, p.last_sick_day AS l
    FROM absence_sickperiod p JOIN absence_absencecase c ON c.id = p.case_id
    WHERE c.employer_id = %(e)s AND p.withdrawn_at IS NULL AND p.safety_net_kind <> 'pregnancy'
      AND p.first_sick_day <= %(wt)s AND (p.last_sick_day IS NULL OR p.last_sick_day >= %(ws)s)
),
ordered AS (
    SELECT raw.*, max(COALESCE(l, 'infinity'::date)) OVER (
        PARTITION BY person ORDER BY f, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS m
    FROM raw
),
sp AS (  -- normalised: dropped when inside an earlier spell, else starting after it
    SELECT id, case_id, person, f AS f0, CASE WHEN m IS NOT NULL AND f <= m THEN m + 1 ELSE f END AS f, l
    FROM ordered
    WHERE m IS NULL OR f > m OR (m <> 'infinity'::date AND (l IS NULL OR l > m))
),
partials AS (
    SELECT sp.id, r.recovered_on AS d, COALESCE(r.percentage, 0) AS pct
    FROM sp JOIN absence_recoveryreport r ON r.case_id = sp.case_id
    WHERE r.kind = 'partial' AND r.withdrawn_at IS NULL AND r.recovered_on > sp.f0
      AND r.recovered_on <= COALESCE(sp.l, 'infinity'::date)
),
initial AS (  -- a cut spell starts at the factor of the last partial recovery before its new start
    SELECT DISTINCT ON (q.id) q.id, 1 - q.pct / 100.0 AS factor
    FROM partials q JOIN sp ON sp.id = q.id WHERE q.d <= sp.f ORDER BY q.id, q.d DESC, q.pct DESC
),
pts AS (
    SELECT sp.id, sp.person, sp.l, sp.f AS d, -1 AS pct, COALESCE(initial.factor, 1.0)::float8 AS factor
    FROM sp LEFT JOIN initial ON initial.id = sp.id
    UNION ALL
    SELECT q.id, sp.person, sp.l, q.d, q.pct, (1 - q.pct / 100.0)::float8
    FROM partials q JOIN sp ON sp.id = q.id WHERE q.d > sp.f
),
seg AS (
    SELECT person, d AS a,
           COALESCE(LEAD(d) OVER (PARTITION BY id ORDER BY d, pct) - 1, COALESCE(l, %(wt)s)) AS b, factor
    FROM pts
),
ep AS (  -- every employment in every period it overlaps
    SELECT emp.*, p.pid, p.s, p.t, GREATEST(emp.a, p.s) AS lo, LEAST(emp.b, p.t) AS hi,
           emp.a <= p.s AND emp.b >= p.t AS throughout
    FROM emp JOIN periods p ON emp.a <= p.t AND emp.b >= p.s
),
sick_in AS (  -- people with a sick day in the period (for nulverzuim)
    SELECT DISTINCT sp.person, p.pid FROM sp JOIN periods p ON sp.f <= p.t AND COALESCE(sp.l, p.t) >= p.s
),
ep_sick AS (
    SELECT ep.*, sick_in.person IS NOT NULL AS sick_in
    FROM ep LEFT JOIN sick_in ON sick_in.person = ep.person AND sick_in.pid = ep.pid
),
people AS (
    SELECT COALESCE(dep, -2) AS dep, pid, count(DISTINCT person) AS employees,
           sum((hi - lo + 1) * ptf) AS available, sum(hi - lo + 1) AS employment_days,
           count(DISTINCT person) FILTER (WHERE throughout) AS throughout,
           count(DISTINCT person) FILTER (WHERE throughout AND NOT sick_in) AS zero
    FROM ep_sick GROUP BY GROUPING SETS ((pid, dep), (pid))
),
sick AS (
    SELECT COALESCE(ep.dep, -2) AS dep, ep.pid,
           sum((LEAST(seg.b, ep.hi) - GREATEST(seg.a, ep.lo) + 1) * seg.factor * ep.ptf) AS sick
    FROM ep JOIN seg ON seg.person = ep.person AND seg.a <= ep.hi AND seg.b >= ep.lo AND seg.b >= seg.a
    GROUP BY GROUPING SETS ((ep.pid, ep.dep), (ep.pid))
),
reports AS (
    SELECT COALESCE(emp.dep, -2) AS dep, p.pid, count(DISTINCT sp.id) AS reports
    FROM sp JOIN emp ON emp.person = sp.person AND sp.f BETWEEN emp.a AND emp.b
    JOIN periods p ON sp.f BETWEEN p.s AND p.t
    GROUP BY GROUPING SETS ((p.pid, emp.dep), (p.pid))
),
owned AS (  -- the spells each group owns: overlapping one of its employments of that person
    SELECT DISTINCT emp.dep, sp.id, sp.f, sp.l
    FROM sp JOIN emp ON emp.person = sp.person AND emp.a <= COALESCE(sp.l, 'infinity'::date) AND emp.b >= sp.f
),
owned_all AS (
    SELECT dep, id, f, l FROM owned UNION ALL SELECT DISTINCT -2, id, f, l FROM owned
),
spells AS (
    SELECT o.dep, p.pid,
           count(*) FILTER (WHERE o.l BETWEEN p.s AND p.t) AS ended,
           sum(o.l - o.f + 1) FILTER (WHERE o.l BETWEEN p.s AND p.t) AS ended_days,
           {_CLASS_COLUMNS}
    FROM owned_all o JOIN periods p ON o.f <= p.t AND COALESCE(o.l, 'infinity'::date) >= p.s
    GROUP BY o.dep, p.pid
)
SELECT people.dep, people.pid, people.employees, people.available, people.employment_days,
       people.throughout, people.zero, COALESCE(sick.sick, 0), COALESCE(reports.reports, 0),
       COALESCE(spells.ended, 0), spells.ended_days,
       {", ".join(f"COALESCE(spells.c{i}, 0)" for i in range(len(DURATION_CLASSES)))}
FROM people
LEFT JOIN sick USING (dep, pid) LEFT JOIN reports USING (dep, pid) LEFT JOIN spells USING (dep, pid)
"""  # noqa: S608 -- the generator's own SQL; every value is a parameter


def figures_by_group(
    employer_id: int,
    full_time_hours: object,
    window: tuple[dt.date, dt.date],
    periods: Sequence[tuple[dt.date, dt.date]],
) -> dict[tuple[int, int], Figures]:
    """``(group, index of the period) → Figures`` for every group with someone in the period.

    ``window`` is the load window (employments and spells as :func:`arbo.reporting.data.load`
    reads them for it); ``periods`` are ``(start, stop)`` pairs inside it.
    """
    params: dict[str, Any] = {
        "e": employer_id,
        "full": full_time_hours or DEFAULT_FULL_TIME_HOURS,
        "ws": window[0],
        "wt": window[1],
        "pids": list(range(len(periods))),
        "starts": [start for start, _stop in periods],
        "stops": [stop for _start, stop in periods],
    }
    result: dict[tuple[int, int], Figures] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # The largest employers sort millions of rows: in memory, not on disk (this transaction only).
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(FIGURES_SQL, params)
        rows = cursor.fetchall()
    for (
        group,
        pid,
        employees,
        available,
        employment_days,
        throughout,
        zero,
        sick,
        reports,
        ended,
        ended_days,
        *classes,
    ) in rows:
        start, stop = periods[pid]
        days = (stop - start).days + 1
        average = employment_days / days if employment_days else 0
        result[(group, pid)] = Figures(
            employees=employees,
            verzuimpercentage=100 * float(sick) / float(available) if available else None,
            meldingsfrequentie=reports / average * 365 / days if average else None,
            gemiddelde_verzuimduur=ended_days / ended if ended else None,
            nulverzuim=100 * zero / throughout if throughout else None,
            duration_classes={
                label: count for (label, _low, _high), count in zip(DURATION_CLASSES, classes, strict=True)
            },
        )
    return result


def group_of(key: Hashable | None) -> int:
    """The SQL group of an :class:`~arbo.reporting.report.Analysis` group (``None``: the total)."""
    from arbo.reporting.report import NO_DEPARTMENT  # noqa: PLC0415 -- report imports cache's users

    if key is None:
        return TOTAL_GROUP
    if key == NO_DEPARTMENT:
        return NO_DEPARTMENT_GROUP
    return int(key)  # type: ignore[call-overload]
