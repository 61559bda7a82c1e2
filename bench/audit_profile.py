"""Profile: where a full ``verify_audit`` spends its time, per row, on PostgreSQL (issue 11).

Builds a database with ``--rows`` chained audit rows (as ``bench/audit_bench.py`` does), then measures
the CPU time of the PostgreSQL backend (from ``/proc/<pid>/stat``, so other work on the machine
does not inflate it) and of this Python process for each part of the verification over the same
rows, one connection, no parallel workers:

- scan: ``count(*)`` of the rows (reading the heap);
- canonical: rebuilding every row's canonical bytes with ``record_send(ROW(...))``;
- sha256: two ``sha256()`` calls per row on a 32-byte value (the per-call cost);
- hash statement: the verifier's ``_HASH_SQL`` (canonical form + HMAC as two ``sha256``);
- link statement: the verifier's ``_LINK_SQL`` (gaps and links with ``lag()``);
- COPY + Python: the canonical bytes, ``seq``, ``prev_hash`` and ``hash`` streamed with binary COPY,
  the HMAC (precomputed pad states) and the links checked in Python: backend and Python CPU.

    DEBUG=0 SECRET_KEY=bench ALLOW_DERIVED_KEYS=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i11_bench_audit \\
    nice -n 10 .venv/bin/python bench/audit_profile.py [--rows 500000] [--keep]

``--keep`` reuses the rows of an earlier run. The database's name must contain "bench".
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import struct
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TICK = os.sysconf("SC_CLK_TCK")


def _bench_module() -> Any:
    spec = importlib.util.spec_from_file_location("audit_bench", ROOT / "bench" / "audit_bench.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) the PostgreSQL backend ``pid`` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def measure(cursor: Any, pid: int, label: str, rows: int, action: Any) -> None:
    backend, python, wall = backend_cpu(pid), time.process_time(), time.perf_counter()
    action()
    backend = backend_cpu(pid) - backend
    python = time.process_time() - python
    wall = time.perf_counter() - wall
    per_row = (backend + python) / rows * 1e6
    print(
        f"  {label:<34} backend {backend / rows * 1e6:5.2f} µs/row, python {python / rows * 1e6:5.2f} µs/row,"
        f" total {per_row:5.2f} µs/row = {1e6 / per_row:,.0f} rows/s per core (wall {wall:.1f} s)",
        flush=True,
    )


_CANONICAL = """record_send(ROW(
    %(format)s::text, seq::int8, occurred_at::timestamptz, actor_id::int8,
    actor_label::text, actor_functions::text, on_behalf_of::text, action::text,
    event::text, subject_kind::text, subject_id::int8, object_type::text,
    object_id::text, category::text, ip_address::inet, user_agent::text, basis::text,
    outcome::text, data::text, prev_hash::bytea))"""

_TUPLE = struct.Struct(">hiqi32si32si")  # 4 fields: seq, prev_hash, hash, then the canonical's length


def copy_and_verify(cursor: Any, low: int, high: int, params: dict[str, Any]) -> tuple[int, int]:
    """Stream (seq, prev_hash, hash, canonical) with binary COPY; check hash and link in Python."""
    from arbo.audit import chain
    from arbo.audit.verify import _key

    inner_state, outer_state = (hashlib.sha256(pad) for pad in chain.hmac_pads(_key()))
    sql = (
        f"COPY (SELECT seq, prev_hash, hash, {_CANONICAL} FROM audit_auditevent "  # noqa: S608 — fixed text
        "WHERE seq BETWEEN %(low)s AND %(high)s ORDER BY seq) TO STDOUT (FORMAT binary)"
    )
    query = cursor.mogrify(sql, {**params, "low": low, "high": high})
    rows = bad = 0
    previous_seq, previous_hash = None, None
    buffer = b""
    header = True
    unpack = _TUPLE.unpack_from
    size = _TUPLE.size
    with cursor.copy(query) as copy:
        for chunk in copy:
            buffer = buffer + bytes(chunk) if buffer else bytes(chunk)
            position = 0
            if header:
                extension = struct.unpack_from(">i", buffer, 15)[0]
                position = 19 + extension
                header = False
            end = len(buffer)
            while position + size <= end:
                count, _, seq, _, prev_hash, _, value, length = unpack(buffer, position)
                if count == -1:
                    position = end
                    break
                start = position + size
                if start + length > end:
                    break
                inner = inner_state.copy()
                inner.update(buffer[start : start + length])
                outer = outer_state.copy()
                outer.update(inner.digest())
                if outer.digest() != value:
                    bad += 1
                if previous_seq is not None and (seq != previous_seq + 1 or prev_hash != previous_hash):
                    bad += 1
                previous_seq, previous_hash = seq, value
                rows += 1
                position = start + length
            buffer = buffer[position:]
    return rows, bad


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rows", type=int, default=500_000)
    arguments.add_argument("--keep", action="store_true", help="reuse the rows of an earlier run")
    options = arguments.parse_args()
    bench = _bench_module()
    if not options.keep:
        bench.recreate_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.db import connection

    from arbo.audit import chain
    from arbo.audit.verify import _HASH_SQL, _LINK_SQL, _key, verify_chain

    if not options.keep:
        user, employees = bench.set_up()
        started = time.perf_counter()
        bench.append_rows(options.rows, user.pk, employees)
        print(f"appended {options.rows:,} rows in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) audit_auditevent")
    print(
        f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"
    )
    inner, outer = chain.hmac_pads(_key())
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid(), min(seq), max(seq), count(*) FROM audit_auditevent")
        pid, low, high, rows = cursor.fetchone()
        params = {"ipad": inner, "opad": outer, "format": chain.FORMAT, "low": low, "high": high}
        where = "FROM audit_auditevent WHERE seq BETWEEN %(low)s AND %(high)s"
        print(f"{rows:,} rows (seq {low}..{high}); CPU per row, one connection:")
        for _ in range(2):  # the first round warms the cache
            measure(cursor, pid, "scan", rows, lambda: cursor.execute(f"SELECT count(*) {where}", params))
            measure(
                cursor,
                pid,
                "canonical (record_send)",
                rows,
                lambda: cursor.execute(f"SELECT sum(length({_CANONICAL})) {where}", params),
            )
            measure(
                cursor,
                pid,
                "2 × sha256() of 32 bytes",
                rows,
                lambda: cursor.execute(
                    f"SELECT count(*) FILTER (WHERE sha256(sha256(hash)) = hash) {where}", params
                ),
            )
            measure(
                cursor, pid, "hash statement (_HASH_SQL)", rows, lambda: cursor.execute(_HASH_SQL, params)
            )
            measure(
                cursor, pid, "link statement (_LINK_SQL)", rows, lambda: cursor.execute(_LINK_SQL, params)
            )
            result: list[tuple[int, int]] = []
            measure(  # noqa: B023 — called at once
                cursor,
                pid,
                "COPY binary + HMAC and links in Python",
                rows,
                lambda: result.append(copy_and_verify(cursor.cursor, low, high, params)),  # noqa: B023
            )
            assert result[-1] == (rows, 0), result
        report = verify_chain()
        print(
            f"verify_chain(), one connection per core: {report.rows:,} rows at {report.rate:,.0f} rows/s, ok={report.ok}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
