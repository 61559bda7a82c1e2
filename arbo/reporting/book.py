"""A national-scale synthetic book (``manage.py generate_book``): employers of every size, departments,
employments with part-time hours, sick periods with the national shape (:mod:`arbo.reporting.synthetic`),
partial and full recoveries, poortwachter milestones and audit records.

On PostgreSQL the database makes the rows itself (:mod:`arbo.reporting.book_sql`: ``INSERT …
SELECT`` over ``generate_series`` with seeded draws, audit records hashed onto the chain and sent
with COPY): ten million sick periods in minutes. Elsewhere (SQLite, small books) this module writes
them from Python in batches (``bulk_create``); its audit records go through
:func:`arbo.audit.log.record_many`. Either way the hash chain stays whole. Names
are synthetic and there are no BSNs: nothing in a generated book is anyone's personal data.

Employer sizes: the largest has ``largest`` employees (200,000 at national scale); the rest follow a
log-uniform spread from 5 to 5,000, so that most employers are small and most employees work at
large ones, as in the Netherlands.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction

from arbo.absence.models import AbsenceCase, Channel, Milestone, RecoveryReport, SickPeriod
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib import pgcopy
from arbo.registry.models import Department, Employee, Employer, Employment
from arbo.reporting.synthetic import spells

HOURS = [Decimal(h) for h in (16, 20, 24, 28, 32, 36, 38, 38, 38, 40)]
SECTORS = "CFGHIJKMNOPQ"
#: Milestones written for a sick period of at least this many days (done on time).
MILESTONES = (
    (1, Milestone.Kind.REPORT_TO_ARBODIENST, Milestone.Owner.EMPLOYER, 7),
    (42, Milestone.Kind.PROBLEEMANALYSE, Milestone.Owner.DOCTOR, 42),
    (56, Milestone.Kind.PLAN_VAN_AANPAK, Milestone.Owner.CASEMANAGER, 56),
    (294, Milestone.Kind.UWV_42ND_WEEK_NOTICE, Milestone.Owner.EMPLOYER, 294),
)


def employer_sizes(total: int, largest: int, rng: random.Random) -> list[int]:
    """Sizes adding up to ``total``: the largest first, then log-uniform between 5 and 5,000."""
    sizes = [min(largest, total)]
    left = total - sizes[0]
    while left > 0:
        size = min(left, int(math.exp(rng.uniform(math.log(5), math.log(5000)))))
        sizes.append(size)
        left -= size
    return sizes


@dataclass
class Counts:
    employers: int = 0
    employees: int = 0
    sick_periods: int = 0
    recoveries: int = 0
    milestones: int = 0
    audit: int = 0


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, out: Callable[[str], object] | None = None) -> None:
        self.total, self.started = max(total, 1), time.perf_counter()
        self.out = out or (lambda text: (sys.stderr.write(text), sys.stderr.flush()))

    def show(self, done: int, counts: Counts) -> None:
        share = done / self.total
        bar = "#" * int(share * 30)
        self.out(
            f"\r[{bar:<30}] {share:6.1%} {done:,} employees, {counts.sick_periods:,} sick periods, "
            f"{time.perf_counter() - self.started:5.0f} s"
        )


def _batches(sizes: list[int], batch: int) -> Iterator[list[tuple[int, int]]]:
    """(employer index, employees of it in this batch) pieces, about ``batch`` employees each."""
    current: list[tuple[int, int]] = []
    filled = 0
    for index, size in enumerate(sizes):
        left = size
        while left:
            take = min(left, batch - filled)
            current.append((index, take))
            filled += take
            left -= take
            if filled == batch:
                yield current
                current, filled = [], 0
    if current:
        yield current


def generate(
    *,
    employees: int,
    largest: int = 200_000,
    years: int = 2,
    seed: int = 17,
    today: dt.date,
    batch: int = 20_000,
    audit: bool = True,
    progress: Progress | None = None,
) -> Counts:
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
    counts = Counts()
    reporter, _created = User.objects.get_or_create(
        username="generate_book",
        defaults={"kind": User.Kind.STAFF, "first_name": "Synthetisch", "last_name": "boek"},
    )
    window_start = today - dt.timedelta(days=365 * years)
    sizes = employer_sizes(employees, largest, rng)
    base_kvk = 60_000_000 + Employer.objects.count()
    employers = [
        Employer(
            name=f"Synthetisch {n + 1} BV",
            kvk_number=f"{base_kvk + n:08d}",
            postcode=f"{rng.randint(1000, 9999)} AA",
            city="Synthetisch",
            sector=rng.choice(SECTORS),
        )
        for n in range(len(sizes))
    ]
    with transaction.atomic():
        pgcopy.insert(Employer, employers)
        departments: list[list[Department]] = []
        all_departments = []
        for employer, size in zip(employers, sizes, strict=True):
            own = [
                Department(employer=employer, name=f"Afdeling {d + 1}")
                for d in range(max(1, min(400, size // 40)))
            ]
            departments.append(own)
            all_departments += own
        pgcopy.insert(Department, all_departments)
    counts.employers = len(employers)
    if connection.vendor == "postgresql":
        from arbo.reporting.book_sql import generate_sql  # noqa: PLC0415 -- PostgreSQL only

        generate_sql(
            employers=employers,
            departments=departments,
            sizes=sizes,
            reporter_id=reporter.pk,
            seed=seed,
            years=years,
            today=today,
            audit=audit,
            counts=counts,
            progress=(lambda: progress.show(counts.employees, counts)) if progress is not None else None,
        )
        return counts
    numbers = [0] * len(sizes)
    for piece in _batches(sizes, batch):
        with transaction.atomic():
            _write_batch(
                piece, employers, departments, numbers, rng, reporter, window_start, today, counts, audit
            )
        if progress is not None:
            progress.show(counts.employees, counts)
    return counts


def _insert(model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (attribute name → value; the rest takes the field's default) and return their ids.

    On PostgreSQL the rows go straight to :func:`arbo.lib.pgcopy.copy_rows` as plain objects, ids
    reserved from the table's sequence: no model instance is built (building them cost more than
    the COPY). Elsewhere :func:`arbo.lib.pgcopy.insert` with instances.
    """
    if not rows:
        return []
    meta = model._meta  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        pgcopy.insert(model, objs)
        return [obj.pk for obj in objs]
    fields = list(meta.concrete_fields)
    defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    objs = [
        SimpleNamespace(**{**defaults, **row, meta.pk.attname: pk}) for row, pk in zip(rows, ids, strict=True)
    ]
    pgcopy.copy_rows(meta.db_table, fields, objs, add=True)
    return ids


def _write_batch(  # noqa: PLR0913
    piece: list[tuple[int, int]],
    employers: list[Employer],
    departments: list[list[Department]],
    numbers: list[int],
    rng: random.Random,
    reporter: User,
    window_start: dt.date,
    today: dt.date,
    counts: Counts,
    audit: bool,
) -> None:
    people: list[dict[str, Any]] = []
    jobs: list[dict[str, Any]] = []
    for index, take in piece:
        for _ in range(take):
            numbers[index] += 1
            people.append(
                {
                    "initials": "S.",
                    "surname": f"Synthetisch {numbers[index]}",
                    "birth_date": dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 42 * 365)),
                }
            )
            starts = today - dt.timedelta(days=rng.randint(30, 12 * 365))
            ends = None
            if rng.random() < 0.08:
                ends = max(starts, today - dt.timedelta(days=rng.randint(0, 365)))
            jobs.append(
                {
                    "employer_id": employers[index].pk,
                    "department_id": rng.choice(departments[index]).pk,
                    "personnel_number": f"S{numbers[index]:07d}",
                    "starts_on": starts,
                    "ends_on": ends,
                    "hours_per_week": rng.choice(HOURS),
                }
            )
    for job, person_id in zip(jobs, _insert(Employee, people), strict=True):
        job["employee_id"] = person_id
    _insert(Employment, jobs)
    cases: list[dict[str, Any]] = []
    spells_of = []
    for job in jobs:
        last_day = min(job["ends_on"] or today, today)
        for spell in spells(rng, max(window_start, job["starts_on"]), last_day, today):
            cases.append(
                {
                    "employee_id": job["employee_id"],
                    "employer_id": job["employer_id"],
                    "first_sick_day": spell.first,
                    "status": AbsenceCase.Status.OPEN if spell.last is None else AbsenceCase.Status.RECOVERED,
                }
            )
            spells_of.append(spell)
    case_ids = _insert(AbsenceCase, cases)
    periods: list[dict[str, Any]] = []
    recoveries: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    reported = {"reported_by_id": reporter.pk, "reported_via": Channel.API}
    for case_id, spell in zip(case_ids, spells_of, strict=True):
        periods.append(
            {"case_id": case_id, "first_sick_day": spell.first, "last_sick_day": spell.last, **reported}
        )
        if spell.partial:
            recoveries.append(
                {
                    "case_id": case_id,
                    "kind": RecoveryReport.Kind.PARTIAL,
                    "recovered_on": spell.partial[0],
                    "percentage": spell.partial[1],
                    **reported,
                }
            )
        if spell.last is not None:
            recoveries.append(
                {
                    "case_id": case_id,
                    "kind": RecoveryReport.Kind.FULL,
                    "recovered_on": spell.last + dt.timedelta(days=1),
                    "percentage": 100,
                    **reported,
                }
            )
        length = ((spell.last or today) - spell.first).days + 1
        for minimum, kind, owner, day in MILESTONES:
            if length >= minimum:
                due = spell.first + dt.timedelta(days=day - 1)
                milestones.append(
                    {
                        "case_id": case_id,
                        "kind": kind,
                        "owner": owner,
                        "due_on": due,
                        "done_on": due if due <= today else None,
                    }
                )
    _insert(SickPeriod, periods)
    _insert(RecoveryReport, recoveries)
    _insert(Milestone, milestones)
    if audit and cases:
        counts.audit += log.record_many(
            None,
            log.Action.CREATE,
            "absence.sick_reported",
            [Employee(pk=case["employee_id"]) for case in cases],
            category="A",
            data={"via": "generate_book"},
        )
    counts.employees += len(people)
    counts.sick_periods += len(periods)
    counts.recoveries += len(recoveries)
    counts.milestones += len(milestones)
