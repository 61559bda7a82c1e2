"""``/healthz`` (liveness: the process answers, no database) and ``/readyz`` (readiness: see
:mod:`arbo.operations.health`). No login; open only to the addresses in ``HEALTH_ALLOWED_IPS``
(the load balancer's; localhost by default) or with ``Authorization: Bearer <HEALTH_TOKEN>``;
anyone else gets a 404. Neither answer holds personal data."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from arbo.operations.health import readiness


def _allowed(request: HttpRequest) -> bool:
    token = settings.HEALTH_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.HEALTH_ALLOWED_IPS)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    if not _allowed(request):
        raise Http404
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    if not _allowed(request):
        raise Http404
    healthy, checks = readiness()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""
    return redirect(static("favicon.svg"), permanent=True)
