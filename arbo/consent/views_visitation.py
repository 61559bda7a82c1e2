"""Quality visitation: the privacy officer opens one, the visiting doctor reads the sample (read
only, until the end), the employee objects or withdraws the objection in the portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.consent import queries, visitation
from arbo.consent.forms import VisitationForm
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError


@login_required
def visitation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The privacy officer: every visitation and the form to open one. A doctor: their visits."""
    rows = queries.visitations_for(request.user)
    manager = visitation.may_manage_visitations(request.user)
    form = VisitationForm(request.POST or None) if manager else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                opened = visitation.open_visitation(request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field or None, error.message)
            else:
                messages.success(
                    request,
                    _("De visitatie is geopend met {count} dossiers in de steekproef.").format(
                        count=opened.sample.count()
                    ),
                )
                return redirect("visitation:list")
        status = 422
    return render(
        request,
        "consent/visitation_list.html",
        {"rows": rows, "form": form, "manager": manager},
        status=status,
    )


@login_required
def visitation_detail(request: AuthenticatedHttpRequest, visitation_id: int) -> HttpResponse:
    row = queries.visitation_for(request.user, visitation_id)
    sample = queries.visitation_sample(request.user, visitation_id)
    return render(
        request,
        "consent/visitation_detail.html",
        {"row": row, "sample": sample, "manager": visitation.may_manage_visitations(request.user)},
    )


@login_required
@require_POST
def visitation_end(request: AuthenticatedHttpRequest, visitation_id: int) -> HttpResponse:
    if not visitation.may_manage_visitations(request.user):
        raise Http404
    try:
        visitation.end_visitation(request.user, visitation_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De visitatie is beëindigd; de visiterend arts heeft geen toegang meer."))
    return redirect("visitation:detail", visitation_id=visitation_id)


@login_required
def visitation_file(request: AuthenticatedHttpRequest, visitation_id: int, employee_id: int) -> HttpResponse:
    """One sampled file, read only."""
    row = queries.visitation_for(request.user, visitation_id)
    employee, medical_file = queries.visitation_file(request.user, visitation_id, employee_id)
    return render(
        request,
        "consent/visitation_file.html",
        {"row": row, "employee": employee, "file": medical_file},
    )


@login_required
@require_POST
def object_to_visitation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employee objects to visitation of their file, or withdraws the objection."""
    employee = queries.own_employee(request.user)
    try:
        if request.POST.get("choice") == "withdraw":
            visitation.withdraw_visitation_objection(employee, by=request.user)
            messages.success(
                request, _("Je bezwaar is ingetrokken. Je dossier kan weer in een visitatie komen.")
            )
        elif request.POST.get("choice") == "object":
            visitation.object_to_visitation(employee, by=request.user)
            messages.success(request, _("Je bezwaar is vastgelegd. Je dossier komt niet in een visitatie."))
        else:
            messages.error(request, _("Kies of je bezwaar maakt of je bezwaar intrekt."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("consent:mine")
