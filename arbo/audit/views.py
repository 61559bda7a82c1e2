"""The privacy officer's audit viewer: the log filtered by subject, user, period and kind."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from arbo.audit.events import describe
from arbo.audit.models import AuditEvent
from arbo.audit.queries import record_viewer_use
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.rights import staff_holding
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Employee, bsn_blind_index
from arbo.registry.validators import normalise_bsn

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
            try:
                employee = Employee.objects.filter(bsn_index=bsn_blind_index(normalise_bsn(value))).first()
            except ValidationError:
                employee = None
            if employee is not None:
                return employee.pk
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


@login_required
def audit_viewer(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not staff_holding(request.user, StaffFunction.PRIVACY_OFFICER):
        raise Http404
    form = AuditFilter(request.GET or None)
    page = Paginator(_filtered(form), 100).get_page(request.GET.get("page"))
    record_viewer_use(request.user, {k: str(v) for k, v in request.GET.items() if k != "page"})
    filters = request.GET.copy()
    filters.pop("page", None)
    rows = [(event, describe(event.event, staff=True)) for event in page.object_list]
    return render(
        request,
        "audit/viewer.html",
        {"form": form, "page": page, "rows": rows, "filters": filters.urlencode()},
    )
