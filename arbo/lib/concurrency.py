"""Optimistic concurrency: a form carries the version it was opened on; a stale save changes nothing.

Two people correcting the same sick report, or a doctor and a colleague editing the same advice,
must not silently overwrite each other. Each edit form carries a token of what its author saw
(a hash of the values, a version number or the last change time); the domain function compares it
with the current one inside the transaction, under the row lock, and refuses with
:class:`StaleEdit` when someone else saved in between. The view then shows the current values.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from arbo.lib.errors import DomainError


class StaleEdit(DomainError):
    """Someone else saved this since the form was opened; nothing was changed."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Dit is gewijzigd door iemand anders sinds je het opende. Er is niets opgeslagen; "
                "hieronder staan de huidige gegevens."
            )
        )


def _plain(value: Any) -> Any:
    # A choice as an enum member (fresh instance) and as a string (loaded row) is the same value.
    return value.value if isinstance(value, enum.Enum) else value


def values_token(instance: Any, fields: Iterable[str]) -> str:
    """A short hash of ``instance``'s values of ``fields``: changes when any of them changes."""
    text = "\x1f".join(f"{name}={_plain(getattr(instance, name))!r}" for name in sorted(fields))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def check(expected: str | None, current: str) -> None:
    """Raise :class:`StaleEdit` when the form's token ``expected`` is not the current one.

    ``None`` (no token sent, e.g. an API call or an old form) skips the check.
    """
    if expected is not None and expected != current:
        raise StaleEdit()
