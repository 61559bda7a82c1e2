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
together with the change they describe. The price: audited transactions queue behind each other
from their first audit record until they commit, so long transactions should audit last.
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
from collections.abc import Sequence
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
    (seq, occurred_at, actor_id, actor_label, actor_functions, on_behalf_of, action, event,
     subject_kind, subject_id, object_type, object_id, category, ip_address, user_agent, basis,
     outcome, data, prev_hash) = values  # fmt: skip
    return b"".join(
        (
            _HEADER,
            _FORMAT_FIELD,
            _int8(seq),
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
            _bytea(prev_hash),
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

    No savepoint: when the append fails, the caller's transaction must not commit without it.
    """
    if not entries:
        return
    with transaction.atomic(savepoint=False):
        state = locked_state()
        start = state.last_seq
        seq, previous = start, bytes(state.last_hash)
        for entry in entries:
            seq += 1
            entry.data = plain_json(entry.data)
            entry.seq, entry.prev_hash = seq, previous
            entry.hash = previous = seal(entry)
        _insert(entries)
        AuditChainState.objects.filter(pk=STATE_PK).update(last_seq=seq, last_hash=previous)
        if start // HEAD_INTERVAL != seq // HEAD_INTERVAL:
            AuditChainHead.objects.create(seq=seq, hash=previous, recorded_at=timezone.now())


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
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, last_hash = (last[0], bytes(last[1])) if last else (0, GENESIS)
        start = AuditChainState(pk=STATE_PK, last_seq=seq, last_hash=last_hash)
        AuditChainState.objects.bulk_create([start], ignore_conflicts=True)
        return AuditChainState.objects.select_for_update().get(pk=STATE_PK)


def record_head() -> AuditChainHead | None:
    """Write down the current end of the chain (for cron); ``None`` while the log is empty."""
    state = AuditChainState.objects.filter(pk=STATE_PK).values_list("last_seq", "last_hash").first()
    if state is None:
        state = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    if not state or state[0] == 0:
        return None
    return AuditChainHead.objects.create(seq=state[0], hash=bytes(state[1]), recorded_at=timezone.now())
