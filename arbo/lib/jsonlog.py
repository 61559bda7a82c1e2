"""Structured logs: one JSON object per line, with the request id, the user's id and kind, and the
view, and without personal data.

What keeps personal data out: the application logs identifiers and counts only (never a name,
BSN, e-mail address or category B/C text); the request line names the view and the status, not
the URL's query string; and as a second line of defence the formatter blanks query strings,
e-mail addresses and nine-digit numbers (BSN-shaped) in every message and traceback.
``tests/operations/test_logs.py`` runs typical requests of every persona and searches the output
for the names, BSNs and e-mail addresses involved.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("log_context", default=None)

#: ``extra=`` keys passed on to the JSON line; anything else a caller adds is dropped.
EXTRA_KEYS = frozenset(
    {
        "job",
        "slot",
        "task",
        "task_id",
        "attempt",
        "attempts",
        "retry_in_s",
        "error",
        "worker_id",
        "scheduler_id",
        "method",
        "status",
        "duration_ms",
        "rows",
        "queued_ms",
    }
)
_QUERY = re.compile(r"\?[^\s\"']*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")

request_logger = logging.getLogger("arbo.request")


def current_request_id() -> str:
    """The id of the request being handled, or ``""`` outside a request."""
    return str((_context.get() or {}).get("request_id", ""))


def redact(text: str) -> str:
    text = _QUERY.sub("?…", text)
    text = _EMAIL.sub("[e-mail]", text)
    return _NINE_DIGITS.sub("[9 cijfers]", text)


class RequestContextFilter(logging.Filter):
    """Adds the current request's id, user id, user kind and view to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        for key in ("request_id", "user_id", "user_kind", "view"):
            if not hasattr(record, key):
                setattr(record, key, context.get(key))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in ("request_id", "user_id", "user_kind", "view"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        for key in EXTRA_KEYS:
            if key in record.__dict__:
                line[key] = record.__dict__[key]
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For development: readable, and redacted like the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RequestLogMiddleware:
    """First in the chain: gives the request an id (or keeps a well-formed ``X-Request-ID`` from
    the proxy), returns it in the response, and logs one line per request with the view, status
    and duration. The user is read only if the request already loaded it (no extra query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        context: dict[str, Any] = {"request_id": request_id}
        token = _context.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            _add_user(request, context)
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            _context.reset(token)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        context = _context.get()
        if context is not None and request.resolver_match is not None:
            context["view"] = request.resolver_match.view_name
            _add_user(request, context)


def _add_user(request: HttpRequest, context: dict[str, Any]) -> None:
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return  # not loaded by the request: loading it here would cost a query
    if getattr(user, "is_authenticated", False):
        context["user_id"] = user.pk
        context["user_kind"] = getattr(user, "kind", "")
