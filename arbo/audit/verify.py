"""Verifying the audit chain: every row's hash, every link, no gaps, the start, the end and the heads.

What is checked, and what each failure means:

- every row's ``hash`` is the HMAC of its canonical form: otherwise the row was changed (or
  inserted by someone without the key);
- ``seq`` has no gaps: otherwise rows were deleted;
- every ``prev_hash`` is the ``hash`` of the row before: otherwise a row was replaced or inserted;
- the first row links to the genesis hash (seq 1) or to the anchor of a recorded purge;
- the last row is where the chain state says the chain ends, and no recorded head (nor one kept
  outside the database and passed in) lies beyond it or differs from its row: otherwise the tail
  was truncated;
- no row has stayed pending (committed by a bulk writer, not yet chained: ``seq`` NULL) longer than
  :data:`arbo.audit.chain.PENDING_GRACE`: the sequencer chains them within seconds, so an old
  pending row was inserted without the key (its provisional seal is wrong) or the sequencer is not
  running. ``manage.py verify_audit`` and the nightly job chain what is pending first.

Two scanners compute the same thing. On PostgreSQL the rows never leave the database: per range
of ``seq`` one statement rebuilds the canonical form with ``record_send`` and the HMAC with two
``sha256`` calls (the key's pad blocks come in as parameters, the key itself never reaches the
database), a second checks links and gaps with ``lag()``; both return only counts and the first
bad ``seq``. Ranges run on several connections at once (one per core by default). The
Python scanner (SQLite, or ``--python``) walks the rows with :func:`arbo.audit.chain.canonical_values`.

Consistency while appends go on: the heads are read first, then the chain state and the range of
``seq`` in one statement; rows appended later are outside that range and not looked at. Appends
commit in ``seq`` order (they hold the chain lock until commit), so every row up to the snapshot's
last ``seq`` is committed and visible to the scanning connections. Do not purge while verifying.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from arbo.audit import chain
from arbo.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent

RANGE_ROWS = 250_000  # rows per SQL statement: small enough to share out, large enough to amortise

_SNAPSHOT_SQL = """
SELECT (SELECT last_seq FROM audit_auditchainstate WHERE id = %s),
       (SELECT last_hash FROM audit_auditchainstate WHERE id = %s),
       (SELECT min(seq) FROM audit_auditevent),
       (SELECT max(seq) FROM audit_auditevent)
"""

# Per range of seq, two statements: rebuilding every hash (the canonical form of chain.py, built by
# PostgreSQL; keep the two in step), and the links and gaps. Apart they run a third faster than as
# one statement, where the window function has to carry the wide rows along.
_HASH_SQL = """
SELECT count(*), min(seq), max(seq),
       min(seq) FILTER (WHERE hash <> sha256(%(opad)s::bytea || sha256(%(ipad)s::bytea || record_send(ROW(
           %(format)s::text, seq::int8, occurred_at::timestamptz, actor_id::int8,
           actor_label::text, actor_functions::text, on_behalf_of::text, action::text,
           event::text, subject_kind::text, subject_id::int8, object_type::text,
           object_id::text, category::text, ip_address::inet, user_agent::text, basis::text,
           outcome::text, data::text, prev_hash::bytea
       )))))
FROM audit_auditevent
WHERE seq BETWEEN %(low)s AND %(high)s
"""

_LINK_SQL = """
SELECT min(seq) FILTER (WHERE seq <> previous_seq + 1),
       min(seq) FILTER (WHERE seq = previous_seq + 1 AND prev_hash <> previous_hash)
FROM (
    SELECT seq, prev_hash, lag(seq) OVER by_seq AS previous_seq, lag(hash) OVER by_seq AS previous_hash
    FROM audit_auditevent
    WHERE seq BETWEEN %(low)s AND %(high)s
    WINDOW by_seq AS (ORDER BY seq)
) AS linked
"""


@dataclass(frozen=True, order=True)
class Problem:
    """A broken link: the ``seq`` where the chain breaks, and what the break means."""

    seq: int
    description: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.description}"


@dataclass
class Segment:
    """What a scan of one range of ``seq`` found; ranges are stitched together afterwards."""

    rows: int
    first_seq: int
    last_seq: int
    first_prev_hash: bytes
    last_hash: bytes
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Report:
    """The outcome of :func:`verify_chain`."""

    method: str
    rows: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    heads: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return min(self.problems) if self.problems else None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def verify_chain(
    *, python: bool = False, jobs: int | None = None, external_heads: Iterable[tuple[int, bytes]] = ()
) -> Report:
    """Verify the whole chain. ``external_heads`` are (seq, hash) pairs kept outside the database."""
    started = time.perf_counter()
    method = "python" if python or connection.vendor != "postgresql" else "postgresql"
    heads = [
        (seq, bytes(value), kind)
        for seq, value, kind in AuditChainHead.objects.values_list("seq", "hash", "kind")
    ]
    heads += [(seq, value, AuditChainHead.Kind.HEAD) for seq, value in external_heads]
    state_seq, state_hash, low, high = _snapshot()
    report = Report(method=method, first_seq=low, last_seq=high)
    segments = _scan(method, low, high, jobs) if low is not None and high is not None else []
    report.rows = sum(segment.rows for segment in segments)
    report.heads = sum(1 for head in heads if head[2] == AuditChainHead.Kind.HEAD)
    report.problems = [problem for segment in segments for problem in segment.problems]
    report.problems += _stitch(segments)
    if segments:
        anchors = {seq: value for seq, value, kind in heads if kind == AuditChainHead.Kind.PURGE}
        report.problems += _check_start(segments[0], anchors)
    report.problems += _check_end(segments[-1] if segments else None, state_seq, state_hash)
    report.problems += _check_heads(heads, low, high or 0)
    report.problems += check_pending()
    report.seconds = time.perf_counter() - started
    return report


def _snapshot() -> tuple[int | None, bytes | None, int | None, int | None]:
    """Chain state and the range of ``seq``, read in one statement so that they agree."""
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_SQL, [chain.STATE_PK, chain.STATE_PK])
        state_seq, state_hash, low, high = cursor.fetchone()
    return state_seq, bytes(state_hash) if state_hash is not None else None, low, high


def _ranges(low: int, high: int) -> list[tuple[int, int]]:
    return [(start, min(start + RANGE_ROWS - 1, high)) for start in range(low, high + 1, RANGE_ROWS)]


def _scan(method: str, low: int, high: int, jobs: int | None) -> list[Segment]:
    ranges = _ranges(low, high)
    scanner = _scan_range_sql if method == "postgresql" else _scan_range_python
    # Rows not yet committed are visible only to this connection (tests run inside a transaction).
    jobs = 1 if connection.in_atomic_block or method == "python" else (jobs or os.cpu_count() or 1)
    if jobs <= 1:
        with transaction.atomic():
            _one_process_per_statement(connection, method, local=True)
            found = [scanner(connection, *bounds) for bounds in ranges]
    else:
        shares = [ranges[index::jobs] for index in range(jobs)]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            found = list(itertools.chain.from_iterable(pool.map(_share_worker(scanner, method), shares)))
    return sorted(
        (segment for segment in found if segment is not None), key=lambda segment: segment.first_seq
    )


def _share_worker(
    scanner: Callable[..., Segment | None], method: str
) -> Callable[[list[tuple[int, int]]], list[Any]]:
    """Scan a share of the ranges on a connection of its own (one per thread)."""

    def work(share: list[tuple[int, int]]) -> list[Any]:
        own = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            _one_process_per_statement(own, method, local=False)
            return [scanner(own, *bounds) for bounds in share]
        finally:
            own.close()

    return work


def _one_process_per_statement(database: Any, method: str, *, local: bool) -> None:
    """No parallel workers of PostgreSQL's own: ``--jobs`` connections are all the parallelism.

    Otherwise PostgreSQL adds workers to the hash statement of every connection, ``--jobs 1`` is not
    one core and a 2-core machine runs six processes. Measured on 2 cores: two connections without
    workers 230-250k rows/s, one connection with two workers about 200k, one without 135k.
    """
    if method == "postgresql":
        with database.cursor() as cursor:
            cursor.execute(f"SET {'LOCAL ' if local else ''}max_parallel_workers_per_gather = 0")


def _scan_range_sql(database: Any, low: int, high: int) -> Segment | None:
    inner, outer = chain.hmac_pads(_key())
    parameters = {"ipad": inner, "opad": outer, "format": chain.FORMAT, "low": low, "high": high}
    with database.cursor() as cursor:
        cursor.execute(_HASH_SQL, parameters)
        rows, first_seq, last_seq, bad_hash = cursor.fetchone()
        if not rows:
            return None
        cursor.execute(_LINK_SQL, {"low": low, "high": high})
        gap, bad_link = cursor.fetchone()
        cursor.execute(
            "SELECT seq, prev_hash, hash FROM audit_auditevent WHERE seq IN (%s, %s)", [first_seq, last_seq]
        )
        ends = {seq: (bytes(prev_hash), bytes(value)) for seq, prev_hash, value in cursor.fetchall()}
    segment = Segment(rows, first_seq, last_seq, ends[first_seq][0], ends[last_seq][1])
    segment.problems = _row_problems(database, bad_hash, gap, bad_link)
    return segment


def _scan_range_python(database: Any, low: int, high: int) -> Segment | None:
    queryset = AuditEvent.objects.using(database.alias).filter(seq__gte=low, seq__lte=high).order_by("seq")
    rows = 0
    bad_hash = gap = bad_link = None
    first: Sequence[Any] = ()
    previous: Sequence[Any] = ()
    for row in queryset.values_list(*chain.FIELDS, "hash").iterator(chunk_size=5000):
        rows += 1
        seq, prev_hash, value = row[0], bytes(row[-2]), bytes(row[-1])
        if bad_hash is None and chain.keyed_hash(chain.canonical_values(row[:-1])) != value:
            bad_hash = seq
        if previous and seq != previous[0] + 1:
            gap = gap or seq
        elif previous and prev_hash != bytes(previous[-1]):
            bad_link = bad_link or seq
        first = first or row
        previous = row
    if not rows:
        return None
    segment = Segment(rows, first[0], previous[0], bytes(first[-2]), bytes(previous[-1]))
    segment.problems = _row_problems(database, bad_hash, gap, bad_link)
    return segment


def _key() -> str:
    return settings.AUDIT_HMAC_KEY


def _row_problems(
    database: Any, bad_hash: int | None, gap: int | None, bad_link: int | None
) -> list[Problem]:
    problems = []
    if bad_hash is not None:
        problems.append(Problem(bad_hash, "hash mismatch (row changed, or inserted without the key)"))
    if gap is not None:
        problems.append(_gap(database, gap))
    if bad_link is not None:
        problems.append(
            Problem(bad_link, f"prev_hash is not the hash of seq {bad_link - 1} (row replaced or inserted)")
        )
    return problems


def _gap(database: Any, seq: int) -> Problem:
    """Name the missing positions; asked on the scanning connection (threads must not open others)."""
    with database.cursor() as cursor:
        cursor.execute("SELECT max(seq) FROM audit_auditevent WHERE seq < %s", [seq])
        (before,) = cursor.fetchone()
    missing = f"{before + 1}..{seq - 1}" if before is not None else f"..{seq - 1}"
    return Problem(seq, f"gap before seq {seq}: seq {missing} missing (rows deleted)")


def _stitch(segments: Sequence[Segment]) -> list[Problem]:
    """The links between consecutive ranges, which no single range scan sees."""
    problems = []
    for before, after in itertools.pairwise(segments):
        if after.first_seq != before.last_seq + 1:
            problems.append(_gap(connection, after.first_seq))
        elif after.first_prev_hash != before.last_hash:
            problems.append(
                Problem(
                    after.first_seq,
                    f"prev_hash is not the hash of seq {before.last_seq} (row replaced or inserted)",
                )
            )
    return problems


def _check_start(first: Segment, anchors: dict[int, bytes]) -> list[Problem]:
    """Row 1 starts from the genesis hash; a later first row needs the anchor of a recorded purge."""
    if first.first_seq == 1:
        if first.first_prev_hash != chain.GENESIS:
            return [Problem(1, "the first row does not start from the genesis hash (row changed)")]
        return []
    anchor = anchors.get(first.first_seq - 1)
    if anchor is None:
        description = (
            f"chain starts at seq {first.first_seq} but no purge of seq 1..{first.first_seq - 1} was recorded"
        )
        return [Problem(first.first_seq, description + " (rows deleted)")]
    if anchor != first.first_prev_hash:
        return [
            Problem(first.first_seq, f"prev_hash differs from the purge anchor at seq {first.first_seq - 1}")
        ]
    return []


def _check_end(last: Segment | None, state_seq: int | None, state_hash: bytes | None) -> list[Problem]:
    """The log ends where the chain state says the chain ends."""
    end = last.last_seq if last else 0
    if state_seq is None:
        return [Problem(end + 1, "the chain state is missing (deleted)")] if last else []
    if state_seq > end:
        return [
            Problem(
                end + 1,
                f"chain ends at seq {end} but the chain state records seq {state_seq} (tail truncated)",
            )
        ]
    if state_seq < end:
        return [
            Problem(
                state_seq + 1, f"rows after seq {state_seq} were not appended through the chain (inserted)"
            )
        ]
    if last and state_hash != last.last_hash:
        return [Problem(end, "hash differs from the chain state (row changed)")]
    return []


def check_pending(now: Any = None) -> list[Problem]:
    """Rows pending longer than the grace: never chained, so the chain does not vouch for them."""
    bound = (now or timezone.now()) - chain.PENDING_GRACE
    stale = list(
        chain.pending_rows().filter(occurred_at__lt=bound).order_by("id").values_list("id", flat=True)[:1001]
    )
    if not stale:
        return []
    forged = sum(
        1
        for row in chain.pending_rows().filter(id__in=stale[:1000])
        if bytes(row.hash) != chain.provisional_seal(row)
    )
    end = chain.chained_rows().order_by("-seq").values_list("seq", flat=True).first() or 0
    count = f"{len(stale) - 1}+" if len(stale) > 1000 else str(len(stale))
    description = (
        f"{count} rows not chained for more than {chain.PENDING_GRACE} (first id {stale[0]}; "
        f"{forged} without a valid seal: inserted without the key)"
    )
    return [Problem(end + 1, description)]


def _check_heads(heads: Sequence[tuple[int, bytes, str]], low: int | None, high: int) -> list[Problem]:
    """Every recorded head still matches its row; none lies beyond the end of the log."""
    # Heads before the first row belong to purged rows; the purge anchor vouches for the start.
    recorded = [
        (seq, value) for seq, value, kind in heads if kind == AuditChainHead.Kind.HEAD and seq >= (low or 0)
    ]
    beyond = [seq for seq, _ in recorded if seq > high]
    problems = []
    if beyond:
        description = (
            f"chain ends at seq {high} but a head was recorded at seq {max(beyond)} (tail truncated)"
        )
        problems.append(Problem(high + 1, description))
    within = sorted({seq for seq, _ in recorded if seq <= high})
    stored: dict[int, bytes] = {}
    for start in range(0, len(within), 1000):
        rows = AuditEvent.objects.filter(seq__in=within[start : start + 1000]).values_list("seq", "hash")
        stored |= {seq: bytes(value) for seq, value in rows if seq is not None}
    for seq, value in recorded:
        if seq <= high and seq not in stored:
            problems.append(Problem(seq, "the row of a recorded head is missing (row deleted)"))
        elif seq <= high and stored[seq] != value:
            problems.append(Problem(seq, "hash differs from the head recorded for it (row changed)"))
    return problems


def verify_incremental(*, python: bool = False, jobs: int | None = None) -> Report:
    """Verify only what was appended since the last checkpoint, then checkpoint the new end.

    A checkpoint (:class:`~arbo.audit.models.AuditCheckpoint`) is a position a verification
    reached with the chain intact: its ``seq`` and that row's hash. From there the new rows are
    checked as :func:`verify_chain` checks all rows (hashes, links, gaps, the end, the heads among
    them), the first new row must link to the checkpoint's hash, and the checkpoint's row must
    still carry it. The daily cost grows with the new rows only; a change to an older row is found
    by the full :func:`verify_chain` (``manage.py verify_audit``), which should still run now and
    then (weekly). Without a checkpoint this is a full verification.
    """

    checkpoint = AuditCheckpoint.objects.order_by("-seq").first()
    if checkpoint is None:
        report = verify_chain(python=python, jobs=jobs)
        _checkpoint(report)
        return report
    started = time.perf_counter()
    method = "python" if python or connection.vendor != "postgresql" else "postgresql"
    since, anchor = checkpoint.seq, bytes(checkpoint.hash)
    heads = [
        (seq, bytes(value), kind)
        for seq, value, kind in AuditChainHead.objects.filter(seq__gt=since).values_list(
            "seq", "hash", "kind"
        )
    ]
    state_seq, state_hash, low, high = _snapshot()
    report = Report(method=method, first_seq=since + 1, last_seq=high)
    kept = AuditEvent.objects.filter(seq=since).values_list("hash", flat=True).first()
    if kept is None or bytes(kept) != anchor:
        report.problems.append(Problem(since, "the row of the last checkpoint changed or is missing"))
    segments = _scan(method, since + 1, high, jobs) if high is not None and high > since else []
    report.rows = sum(segment.rows for segment in segments)
    report.problems += [problem for segment in segments for problem in segment.problems]
    report.problems += _stitch(segments)
    if segments:
        first = segments[0]
        if first.first_seq != since + 1:
            report.problems.append(_gap(connection, first.first_seq))
        elif first.first_prev_hash != anchor:
            report.problems.append(
                Problem(
                    first.first_seq, f"prev_hash is not the hash of checkpoint seq {since} (row replaced)"
                )
            )
        report.problems += _check_end(segments[-1], state_seq, state_hash)
    elif state_seq != since or state_hash != anchor:
        report.problems.append(Problem(since + 1, "the chain state differs from the last checkpoint"))
    report.problems += _check_heads(heads, since + 1, high or since)
    report.problems += check_pending()
    report.seconds = time.perf_counter() - started
    _checkpoint(report)
    return report


def _checkpoint(report: Report) -> None:
    """Record the end of an intact verification as the next starting point."""

    if not report.ok or report.last_seq is None:
        return
    last = AuditEvent.objects.filter(seq=report.last_seq).values_list("hash", flat=True).first()
    if last is not None:
        AuditCheckpoint.objects.get_or_create(
            seq=report.last_seq,
            defaults={"hash": bytes(last), "rows": report.rows, "verified_at": timezone.now()},
        )
