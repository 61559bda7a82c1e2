"""The privacy officer's audit viewer: the log filtered by subject, user, period and kind, with the
names of the people it concerns (each naming audited), on screen or as CSV."""

from __future__ import annotations

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from arbo.access.queries import names_in_audit_log
from arbo.audit.events import describe
from arbo.audit.models import AuditEvent
from arbo.audit.queries import record_viewer_use
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.rights import staff_holding
from arbo.identity.roles import StaffFunction
from arbo.registry.queries import employee_id_by_bsn

#: The most rows one CSV export holds (the newest first); narrow the filter for more.
EXPORT_LIMIT = 10_000

DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilter(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Werknemer (id of BSN)"), required=False)
    user = forms.CharField(label=gettext_lazy("Gebruikersnaam"), required=False)
    start = forms.DateField(label=gettext_lazy("Vanaf"), required=False, widget=DATE)
    end = forms.DateField(label=gettext_lazy("Tot en met"), required=False, widget=DATE)
    emergency = forms.BooleanField(label=gettext_lazy("Alleen noodtoegang"), required=False)
    denied = forms.BooleanField(label=gettext_lazy("Alleen geweigerde toegang"), required=False)

    def clean_subject(self) -> int | None:
        value = self.cleaned_data["subject"].strip()
        if not value:
            return None
        if len(value) == 9 and value.isdigit() and not value.startswith("0"):
            found = employee_id_by_bsn(value)
            if found is not None:
                return found
        if value.isdigit():
            return int(value)
        raise ValidationError(gettext_lazy("Geef het id of het volledige BSN van de werknemer."))


def _filtered(form: AuditFilter):  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.order_by("-seq")
    if not form.is_valid():
        return events.none() if form.is_bound else events
    data = form.cleaned_data
    if data["subject"] is not None:
        events = events.filter(subject_kind="employee", subject_id=data["subject"])
    if data["user"]:
        events = events.filter(actor__username=data["user"].strip())
    if data["start"]:
        events = events.filter(occurred_at__date__gte=data["start"])
    if data["end"]:
        events = events.filter(occurred_at__date__lte=data["end"])
    if data["emergency"]:
        events = events.filter(basis=AuditEvent.Basis.EMERGENCY)
    if data["denied"]:
        events = events.filter(outcome=AuditEvent.Outcome.DENIED)
    return events


def _names(request: AuthenticatedHttpRequest, events: list[AuditEvent], *, event: str) -> dict[int, str]:
    ids = {e.subject_id for e in events if e.subject_kind == "employee" and e.subject_id is not None}
    return names_in_audit_log(request.user, ids, event=event) if ids else {}


@login_required
def audit_viewer(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not staff_holding(request.user, StaffFunction.PRIVACY_OFFICER):
        raise Http404
    form = AuditFilter(request.GET or None)
    filters = request.GET.copy()
    filters.pop("page", None)
    filters.pop("export", None)
    if request.GET.get("export") == "csv":
        return _export(request, form, {k: str(v) for k, v in filters.items()})
    page = Paginator(_filtered(form), 100).get_page(request.GET.get("page"))
    # Read the page before recording this search: the new record would shift a page whose bounds
    # the paginator has already counted, and the oldest row of the last page would go unseen.
    events = list(page.object_list)
    record_viewer_use(request.user, {k: str(v) for k, v in filters.items()})
    names = _names(request, events, event="audit.subject_named")
    rows = [(event, describe(event.event, staff=True), names.get(event.subject_id or 0)) for event in events]
    return render(
        request,
        "audit/viewer.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filters": filters.urlencode(),
            "export_limit": EXPORT_LIMIT,
        },
    )


def _export(request: AuthenticatedHttpRequest, form: AuditFilter, filters: dict[str, str]) -> HttpResponse:
    """The filtered log as CSV (newest first, at most :data:`EXPORT_LIMIT` rows), audited as an export
    of the log and, per person named in it, as an export of their name."""
    events = list(_filtered(form).select_related(None)[:EXPORT_LIMIT])
    record_viewer_use(request.user, filters, exported=True)
    names = _names(request, events, event="audit.subject_exported")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="logboek.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "seq",
            "occurred_at",
            "actor",
            "functions",
            "action",
            "event",
            "description",
            "subject_id",
            "subject_name",
            "category",
            "basis",
            "outcome",
            "ip_address",
        ]
    )
    for event in events:
        writer.writerow(
            _cell(value)
            for value in [
                event.seq,
                event.occurred_at.isoformat(),
                event.actor_label,
                event.actor_functions,
                event.action,
                event.event,
                describe(event.event, staff=True),
                event.subject_id if event.subject_id is not None else "",
                names.get(event.subject_id or 0, ""),
                event.category,
                event.basis,
                event.outcome,
                event.ip_address or "",
            ]
        )
    return response


def _cell(value: object) -> object:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
