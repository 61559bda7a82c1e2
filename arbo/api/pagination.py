"""Paging of the employer API's lists (issue 12).

Kept apart from the views: DRF's settings name :class:`KeysetPagination` as the default, and
``rest_framework.generics`` loads it while the views are still importing it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


def bounded_integer(request: Request, name: str, minimum: int, maximum: int) -> int | None:
    """Query parameter ``name`` as an integer in [minimum, maximum], None when absent, else a 400."""
    text = request.query_params.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or not minimum <= int(text) <= maximum:
        raise ValidationError(
            {
                name: [
                    _("Geef een geheel getal van %(minimum)d tot en met %(maximum)d.")
                    % {"minimum": minimum, "maximum": maximum}
                ]
            }
        )
    return int(text)


class KeysetPagination(CursorPagination):
    """Keyset paging of the API's lists (issue 12): ``limit`` rows after the ``cursor``.

    An employer's employees and cases grow without end. ``limit``/``offset`` paging counted every
    one of them for its ``count`` (100,000 employees in the 200,000-employee bench book: 7x the
    small book's cost) and read ``offset`` rows to skip them. A cursor names the last row seen
    (its id): every page costs the same, however deep, and a row added while a client pages
    through is never skipped or seen twice. Clients follow ``next`` until it is ``null``.
    DRF's own would answer a malformed cursor with 404 and a bad page size with the default; here
    each is a 400 naming the parameter, and the schema gives the ranges.
    """

    ordering = "id"
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 500

    def get_page_size(self, request: Any) -> int:
        size = bounded_integer(request, self.page_size_query_param, 1, self.max_page_size)
        return self.page_size if size is None else size

    def decode_cursor(self, request: Any) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor, valid = None, False
        else:  # the position is a row id: digits, within a bigint
            position = None if cursor is None or cursor.position is None else str(cursor.position)
            valid = position is None or (position.isascii() and position.isdigit() and len(position) <= 18)
        if not valid:
            raise ValidationError(
                {"cursor": [_("Ongeldige cursor: gebruik de link uit 'next' of 'previous'.")]}
            )
        return cursor

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "limit":
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters
