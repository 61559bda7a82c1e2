"""Bulk writes through PostgreSQL's COPY, for any model; elsewhere (SQLite) the ORM's bulk methods.

``bulk_create`` and ``bulk_update`` spend ~0.2 ms and ~1 ms per row in Python preparing values, too
slow for 100,000 rows; COPY takes the values as they are. This module knows nothing of the domain:
callers decide which instances and which fields to write.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

#: Rows per ``bulk_create`` / ``bulk_update`` round trip where COPY is not available.
BATCH_SIZE = 1000

#: Field types whose Python value psycopg writes as is; any other field prepares its own value
#: (an encrypted field encrypts in get_prep_value).
_PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BooleanField,
        models.CharField,
        models.DateField,
        models.DateTimeField,
        models.DecimalField,
        models.EmailField,
        models.ForeignKey,
        models.IntegerField,
        models.OneToOneField,
        models.PositiveIntegerField,
        models.TextField,
    }
)


def insert(model: Any, objs: list[Any]) -> None:
    """Insert new instances; afterwards each has its primary key, as after bulk_create."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    copy_rows(meta.db_table, list(meta.concrete_fields), objs, add=True)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def update(model: Any, objs: Iterable[Any], names: Iterable[str]) -> None:
    """Write the named fields of every instance (already set on the instances) by primary key."""
    objs, names = list(objs), sorted(set(names))
    if not objs or not names:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, names, batch_size=BATCH_SIZE)
        return
    meta, q = model._meta, connection.ops.quote_name
    fields = [meta.pk, *(meta.get_field(name) for name in names)]
    table, pk = q(meta.db_table), q(meta.pk.column)
    columns = ", ".join(q(f.column) for f in fields)
    assignments = ", ".join(f"{q(f.column)} = s.{q(f.column)}" for f in fields[1:])
    # Identifiers come from the model's own metadata, quoted; every value goes through COPY.
    create = f"CREATE TEMP TABLE pgcopy_changes AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
    statement = f"UPDATE {table} AS t SET {assignments} FROM pgcopy_changes AS s WHERE t.{pk} = s.{pk}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(create)
        try:
            copy_rows("pgcopy_changes", fields, objs, add=False)
            cursor.execute(statement)
        finally:
            cursor.execute("DROP TABLE pgcopy_changes")


def copy_rows(table: str, fields: list[Any], objs: Iterable[Any], *, add: bool) -> None:
    """COPY the given fields of each instance into ``table`` (PostgreSQL only)."""
    readers = [_reader(field, add) for field in fields]
    q = connection.ops.quote_name
    statement = f"COPY {q(table)} ({', '.join(q(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for obj in objs:
            copy.write_row([read(obj) for read in readers])


def _reader(field: Any, add: bool) -> Callable[[Any], Any]:
    if getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False)):
        return lambda obj: field.pre_save(obj, add)
    if type(field) in _PLAIN_FIELDS:
        return operator.attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, field.attname), connection)


def insert_binary(model: Any, names: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows of plain values (in ``names`` order; the primary key from its default) through
    COPY in PostgreSQL's binary format, one row at a time as ``rows`` yields them: for large binary
    values, which the text format sends as hex and the server parses back (1 MiB chunks: 60 ms for
    17 MiB against 300 ms in text or as parameters). Elsewhere (SQLite) one ``create`` per row."""
    fields = [model._meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        for row in rows:
            model.objects.create(**{field.attname: value for field, value in zip(fields, row, strict=True)})
        return
    q = connection.ops.quote_name
    columns = ", ".join(q(field.column) for field in fields)
    statement = f"COPY {q(model._meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types([field.db_type(connection) for field in fields])
        for row in rows:
            copy.write_row(row)
