from __future__ import annotations

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose English with the language switch (cookie).

    The browser's Accept-Language is ignored: the interface is Dutch first, and following an
    English browser would mix languages wherever a translation is missing.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
