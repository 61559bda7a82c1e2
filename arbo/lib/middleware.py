from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase
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
