"""The privacy officer's home page: what needs attention today."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from arbo.access.models_care import EmergencyAccess
from arbo.audit import log
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import FunctionAssignment
from arbo.privacy.breaches import queries as breach_queries
from arbo.privacy.breaches.clock import clock_of
from arbo.privacy.complaints import queries as complaint_queries
from arbo.privacy.policies import require_privacy_officer
from arbo.privacy.processors.models import SupportWindow
from arbo.privacy.rights import queries as rights_queries


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_privacy_officer(request.user)
    now = timezone.now()
    open_breaches = [(b, clock_of(b, now)) for b in breach_queries.register(request.user, open_only=True)]
    context = {
        "breaches": open_breaches,
        "emergency_to_review": EmergencyAccess.objects.filter(reviewed_at__isnull=True).count(),
        "function_requests": FunctionAssignment.objects.filter(
            status=FunctionAssignment.Status.REQUESTED
        ).count(),
        "today": timezone.localdate(),
        **_extra_sections(request),
    }
    log.record(request.user, log.Action.READ, "privacy.home_viewed", request=request)
    return render(request, "privacy/home.html", context)


def _extra_sections(request: AuthenticatedHttpRequest) -> dict[str, object]:
    return {
        "complaints": list(complaint_queries.needing_attention(request.user)),
        "open_windows": SupportWindow.objects.current().count(),
        "rights_requests": list(rights_queries.register_rows(request.user).exclude(status="decided")[:50]),
    }
