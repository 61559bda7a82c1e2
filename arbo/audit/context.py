"""The request context of an audit record: where an access came from, carried in a context variable.

:class:`AccessPointMiddleware` sets it for every request (client address, user agent, the request id
of :mod:`arbo.lib.jsonlog`); :mod:`arbo.audit.log` reads it for every record written meanwhile, so
domain and query functions need not take the ``HttpRequest`` only to pass it to the audit. Outside
a request (a job, a management command) there is none and the record says so by its empty fields;
:func:`bound` sets one for a block of code (tests, a job acting for someone).
"""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.http import HttpRequest, HttpResponse

from arbo.lib import jsonlog


@dataclass(frozen=True)
class AccessPoint:
    """What NEN 7513 asks to know of where an access came from."""

    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""
    on_behalf_of: str = ""


_current: contextvars.ContextVar[AccessPoint | None] = contextvars.ContextVar(
    "audit_access_point", default=None
)


def current() -> AccessPoint | None:
    return _current.get()


def _ip_address(value: str | None) -> str | None:
    """The address in its normal spelling, or ``None`` when it is no address (a zone id is dropped)."""
    try:
        return str(ipaddress.ip_address((value or "").split("%")[0]))
    except ValueError:
        return None


def from_request(request: HttpRequest) -> AccessPoint:
    return AccessPoint(
        ip_address=_ip_address(request.META.get("REMOTE_ADDR")),
        # PostgreSQL text cannot hold NUL; a client must not be able to make the audit write fail.
        user_agent=request.headers.get("User-Agent", "").replace("\x00", "\ufffd")[:300],
        request_id=jsonlog.current_request_id(),
    )


@contextmanager
def bound(point: AccessPoint | None) -> Iterator[AccessPoint | None]:
    """Records written inside the block carry ``point``."""
    token = _current.set(point)
    try:
        yield point
    finally:
        _current.reset(token)


@contextmanager
def acting_for(on_behalf_of: str) -> Iterator[AccessPoint]:
    """Records written inside the block say that the actor acted on behalf of ``on_behalf_of``."""
    with bound(replace(current() or AccessPoint(), on_behalf_of=on_behalf_of[:200])) as point:
        assert point is not None
        yield point


class AccessPointMiddleware:
    """Early in the chain (right after the request id is given): binds the request's access point."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with bound(from_request(request)):
            return self.get_response(request)
