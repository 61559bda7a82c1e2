"""``generate_book`` on PostgreSQL: the rows are made by the database itself, in bulk.

The Python path (:func:`arbo.reporting.book._write_batch`) made about 1,500 sick periods a second:
every row was drawn, built and sent by Python. Here Python only plans (employer sizes, departments,
id ranges) and PostgreSQL makes the rows with ``INSERT … SELECT`` over ``generate_series``, a chunk
of employers per transaction:

- **Seeded randomness**: every draw is ``rnd(n, salt)``, a uniform number in [0, 1) from
  ``hashint8extended(n, seed·1000 + salt)`` of the employee's ordinal ``n`` (or spell key). The same
  seed gives the same book, whatever the chunking, and no state is carried between rows.
- **Employees and employments**: one of each per ordinal, ids reserved from their sequences,
  department, start, end (8 % ended in the last year) and hours drawn as in the Python path.
- **Sick periods, the national shape** (:mod:`arbo.reporting.synthetic`): reports arrive as a Poisson
  process of rate :data:`~arbo.reporting.synthetic.REPORTS_PER_YEAR` over the employment's days in
  the window, drawn as ``6 × years`` candidate days each taken with probability
  ``rate × days / candidates`` (a binomial close to the Poisson count); lengths come from
  :data:`~arbo.reporting.synthetic.LENGTHS` (most short, a tail past a year). A report whose first
  day falls inside an earlier one of the same person is dropped (no one reports sick while sick),
  so the kept periods never overlap. Longer than 42 days: a partial recovery half-way (25, 50 or
  75 %). A period still running today is open.
- **Cases, recoveries, milestones** follow from the kept periods in set-based statements.
- **Audit records**, one per reported period as the Python path writes them: the hash chain is
  sequential (each hash covers the one before), so Python numbers and hashes them with
  :mod:`arbo.audit.chain`'s own canonical form while streaming them to ``COPY``, holding the chain
  lock as :func:`arbo.audit.chain.append` does. ``verify_audit`` checks them like any other rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from arbo.absence.models import AbsenceCase, Channel, Milestone, RecoveryReport, SickPeriod
from arbo.audit import chain
from arbo.audit.models import AuditChainHead, AuditChainState, AuditEvent
from arbo.registry.models import Department, Employee, Employer, Employment
from arbo.reporting.synthetic import LENGTHS, REPORTS_PER_YEAR

#: Employees per transaction: big enough to amortise, small enough to show progress.
CHUNK = 250_000
#: Partial recoveries resume one of these percentages (as the Python path's ``rng.choice``).
PARTIAL_PERCENTAGES = (25, 50, 50, 75)
HOURS = (16, 20, 24, 28, 32, 36, 38, 38, 38, 40)
AUDIT_EVENT = "absence.sick_reported"


def _literal_defaults(model: Any, given: set[str]) -> tuple[list[str], list[Any]]:
    """Columns and database values of every field not in ``given``: its default, prepared."""
    columns, values = [], []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        else:
            value = field.get_db_prep_save(field.get_default(), connection)
        if value is None and not field.null:
            raise ValueError(f"{model.__name__}.{field.name} needs a value in the generator")
        columns.append(field.column)
        values.append(value)
    return columns, values


def _insert_select(model: Any, select: dict[str, str], source: str, params: dict[str, Any]) -> int:
    """``INSERT INTO model (…) SELECT …`` with ``select`` (column → SQL) and defaults for the rest."""
    q = connection.ops.quote_name
    columns, defaults = _literal_defaults(model, set(select))
    names = [*select, *columns]
    values = [*select.values(), *(f"%(_d{i})s" for i in range(len(defaults)))]
    params = {**params, **{f"_d{i}": value for i, value in enumerate(defaults)}}
    # Identifiers from the model's metadata (quoted) and the generator's own SQL; values are parameters.
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(n) for n in names)}) "  # noqa: S608
        f"SELECT {', '.join(values)} {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _reserve(model: Any, count: int) -> int:
    """Reserve ``count`` ids of ``model``'s sequence; returns the id before the first one."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [meta.db_table, meta.pk.column])
        (first,) = cursor.fetchone()
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
            [meta.db_table, meta.pk.column, first + count - 1],
        )
    return int(first) - 1


def _length_case() -> str:
    """SQL: a sick-period length in days from the two uniforms ``u`` (class) and ``v`` (within)."""
    parts, acc = [], 0.0
    for share, low, high in LENGTHS:
        acc += share
        parts.append(f"WHEN u <= {acc:.6f} THEN {low} + floor(v * {high - low + 1})::int")
    return "CASE " + " ".join(parts) + " ELSE 1 + floor(v * 5)::int END"


def generate_sql(  # noqa: PLR0913
    *,
    employers: list[Employer],
    departments: list[list[Department]],
    sizes: list[int],
    reporter_id: int,
    seed: int,
    years: int,
    today: dt.date,
    audit: bool,
    counts: Any,
    progress: Callable[[], None] | None = None,
) -> None:
    """Write the employees, employments and absence of ``employers`` (``sizes`` employees each)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION pg_temp.rnd(bigint, bigint) RETURNS float8 LANGUAGE sql "
            "IMMUTABLE PARALLEL SAFE AS $$ SELECT (hashint8extended($1, $2) & 2147483647)::float8 "
            "/ 2147483648.0 $$"
        )
    chunks: list[list[int]] = [[]]
    filled = 0
    for index, size in enumerate(sizes):
        if filled >= CHUNK:
            chunks.append([])
            filled = 0
        chunks[-1].append(index)
        filled += size
    ordinal = 0
    for chunk in chunks:
        rows = []
        for index in chunk:
            rows.append((employers[index].pk, ordinal + 1, ordinal + sizes[index], len(departments[index])))
            ordinal += sizes[index]
        with transaction.atomic():
            _chunk(rows, departments, chunk, reporter_id, seed, years, today, audit, counts)
        if progress is not None:
            progress()


def _chunk(  # noqa: PLR0913
    rows: list[tuple[int, int, int, int]],
    departments: list[list[Department]],
    chunk: list[int],
    reporter_id: int,
    seed: int,
    years: int,
    today: dt.date,
    audit: bool,
    counts: Any,
) -> None:
    people = sum(hi - lo + 1 for _e, lo, hi, _d in rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE book_employer (employer_id bigint, lo bigint, hi bigint, deps int) "
            "ON COMMIT DROP"
        )
        with cursor.copy("COPY book_employer FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "CREATE TEMP TABLE book_department (employer_id bigint, ord int, department_id bigint, "
            "PRIMARY KEY (employer_id, ord)) ON COMMIT DROP"
        )
        with cursor.copy("COPY book_department FROM STDIN") as copy:
            for index in chunk:
                for position, department in enumerate(departments[index]):
                    copy.write_row((department.employer_id, position, department.pk))
    employee_base = _reserve(Employee, people)
    job_base = _reserve(Employment, people)
    first = rows[0][1]
    s = seed * 1000
    params = {"eb": employee_base, "jb": job_base, "first": first, "today": today, "s": s}
    ordinals = (
        "FROM book_employer b CROSS JOIN LATERAL generate_series(b.lo, b.hi) AS n "
        "JOIN book_department d ON d.employer_id = b.employer_id "
        "AND d.ord = floor(pg_temp.rnd(n, %(s)s + 2) * b.deps)::int"
    )
    _insert_select(
        Employee,
        {
            "id": "%(eb)s + n - %(first)s + 1",
            "initials": "'S.'",
            "surname": "'Synthetisch ' || (n - b.lo + 1)",
            "birth_date": "date '1960-01-01' + floor(pg_temp.rnd(n, %(s)s + 1) * 42 * 365)::int",
        },
        ordinals,
        params,
    )
    hours = ",".join(str(h) for h in HOURS)
    starts = "(%(today)s::date - (30 + floor(pg_temp.rnd(n, %(s)s + 3) * (12 * 365 - 29))::int))"
    _insert_select(
        Employment,
        {
            "id": "%(jb)s + n - %(first)s + 1",
            "employee_id": "%(eb)s + n - %(first)s + 1",
            "employer_id": "b.employer_id",
            "department_id": "d.department_id",
            "personnel_number": "'S' || lpad((n - b.lo + 1)::text, 7, '0')",
            "starts_on": starts,
            "ends_on": (
                f"CASE WHEN pg_temp.rnd(n, %(s)s + 4) < 0.08 THEN GREATEST({starts}, "
                "%(today)s::date - floor(pg_temp.rnd(n, %(s)s + 5) * 366)::int) END"
            ),
            "hours_per_week": f"(ARRAY[{hours}])[1 + floor(pg_temp.rnd(n, %(s)s + 6) * {len(HOURS)})::int]",
        },
        ordinals,
        params,
    )
    counts.employees += people
    _spells(job_base, first, people, seed, years, today)
    _absence(reporter_id, today, counts)
    if audit:
        counts.audit += _audit()


def _spells(job_base: int, first: int, people: int, seed: int, years: int, today: dt.date) -> None:
    """The chunk's sick periods into ``book_spell``, each with a reserved case id."""
    candidates = 6 * years
    rate = REPORTS_PER_YEAR / 365 / candidates
    s = seed * 1000
    sql = f"""
    CREATE TEMP TABLE book_spell ON COMMIT DROP AS
    WITH windows AS (
        SELECT j.id - %(jb)s + %(first)s - 1 AS n, j.employee_id, j.employer_id,
               GREATEST(j.starts_on, %(window)s::date) AS lo,
               LEAST(COALESCE(j.ends_on, %(today)s::date), %(today)s::date) AS hi
        FROM registry_employment j WHERE j.id BETWEEN %(jb)s + 1 AND %(jb)s + %(people)s
    ),
    drawn AS (
        SELECT w.employee_id, w.employer_id,
               w.lo + floor(pg_temp.rnd(w.n * 64 + c, %(s)s + 11) * (w.hi - w.lo + 1))::int AS first,
               pg_temp.rnd(w.n * 64 + c, %(s)s + 12) AS u, pg_temp.rnd(w.n * 64 + c, %(s)s + 13) AS v,
               pg_temp.rnd(w.n * 64 + c, %(s)s + 14) AS p
        FROM windows w CROSS JOIN generate_series(1, %(candidates)s) AS c
        WHERE w.hi >= w.lo AND pg_temp.rnd(w.n * 64 + c, %(s)s + 10) < %(rate)s * (w.hi - w.lo + 1)
    ),
    sized AS (
        SELECT employee_id, employer_id, first, p, {_length_case()} AS length FROM drawn
    ),
    ordered AS (
        SELECT *, max(first + length - 1) OVER (
            PARTITION BY employee_id ORDER BY first, length
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
        FROM sized
    )
    SELECT nextval(pg_get_serial_sequence('absence_absencecase', 'id')) AS case_id,
           employee_id, employer_id, first,
           CASE WHEN first + length - 1 >= %(today)s::date THEN NULL ELSE first + length - 1 END AS last,
           first + length - 1 AS drawn_last,
           CASE WHEN length > 42 AND first + length / 2 <= %(today)s::date
                THEN first + length / 2 END AS partial_on,
           (ARRAY{list(PARTIAL_PERCENTAGES)})[1 + floor(p * {len(PARTIAL_PERCENTAGES)})::int] AS partial_pct
    FROM ordered WHERE before IS NULL OR first > before
    ORDER BY employee_id, first
    """  # noqa: S608 -- numbers and the generator's own SQL; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "jb": job_base,
                "first": first,
                "people": people,
                "window": today - dt.timedelta(days=365 * years),
                "today": today,
                "s": s,
                "candidates": candidates,
                "rate": rate,
            },
        )


def _absence(reporter_id: int, today: dt.date, counts: Any) -> None:
    source = "FROM book_spell"
    params = {"today": today, "by": reporter_id, "via": Channel.API}
    counts.sick_periods += _insert_select(
        AbsenceCase,
        {
            "id": "case_id",
            "employee_id": "employee_id",
            "employer_id": "employer_id",
            "first_sick_day": "first",
            "status": (
                f"CASE WHEN last IS NULL THEN '{AbsenceCase.Status.OPEN}' "
                f"ELSE '{AbsenceCase.Status.RECOVERED}' END"
            ),
        },
        source,
        params,
    )
    reported = {"reported_by_id": "%(by)s", "reported_via": "%(via)s"}
    _insert_select(
        SickPeriod,
        {"case_id": "case_id", "first_sick_day": "first", "last_sick_day": "last", **reported},
        source,
        params,
    )
    counts.recoveries += _insert_select(
        RecoveryReport,
        {
            "case_id": "case_id",
            "kind": f"'{RecoveryReport.Kind.PARTIAL}'",
            "recovered_on": "partial_on",
            "percentage": "partial_pct",
            **reported,
        },
        source + " WHERE partial_on IS NOT NULL",
        params,
    )
    counts.recoveries += _insert_select(
        RecoveryReport,
        {
            "case_id": "case_id",
            "kind": f"'{RecoveryReport.Kind.FULL}'",
            "recovered_on": "last + 1",
            "percentage": "100",
            **reported,
        },
        source + " WHERE last IS NOT NULL",
        params,
    )
    from arbo.reporting.book import MILESTONES  # noqa: PLC0415 -- book imports this module

    kinds = ", ".join(f"({minimum}, '{kind}', '{owner}', {day})" for minimum, kind, owner, day in MILESTONES)
    counts.milestones += _insert_select(
        Milestone,
        {
            "case_id": "case_id",
            "kind": "m.kind",
            "owner": "m.owner",
            "due_on": "first + m.day - 1",
            "done_on": "CASE WHEN first + m.day - 1 <= %(today)s::date THEN first + m.day - 1 END",
        },
        f"FROM book_spell JOIN (VALUES {kinds}) AS m (minimum, kind, owner, day) "
        "ON COALESCE(last, %(today)s::date) - first + 1 >= m.minimum",
        params,
    )


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bytes | memoryview):
        return "\\\\x" + bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = json.dumps(value) if isinstance(value, dict) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _canonical_pieces(template: AuditEvent) -> list[bytes]:
    """The canonical form of ``template``'s rows cut around the fields that vary (seq, subject_id,
    object_id, prev_hash): five constant pieces, to be joined with those four fields encoded."""
    values = {name: getattr(template, name) for name in chain.FIELDS}
    encoded = {
        name: (
            chain._int8(value)
            if name in ("seq", "actor_id", "subject_id")
            else chain._timestamp(value)
            if name == "occurred_at"
            else chain._inet(value)
            if name == "ip_address"
            else chain._bytea(value)
            if name == "prev_hash"
            else chain._text(chain.jsonb_text(value))
            if name == "data"
            else chain._text(value)
        )
        for name, value in values.items()
    }
    pieces, current = [], [chain._HEADER, chain._FORMAT_FIELD]
    for name in chain.FIELDS:
        if name in _VARYING:
            pieces.append(b"".join(current))
            current = []
        else:
            current.append(encoded[name])
    pieces.append(b"".join(current))
    return pieces


_VARYING = ("seq", "subject_id", "object_id", "prev_hash")


def _audit() -> int:
    """One audit record per case of the chunk, numbered and hashed onto the chain, sent with COPY.

    Only ``seq``, the subject and the hashes differ from row to row, so the canonical form is built
    from constant pieces (checked against :func:`arbo.audit.chain.canonical_values` on the first
    row, so a change of the format cannot pass unnoticed) and the COPY lines from text made once.
    """
    state = chain.locked_state()
    seq, previous = state.last_seq, bytes(state.last_hash)
    start = seq
    template = AuditEvent(
        occurred_at=timezone.now(),
        actor_label="system",
        action=AuditEvent.Action.CREATE,
        event=AUDIT_EVENT,
        subject_kind="employee",
        object_type="registry.employee",
        category="A",
        data=chain.plain_json({"via": "generate_book"}),
    )
    p0, p1, p2, p3, p4 = _canonical_pieces(template)
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    names = [field.attname for field in fields]
    q = connection.ops.quote_name
    constant = [_copy_text(getattr(template, name)) for name in names]
    # The line as a format string: constant text, with the varying fields as {placeholders}.
    line = (
        "\t".join(
            "{" + name + "}" if name in (*_VARYING, "hash") else shown.replace("{", "{{").replace("}", "}}")
            for name, shown in zip(names, constant, strict=True)
        )
        + "\n"
    )
    int8, text, bytea, keyed = chain._int8, chain._text, chain._bytea, chain.keyed_hash
    with connection.cursor() as reader:
        reader.execute("SELECT employee_id FROM book_spell ORDER BY case_id")
        subjects = [subject for (subject,) in reader.fetchall()]
    if subjects:
        template.seq, template.subject_id, template.object_id = seq + 1, subjects[0], str(subjects[0])
        template.prev_hash = previous
        message = b"".join((p0, int8(seq + 1), p1, int8(subjects[0]), p2, text(str(subjects[0])), p3))
        if message + bytea(previous) + p4 != chain.canonical(template):
            raise RuntimeError("the generator's audit rows no longer match chain.canonical")
    sql = f"COPY {q(AuditEvent._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        out: list[str] = []
        for subject in subjects:
            seq += 1
            label = str(subject)
            digest = keyed(
                b"".join((p0, int8(seq), p1, int8(subject), p2, text(label), p3, bytea(previous), p4))
            )
            out.append(
                line.format(
                    seq=seq,
                    subject_id=subject,
                    object_id=label,
                    prev_hash="\\\\x" + previous.hex(),
                    hash="\\\\x" + digest.hex(),
                )
            )
            previous = digest
            if len(out) == 10_000:
                copy.write("".join(out))
                out = []
        copy.write("".join(out))
    AuditChainState.objects.filter(pk=chain.STATE_PK).update(last_seq=seq, last_hash=previous)
    if start // chain.HEAD_INTERVAL != seq // chain.HEAD_INTERVAL:
        AuditChainHead.objects.create(seq=seq, hash=previous, recorded_at=timezone.now())
    return seq - start
