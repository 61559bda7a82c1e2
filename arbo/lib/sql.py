"""Small query helpers for PostgreSQL plans (issue 12)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists

#: A set of rows at least this large is checked row by row (:class:`PerRowExists`); a smaller one
#: is read first as a list of ids (``IN (…)``). One capped count decides (issue 12).
LARGE_SET = 5_000


def at_least(rows: Any, size: int) -> bool:
    """Does ``rows`` (a queryset, best of one indexed column) hold ``size`` rows or more?

    One capped count, ``SELECT COUNT(*) FROM (… LIMIT size)``, costs the same at any size of the book.
    """
    return bool(rows.order_by()[:size].count() >= size)


class PerRowExists(Exists):
    """``EXISTS (…)`` that PostgreSQL checks row by row with an index, never by hashing the whole subquery.

    PostgreSQL may turn a correlated ``EXISTS`` into a hashed subplan: it reads *every* row the
    subquery could match (100,000 employments of a large employer) before the first outer row,
    although a page ordered by name needs only a few dozen outer rows. ``OFFSET 0`` in the
    subquery is the documented fence that keeps it a per-row check. Other databases get a plain
    ``EXISTS``.
    """

    def as_sql(self, compiler: Any, connection: Any, template: str | None = None, **extra: Any) -> Any:
        sql, params = super().as_sql(compiler, connection, template, **extra)  # type: ignore[call-arg]
        if connection.vendor == "postgresql" and sql.endswith(")"):
            sql = f"{sql[:-1]} OFFSET 0)"
        return sql, params
