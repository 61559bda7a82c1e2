"""The employee portal: "who saw my file" and the inbox of letters."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from arbo.access import policy
from arbo.audit.events import CATEGORY_LABELS, describe, describe_categories
from arbo.audit.models import AuditEvent
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.portal import queries as portal_queries
from arbo.portal import work as work_queries
from arbo.portal.inbox import inbox_of, open_letter

FUNCTION_LABELS = dict(StaffFunction.choices)
KIND_LABELS = dict(User.Kind.choices)


class AccessLogFilter(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Soort gegevens"),
        required=False,
        choices=[("", gettext_lazy("alle"))] + list(CATEGORY_LABELS.items()),
    )
    include_self = forms.BooleanField(label=gettext_lazy("Ook mijn eigen inzage tonen"), required=False)


def _functions_label(event: AuditEvent) -> str:
    parts = [p for p in event.actor_functions.split(",") if p]
    return ", ".join(str(FUNCTION_LABELS.get(p, KIND_LABELS.get(p, p))) for p in parts)


@login_required
def who_saw_my_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every audited access to the employee's own data, newest first, filterable."""
    form = AccessLogFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    log = portal_queries.own_access_log(
        request.user,
        start=data.get("start"),
        end=data.get("end"),
        category=data.get("category", ""),
        include_self=data.get("include_self", False),
        page_number=request.GET.get("page"),
    )
    rows = [
        {
            "when": event.occurred_at,
            # The person's own records name them by account number only (arbo.audit.log.actor_label).
            "who": gettext_lazy("jijzelf") if event.actor_id == request.user.pk else event.actor_label,
            "function": _functions_label(event),
            "what": describe(event.event),
            "categories": describe_categories(event.category),
            "basis": event.get_basis_display(),
            "emergency": event.basis == AuditEvent.Basis.EMERGENCY,
        }
        for event in log.page.object_list
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "form": form,
        "page": log.page,
        "rows": rows,
        "filters": filters.urlencode(),
        "emergencies": log.emergencies,
    }
    return render(request, "portal/who_saw_my_file.html", context)


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The letters the arbodienst sent this person (breach letters, complaint decisions)."""
    messages = inbox_of(request.user).only("id", "subject", "sender_label", "sent_at", "read_at")
    return render(request, "portal/inbox.html", {"letters": messages[:200]})


@login_required
def letter(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(inbox_of(request.user).select_related("employee"), pk=message_id)
    open_letter(message, by=request.user)
    return render(request, "portal/letter.html", {"letter": message})


@login_required
def work(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The home page of staff and employees: their own work first (issue 18)."""
    if not policy.has_own_work(request.user):
        raise Http404
    sections = work_queries.work_for(request.user)
    return render(
        request, "portal/work.html", {"sections": sections, "today": work_queries.day(timezone.localdate())}
    )
