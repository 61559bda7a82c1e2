from __future__ import annotations

import logging
import time
from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_cache_control


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose English with the language switch (cookie).

    The browser's Accept-Language is ignored: the interface is Dutch first, and following an
    English browser would mix languages wherever a translation is missing.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every response the app itself makes (issue 19).

    Pages, fragments, API answers and downloads may all carry personal data; no browser cache,
    back-forward cache or shared proxy should keep a copy. Static files never reach this
    middleware (WhiteNoise answers them first), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class HtmlOnlyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, for HTML only.

    A policy means something only to documents that run scripts; on a PDF download it can stop
    the browser's own viewer from loading (``object-src 'none'``).
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


# The WSGI environ key under which config.gunicorn_worker.QueueStampingWorker puts the moment
# (time.monotonic()) a request joined gunicorn's queue.
QUEUED_AT = "arbo.queued_at"
_BUSY = (
    '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Even geduld</title>'
    "<p>Het is op dit moment erg druk. Probeer het over enkele seconden opnieuw.</p>"
    '<p lang="en">The service is very busy right now. Please try again in a few seconds.</p></html>'
)
_log = logging.getLogger("arbo.request")


class LoadSheddingMiddleware:
    """503 at once for a request that waited in the server's queue past ``REQUEST_QUEUE_DEADLINE``.

    Past saturation a server that answers every queued request in turn serves only requests whose
    clients have given up, and its useful rate collapses. Shedding the stale ones before any
    session, database or template work keeps the rate of answered requests flat (docs/benchmarks.md,
    "Load test"). The queue time comes from the gunicorn worker (``config.gunicorn_worker``); under
    another server the request carries none and is never shed. The health endpoints are never
    shed: the load balancer must see a busy server as alive.
    """

    EXEMPT = ("/healthz", "/readyz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.deadline = float(settings.REQUEST_QUEUE_DEADLINE)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        queued_at = request.META.get(QUEUED_AT)
        if queued_at is not None and request.path not in self.EXEMPT:
            waited = time.monotonic() - queued_at
            if waited > self.deadline:
                _log.warning("shed", extra={"queued_ms": round(waited * 1000), "status": 503})
                response = HttpResponse(_BUSY, status=503, content_type="text/html; charset=utf-8")
                response["Retry-After"] = "2"
                return response
        return self.get_response(request)
