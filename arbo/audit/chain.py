"""The hash chain over the audit log: the canonical form of a row, its keyed hash, and appending.

Every row carries ``seq`` (its position: 1, 2, 3, ... without gaps), ``prev_hash`` (the hash of the
row before it; 32 zero bytes for row 1) and ``hash`` = HMAC-SHA256(``AUDIT_HMAC_KEY``, canonical
form). The canonical form includes ``prev_hash``, so each hash covers every row before it: changing,
inserting or deleting a row breaks the chain at that row, and without the key nobody can repair it.

Canonical form, version 1
-------------------------
The canonical form is PostgreSQL's binary encoding (``record_send``) of this row value::

    ROW('arbo.audit.v1'::text, seq::int8, occurred_at::timestamptz, actor_id::int8,
        actor_label::text, actor_functions::text, on_behalf_of::text, action::text, event::text,
        subject_kind::text, subject_id::int8, object_type::text, object_id::text, category::text,
        ip_address::inet, user_agent::text, basis::text, outcome::text, data::text,
        prev_hash::bytea)

That is: int32 field count (20), then for every field its uint32 type oid, int32 length (-1 for
NULL, then no bytes) and value, all big-endian:

- ``text`` (oid 25): the UTF-8 bytes;
- ``int8`` (oid 20): 8-byte signed integer;
- ``timestamptz`` (oid 1184): int8 microseconds since 2000-01-01 00:00:00 UTC;
- ``inet`` (oid 869): family (2 = IPv4, 3 = IPv6), prefix length (32 or 128), 0, address length
  (4 or 16), the address bytes;
- ``bytea`` (oid 17): the bytes;
- ``data`` is sent as ``text``: what PostgreSQL prints for the ``jsonb`` value (:func:`jsonb_text`).

Why this form: every field is length-prefixed and typed, so no value can run into the next and no
escaping is needed; timestamps and IP addresses are numbers, not text whose spelling could vary;
and PostgreSQL rebuilds it in one function call, at less than half the cost of a text form built
with ``concat()`` (measured: about 3 against 7.5 µs a row), which matters for verification in SQL
(:mod:`arbo.audit.verify`). Python writes the same bytes with :mod:`struct` (:func:`canonical`), so
SQLite works too. The first field names the version: a later format can be introduced without
invalidating old rows. ``id`` is not part of it: it is only the database key.

Appending
---------
:func:`append` numbers and hashes new rows while holding a row lock on the single
:class:`~arbo.audit.models.AuditChainState` row, inside the caller's transaction. The lock makes the
chain linear (two transactions can never both extend seq 41) and the rows commit or roll back
together with the change they describe. Transactions should audit last: a transaction holds the
lock from its first chained record until it commits.

Never waiting for the chain
---------------------------
On PostgreSQL an append does not queue behind another transaction that holds the lock: it takes
the state row with ``FOR UPDATE SKIP LOCKED``, and when someone else holds it (a page between its
audit record and its commit, whose WAL flush can take a while when a purge or an import writes
beside it; the sequencer linking a batch) the rows are inserted pending, exactly as a bulk writer's
below, and chained after the commit by the ``sequence_audit`` job. So no audited page waits for
another's commit. When the lock is free, as almost always, the rows are chained at once as above.
Measured in ``bench/purge_bench.py`` and ``bench/audit_stall.py`` (``docs/benchmarks.md``).

Chaining after commit (bulk writers)
------------------------------------
A bulk writer (the roster import: 100,000 records in one all-or-nothing transaction) would hold
that lock for seconds and stall every other user's audited page. Inside
:func:`chained_after_commit` an append takes no lock: its rows are inserted *pending* (``seq`` NULL,
``prev_hash`` empty) in the caller's transaction, so they still commit or roll back with the change,
and each carries a provisional seal, ``hash`` = HMAC of its canonical form with ``seq`` NULL and an
empty ``prev_hash``. After the commit :func:`sequence_pending` chains them in batches of
:data:`SEQUENCE_BATCH`, each batch a short transaction of its own holding the lock for tens of
milliseconds: it checks every row's provisional seal (a row inserted without the key is never
chained), gives it the next ``seq`` and ``prev_hash`` and its real hash. The trigger lets an UPDATE
set exactly those three columns of a pending row and nothing else. A writer that dies after its
commit leaves pending rows behind; the ``sequence_audit`` job (every minute) and ``verify_audit``
chain them, and the verifier reports rows left pending longer than :data:`PENDING_GRACE`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import json
import math
import struct
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from arbo.audit.models import AuditChainHead, AuditChainState, AuditEvent

FORMAT = "arbo.audit.v1"
GENESIS = bytes(32)
HEAD_INTERVAL = 10_000  # a chain head is recorded whenever an append crosses a multiple of this
STATE_PK = 1
SEQUENCE_BATCH = 100  # pending rows chained per short transaction: the most a page waits for the lock
READ_CHUNK = 5_000  # pending rows read (and their seals checked) per query, outside the lock
_SEQUENCER_LOCK = 0x61756469  # advisory lock key ("audi"): one sequencer at a time
PENDING_GRACE = dt.timedelta(minutes=15)  # verify_audit reports rows pending longer than this

# The row's fields in canonical order, after the format name; ``hash`` is the only field left out.
FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_functions",
    "on_behalf_of",
    "action",
    "event",
    "subject_kind",
    "subject_id",
    "object_type",
    "object_id",
    "category",
    "ip_address",
    "user_agent",
    "basis",
    "outcome",
    "data",
    "prev_hash",
)

_TEXT, _INT8, _TIMESTAMPTZ, _INET, _BYTEA = 25, 20, 1184, 869, 17
_PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_HEADER = struct.pack(">i", len(FIELDS) + 1)
_FIELD = struct.Struct(">Ii")
_INT8_FIELD = struct.Struct(">Iiq")
_FORMAT_FIELD = _FIELD.pack(_TEXT, len(FORMAT)) + FORMAT.encode()


# --- canonical form ----------------------------------------------------------------------------


def canonical(entry: Any) -> bytes:
    """The canonical form of an :class:`AuditEvent` (or anything with its attributes)."""
    return canonical_values([getattr(entry, name) for name in FIELDS])


def canonical_values(values: Sequence[Any]) -> bytes:
    """The canonical form of one row's values, given in :data:`FIELDS` order."""
    return _assemble(values[0], _middle(values[1:-1]), values[-1])


def _assemble(seq: int | None, middle: bytes, prev_hash: bytes | memoryview) -> bytes:
    """The canonical form from its three parts: ``seq``, the fields between, and ``prev_hash``."""
    return b"".join((_HEADER, _FORMAT_FIELD, _int8(seq), middle, _bytea(prev_hash)))


def _middle(values: Sequence[Any]) -> bytes:
    """The canonical form of the fields between ``seq`` and ``prev_hash`` (:data:`FIELDS` [1:-1]):
    what a pending row's provisional seal and its final hash have in common."""
    (occurred_at, actor_id, actor_label, actor_functions, on_behalf_of, action, event,
     subject_kind, subject_id, object_type, object_id, category, ip_address, user_agent, basis,
     outcome, data) = values  # fmt: skip
    return b"".join(
        (
            _timestamp(occurred_at),
            _int8(actor_id),
            _text(actor_label),
            _text(actor_functions),
            _text(on_behalf_of),
            _text(action),
            _text(event),
            _text(subject_kind),
            _int8(subject_id),
            _text(object_type),
            _text(object_id),
            _text(category),
            _inet(ip_address),
            _text(user_agent),
            _text(basis),
            _text(outcome),
            _text(jsonb_text(data)),
        )
    )


def _text(value: Any) -> bytes:
    raw = str(value).encode()
    return _FIELD.pack(_TEXT, len(raw)) + raw


def _int8(value: int | None) -> bytes:
    return _FIELD.pack(_INT8, -1) if value is None else _INT8_FIELD.pack(_INT8, 8, value)


def _timestamp(value: dt.datetime) -> bytes:
    return _INT8_FIELD.pack(_TIMESTAMPTZ, 8, (value - _PG_EPOCH) // _MICROSECOND)


def _inet(value: str | None) -> bytes:
    if value is None:
        return _FIELD.pack(_INET, -1)
    address = ipaddress.ip_address(value)
    family = 2 if address.version == 4 else 3
    body = bytes((family, address.max_prefixlen, 0, len(address.packed))) + address.packed
    return _FIELD.pack(_INET, len(body)) + body


def _bytea(value: bytes | memoryview) -> bytes:
    raw = bytes(value)
    return _FIELD.pack(_BYTEA, len(raw)) + raw


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x20)} | {
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}


def jsonb_text(value: Any) -> str:
    """``value`` printed exactly as PostgreSQL prints it as ``jsonb`` (``data::text``).

    jsonb orders object keys by their length in bytes, then bytewise; separates with ", " and ": ";
    escapes only quote, backslash and control characters; and prints numbers as ``numeric`` does
    (no exponent). ``value`` must already be plain JSON (see :func:`plain_json`).
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return '"' + value.translate(_JSON_ESCAPES) + '"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _numeric_text(value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return "{" + ", ".join(f"{jsonb_text(key)}: {jsonb_text(value[key])}" for key in keys) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(jsonb_text(item) for item in value) + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _numeric_text(value: float) -> str:
    # json.dumps writes repr(value); PostgreSQL reads that as numeric and prints it without exponent.
    if not math.isfinite(value):
        raise ValueError("audit data cannot hold NaN or infinity")
    if value == 0:
        return "0.0"  # numeric has no negative zero
    return format(Decimal(repr(value)), "f")


def plain_json(data: Any) -> Any:
    """``data`` as it will read back from the database: tuples become lists, keys become strings."""
    return json.loads(json.dumps(data)) if data else {}


# --- keyed hash ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def hmac_pads(key: str) -> tuple[bytes, bytes]:
    """The inner and outer HMAC-SHA256 key blocks (RFC 2104) for ``key``.

    Hashing ``ipad || message`` and then ``opad || inner digest`` is HMAC-SHA256; the SQL
    verifier receives the two blocks as parameters and needs nothing but ``sha256()``.
    """
    raw = key.encode()
    if len(raw) > 64:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in raw), bytes(b ^ 0x5C for b in raw)


@functools.lru_cache(maxsize=4)
def _hash_states(key: str) -> tuple[Any, Any]:
    inner, outer = hmac_pads(key)
    return hashlib.sha256(inner), hashlib.sha256(outer)


def keyed_hash(message: bytes) -> bytes:
    """HMAC-SHA256 under ``AUDIT_HMAC_KEY``, from precomputed pad states (a third of hmac.digest)."""
    inner_state, outer_state = _hash_states(settings.AUDIT_HMAC_KEY)
    inner = inner_state.copy()
    inner.update(message)
    outer = outer_state.copy()
    outer.update(inner.digest())
    return outer.digest()


def seal(entry: Any) -> bytes:
    """The hash ``entry`` must carry: HMAC over its canonical form (which holds ``prev_hash``)."""
    return keyed_hash(canonical(entry))


# --- appending -----------------------------------------------------------------------------------


def append(entries: Sequence[AuditEvent]) -> None:
    """Number, link, hash and insert ``entries``, in the caller's transaction when there is one.

    Inside :func:`chained_after_commit` the rows are inserted pending instead (no lock).
    No savepoint: when the append fails, the caller's transaction must not commit without it.
    """
    if not entries:
        return
    if getattr(connection, _DEFERRING, 0):
        _append_pending(entries)
        return
    with transaction.atomic(savepoint=False):
        state = _state_unless_busy()
        if state is None:
            # Another transaction holds the chain (a page committing, the sequencer): do not queue
            # behind it. The rows go in pending, as a bulk writer's do, and are chained after the
            # commit by the sequence_audit job (see "Never waiting for the chain" above).
            _append_pending(entries)
            return
        for entry in entries:
            entry.data = plain_json(entry.data)
        _link(entries, state)
        _insert(entries)


def _state_unless_busy() -> AuditChainState | None:
    """The chain state locked for this transaction, or ``None`` on PostgreSQL when another
    transaction holds it (``SKIP LOCKED``: no wait). A transaction that already holds it gets it
    again. SQLite runs one writer at a time: there it is always taken."""
    if connection.vendor == "postgresql":
        state = AuditChainState.objects.select_for_update(skip_locked=True).filter(pk=STATE_PK).first()
        if state is not None:
            return state
        if AuditChainState.objects.filter(pk=STATE_PK).exists():
            return None  # it exists, so it is locked by someone else
    return locked_state()


def _link(entries: Sequence[AuditEvent], state: AuditChainState) -> None:
    """Give ``entries`` the next positions after the locked ``state``; move the state (and record a
    head when a multiple of :data:`HEAD_INTERVAL` is crossed). The rows are written by the caller."""
    start = state.last_seq
    seq, previous = start, bytes(state.last_hash)
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = previous = seal(entry)
    _advance(start, seq, previous)
    state.last_seq, state.last_hash = seq, previous


def _advance(start: int, seq: int, last_hash: bytes) -> None:
    """Move the chain state from ``start`` to ``seq``; record a head when a multiple of
    :data:`HEAD_INTERVAL` is crossed."""
    AuditChainState.objects.filter(pk=STATE_PK).update(last_seq=seq, last_hash=last_hash)
    if start // HEAD_INTERVAL != seq // HEAD_INTERVAL:
        AuditChainHead.objects.create(seq=seq, hash=last_hash, recorded_at=timezone.now())


# --- chaining after commit --------------------------------------------------------------------

_DEFERRING = "arbo_audit_chained_after_commit"


@contextmanager
def chained_after_commit(then: Callable[[], Any] | None = None) -> Iterator[None]:
    """Appends in this block take no chain lock: their rows are inserted pending, in the caller's
    transaction, and chained by :func:`sequence_pending` once it commits (see the module docs) —
    or by ``then``, called after the commit instead (a worker task hands the chaining to another
    task so that it finishes at once).

    For bulk writers only: a page's few records are chained at once, as before."""
    depth = getattr(connection, _DEFERRING, 0)
    setattr(connection, _DEFERRING, depth + 1)
    try:
        yield
    finally:
        setattr(connection, _DEFERRING, depth)
    # Registered once per block, after its rows exist; dropped when the transaction rolls back,
    # run at once when there is no transaction. A failure here must not fail the committed change:
    # the sequence_audit job chains what is left.
    transaction.on_commit(then or sequence_pending, robust=True)


def provisional_seal(entry: Any) -> bytes:
    """The seal of a pending row: the HMAC of its canonical form with ``seq`` NULL and no prev_hash."""
    seq, prev_hash = entry.seq, entry.prev_hash
    entry.seq, entry.prev_hash = None, b""
    try:
        return seal(entry)
    finally:
        entry.seq, entry.prev_hash = seq, prev_hash


def _append_pending(entries: Sequence[AuditEvent]) -> None:
    for entry in entries:
        entry.data = plain_json(entry.data)
        entry.seq, entry.prev_hash = None, b""
        entry.hash = seal(entry)
    _insert(entries)


def sequence_pending(*, batch: int | None = None) -> int:
    """Chain every committed pending row, oldest ``id`` first, ``batch`` rows per transaction;
    returns how many were chained. Rows whose provisional seal is wrong stay pending (and
    ``verify_audit`` reports them once they are older than :data:`PENDING_GRACE`).

    One sequencer at a time (a PostgreSQL advisory lock; another one returns at once, the rows it
    would have chained are this one's). Rows are read and their seals checked
    :data:`READ_CHUNK` at a time before the chain lock is taken; under the lock only the HMACs of
    the links (microseconds a row) and one UPDATE, so other appends wait for that only."""
    batch = batch or SEQUENCE_BATCH
    chained, after = 0, 0
    with _only_sequencer() as alone:
        while alone:
            rows = list(
                pending_rows()
                .filter(id__gt=after)
                .order_by("id")
                .values_list("id", *FIELDS[1:-1], "hash")[:READ_CHUNK]
            )
            if not rows:
                break
            after = rows[-1][0]
            genuine = []
            for row in rows:
                middle = _middle(row[1:-1])
                if keyed_hash(_assemble(None, middle, b"")) == bytes(row[-1]):
                    genuine.append((row[0], middle))
            for start in range(0, len(genuine), batch):
                started = time.monotonic()
                chained += _chain(genuine[start : start + batch])
                # Leave the lock free at least as long as this batch held it: a backlog of 100,000
                # rows must not keep the other appends waiting batch after batch.
                time.sleep(time.monotonic() - started)
    return chained


@contextmanager
def _only_sequencer() -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True  # SQLite runs one writer at a time anyway
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_SEQUENCER_LOCK])
        (alone,) = cursor.fetchone()
    try:
        yield alone
    finally:
        if alone:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_SEQUENCER_LOCK])


def _chain(rows: Sequence[tuple[int, bytes]]) -> int:
    """Link prepared pending rows (id, middle of the canonical form) under the chain lock."""
    with transaction.atomic():
        start, previous = _lock_for_sequencing()
        seq = start
        links = []
        for pk, middle in rows:
            seq += 1
            value = keyed_hash(_assemble(seq, middle, previous))
            links.append((pk, seq, previous, value))
            previous = value
        _write_links(links)
        _advance(start, seq, previous)
    return len(links)


def _lock_for_sequencing() -> tuple[int, bytes]:
    """The chain state, locked; on PostgreSQL in the same round trip the commit is made not to wait
    for the WAL flush (the lock is released at commit). Safe: a crash loses at most these links,
    their rows are pending again, and WAL keeps every later commit after them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_seq, last_hash, set_config('synchronous_commit', 'off', true) "
                "FROM audit_auditchainstate WHERE id = %s FOR UPDATE",
                [STATE_PK],
            )
            found = cursor.fetchone()
        if found is not None:
            return found[0], bytes(found[1])
    state = locked_state()
    return state.last_seq, bytes(state.last_hash)


def _write_links(links: Sequence[tuple[int, int, bytes, bytes]]) -> None:
    """Set (seq, prev_hash, hash) of pending rows by id: one statement on PostgreSQL (by primary
    key: a test of ``seq IS NULL`` would walk the pending index with its dead entries). A row that
    is no longer pending fails the transaction (the trigger, or the count on SQLite)."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for pk, seq, prev_hash, value in links:
                cursor.execute(
                    f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s AND seq IS NULL",  # noqa: S608
                    [seq, prev_hash, value, pk],
                )
                if cursor.rowcount != 1:
                    raise RuntimeError(f"audit row {pk} was chained by someone else")
            return
        cursor.execute(
            f"UPDATE {table} AS e SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[], %s::bytea[]) AS v(id, seq, prev_hash, hash) "
            "WHERE e.id = v.id",
            [list(column) for column in zip(*links, strict=True)],
        )
        if cursor.rowcount != len(links):
            raise RuntimeError("pending audit rows disappeared while they were chained")


def pending_rows() -> Any:
    """The committed rows not yet chained."""
    return AuditEvent.objects.filter(seq__isnull=True)


def chained_rows() -> Any:
    """The rows in the chain. Use it to find the chain's ends: PostgreSQL sorts NULL first in a
    descending order, so ``order_by("-seq").first()`` over all rows can be a pending row."""
    return AuditEvent.objects.filter(seq__isnull=False)


def _insert(entries: Sequence[AuditEvent]) -> None:
    """One row: a plain INSERT. Several on PostgreSQL: COPY, a fraction of a multi-row INSERT's cost
    per row (a 25-row list view, or a roster import's thousands of records)."""
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    elif connection.vendor == "postgresql":
        _copy(entries)
    else:
        AuditEvent.objects.bulk_create(entries, batch_size=1000)


def _copy(entries: Sequence[AuditEvent]) -> None:
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    data = fields.index(AuditEvent._meta.get_field("data"))
    sql = f"COPY {table} ({columns}) FROM STDIN"
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for entry in entries:
            row = [getattr(entry, field.attname) for field in fields]
            row[data] = json.dumps(row[data])
            copy.write_row(row)
    if connection.queries_logged:
        # COPY bypasses Django's cursor wrapper; log it as the one statement it is, so that query
        # counts (CaptureQueriesContext, the constant-query tests) see it as they see an INSERT.
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def locked_state() -> AuditChainState:
    """The chain state, locked until the end of the transaction; created when missing.

    It is missing after ``flush`` (tests). It then continues from the last row of the log, so a
    lost state row never forks the chain (``seq`` is unique besides).
    """
    try:
        return AuditChainState.objects.select_for_update().get(pk=STATE_PK)
    except AuditChainState.DoesNotExist:
        last = chained_rows().order_by("-seq").values_list("seq", "hash").first()
        seq, last_hash = (last[0] or 0, bytes(last[1])) if last else (0, GENESIS)
        start = AuditChainState(pk=STATE_PK, last_seq=seq, last_hash=last_hash)
        AuditChainState.objects.bulk_create([start], ignore_conflicts=True)
        return AuditChainState.objects.select_for_update().get(pk=STATE_PK)


def record_head() -> AuditChainHead | None:
    """Write down the current end of the chain (for cron); ``None`` while the log is empty."""
    state = AuditChainState.objects.filter(pk=STATE_PK).values_list("last_seq", "last_hash").first()
    if state is None:
        last = chained_rows().order_by("-seq").values_list("seq", "hash").first()
        state = (last[0] or 0, last[1]) if last else None
    if not state or state[0] == 0:
        return None
    return AuditChainHead.objects.create(seq=state[0], hash=bytes(state[1]), recorded_at=timezone.now())
