"""A request-scoped memo for access decisions: a page asks the policy many times and pays once.

Each request opens a scope (the ``request_started`` signal, as the matrix's memo does); inside it :func:`memo` keeps what
:mod:`arbo.access.policy` decided (the visibility queryset per user, the relationship checks per
user and employee), keyed by the question. Outside a request (jobs, commands, tests calling the
policy directly) nothing is kept: every call decides afresh. A write that changes a relationship,
a function, a declaration, a team or an employment during the request empties the scope
(:func:`forget`, connected to those models' signals in ``AccessConfig.ready``), so a decision is
never older than the last change the request itself made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_decisions: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("access_decisions", default=None)


@contextmanager
def access_scope() -> Iterator[None]:
    """Keep access decisions until the block ends (one request, or one unit of a job)."""
    token = _decisions.set({})
    try:
        yield
    finally:
        _decisions.reset(token)


def memo(key: tuple[Any, ...], decide: Callable[[], T]) -> T:
    """``decide()``, once per ``key`` within the current scope (every time outside one)."""
    decisions = _decisions.get()
    if decisions is None:
        return decide()
    if key not in decisions:
        decisions[key] = decide()
    return decisions[key]  # type: ignore[no-any-return]


def forget(*args: Any, **kwargs: Any) -> None:
    """Drop every decision of the current scope (a signal receiver: the arguments are ignored)."""
    decisions = _decisions.get()
    if decisions:
        decisions.clear()


def request_started(**kwargs: Any) -> None:
    """Signal receiver (``AccessConfig.ready``): a fresh scope for each request, as the matrix's memo."""
    _decisions.set({})


def request_finished(**kwargs: Any) -> None:
    _decisions.set(None)
