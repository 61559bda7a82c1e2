"""JSON errors everywhere under ``/api/``: an API client never gets an HTML error page.

DRF answers errors inside its views as JSON already; these cover the rest: a URL that matches no
pattern (``/api/v1/employees/abc/``), a Django 400/403/500, and ``Http404`` raised by
``get_object_or_404`` (DRF's default message is English and names the model).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

#: Web pages (session, HTML) that live under /api/: the employer's API client management and the
#: Swagger UI.
_HTML_PREFIXES = ("/api/v1/clients/", "/api/docs/")


def is_api_path(path: str) -> bool:
    return path.startswith("/api/") and not path.startswith(_HTML_PREFIXES)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, with a Dutch "not found" that names nothing."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    return drf_exception_handler(exc, context)


def _json(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return _json(400, _("Ongeldig verzoek."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return _json(403, _("Geen toegang."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return _json(404, _("Niet gevonden."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_path(request.path):
        return _json(500, _("Er ging iets mis aan onze kant. Probeer het later opnieuw."))
    return defaults.server_error(request)
