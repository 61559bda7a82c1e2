"""Pages that cost the same however many rows match (issue 12).

Django's :class:`~django.core.paginator.Paginator` counts every matching row on every page: over a
visible set of 100,000 employees that ``COUNT(*)`` costs more than the page. :class:`CappedPaginator`
counts at most ``cap + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``): below the cap the count
and the page numbers are exact; above it the list says "more than <cap>", offers the pages up to the
cap, and asks the user to search or filter for the rest (nobody pages through 4,000 pages). The
deepest page reachable costs an ``OFFSET`` of at most ``cap``, whatever the size of the book.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

#: Rows a list counts exactly (40 pages of 25).
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP

    @cached_property
    def _capped_count(self) -> int:
        rows: Any = self.object_list
        if hasattr(rows, "values"):  # a queryset: SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)
            return int(rows.order_by().values("pk")[: self.cap + 1].count())
        return len(rows[: self.cap + 1])

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        """The number of matching rows, at most ``cap``: see :attr:`capped`."""
        return min(self._capped_count, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than were counted: the last page shown is not the last row."""
        return self._capped_count > self.cap
