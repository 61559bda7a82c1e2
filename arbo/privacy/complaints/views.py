"""Complaint pages: filing (portal and staff), the worklist, the complaint and its steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import policy
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.privacy.complaints import domain, queries
from arbo.privacy.complaints.forms import (
    AssignForm,
    DecideForm,
    ExtendForm,
    PortalComplaintForm,
    StaffComplaintForm,
)
from arbo.privacy.complaints.terms import latest_extension
from arbo.privacy.policies import can_report_breach, is_privacy_officer, require_privacy_officer
from arbo.privacy.steps import form_error, portal_intake, run_step
from arbo.registry.queries import employee_by_personnel_number

if TYPE_CHECKING:  # type hints only: complaints are read through complaints.queries
    from arbo.privacy.complaints.models import Complaint


@login_required
def file_from_portal(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An employee files a complaint about their own guidance or data."""
    return portal_intake(
        request,
        PortalComplaintForm,
        template="privacy/complaints/file.html",
        file=lambda employee, data: domain.file_complaint(by=request.user, complainant=employee, **data),
        acknowledgement=lambda complaint: (
            _("Je klacht is ontvangen (%(ref)s). Je hoort uiterlijk op %(due)s ons oordeel.")
            % {"ref": complaint.reference, "due": show_date(complaint.due_on)}
        ),
        detail="privacy:complaint_detail",
    )


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff register a complaint received by letter, e-mail or phone."""
    if not can_report_breach(request.user):
        raise Http404
    form = StaffComplaintForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        complainant = None
        if data["employer"] and data["personnel_number"]:
            complainant = employee_by_personnel_number(data["employer"], data["personnel_number"])
            if complainant is None:
                form.add_error("personnel_number", _("Dit personeelsnummer is bij deze werkgever onbekend."))
        if form.is_valid():
            try:
                complaint = domain.file_complaint(
                    by=request.user,
                    kind=data["kind"],
                    description=data["description"],
                    received_on=data["received_on"],
                    complainant=complainant,
                    complainant_name=data["complainant_name"],
                    complainant_contact=data["complainant_contact"],
                    about=data["about"],
                    language=data["language"],
                    handler=request.user if is_privacy_officer(request.user) else None,
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request, _("De klacht is geregistreerd (%(ref)s).") % {"ref": complaint.reference}
                )
                if queries.complaints_visible_to(request.user).filter(pk=complaint.pk).exists():
                    return redirect("privacy:complaint_detail", complaint.pk)
                return redirect("home")
    return render(request, "privacy/complaints/register.html", {"form": form})


@login_required
def worklist(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.is_staff_user(request.user):
        raise Http404
    show = request.GET.get("show", "open")
    rows = queries.read_worklist(request.user, open_only=show == "open")
    context = {
        "complaints": rows,
        "show": show,
        "today": timezone.localdate(),
        "officer": is_privacy_officer(request.user),
    }
    return render(request, "privacy/complaints/list.html", context)


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.is_employee_user(request.user):
        raise Http404
    rows = queries.complaints_visible_to(request.user).order_by("-received_on")
    return render(request, "privacy/complaints/mine.html", {"complaints": rows})


@login_required
def detail(request: AuthenticatedHttpRequest, complaint_id: int) -> HttpResponse:
    complaint = get_object_or_404(
        queries.complaints_visible_to(request.user).select_related(
            "complainant", "handler", "about", "registered_by"
        ),
        pk=complaint_id,
    )
    handles = queries.may_handle(request.user, complaint)
    context: dict[str, Any] = {"complaint": complaint, "handles": handles, "today": timezone.localdate()}
    if handles:
        context.update(
            assign_form=AssignForm(initial={"handler": complaint.handler_id, "about": complaint.about_id}),
            extend_form=ExtendForm(),
            decide_form=DecideForm(),
            latest_extension=latest_extension(complaint.kind, complaint.received_on),
            officer=is_privacy_officer(request.user),
        )
    queries.complaint_read(request.user, complaint, handles=handles)
    return render(request, "privacy/complaints/detail.html", context)


def _step(
    request: AuthenticatedHttpRequest,
    complaint_id: int,
    form_class: type[forms.Form],
    action: Callable[[Complaint, dict[str, Any]], str],
    *,
    officer_only: bool = False,
) -> HttpResponse:
    complaint = get_object_or_404(queries.complaints_visible_to(request.user), pk=complaint_id)
    if not queries.may_handle(request.user, complaint):
        raise Http404
    if officer_only:
        require_privacy_officer(request.user)
    run_step(request, form_class(request.POST), lambda data: action(complaint, data))
    if not queries.complaints_visible_to(request.user).filter(pk=complaint.pk).exists():
        return redirect("privacy:complaint_list")
    return redirect("privacy:complaint_detail", complaint.pk)


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, complaint_id: int) -> HttpResponse:
    def act(complaint: Complaint, data: dict[str, Any]) -> str:
        domain.assign_handler(complaint, handler=data["handler"], about=data["about"], by=request.user)
        return _("De klachtenfunctionaris is aangewezen.")

    return _step(request, complaint_id, AssignForm, act, officer_only=True)


@login_required
@require_POST
def acknowledge(request: AuthenticatedHttpRequest, complaint_id: int) -> HttpResponse:
    def act(complaint: Complaint, data: dict[str, Any]) -> str:
        domain.acknowledge(complaint, by=request.user)
        return _("De ontvangst is bevestigd aan de klager.")

    return _step(request, complaint_id, forms.Form, act)


@login_required
@require_POST
def extend(request: AuthenticatedHttpRequest, complaint_id: int) -> HttpResponse:
    def act(complaint: Complaint, data: dict[str, Any]) -> str:
        domain.extend(complaint, by=request.user, **data)
        return _("De termijn is verlengd en de klager is bericht.")

    return _step(request, complaint_id, ExtendForm, act)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, complaint_id: int) -> HttpResponse:
    def act(complaint: Complaint, data: dict[str, Any]) -> str:
        domain.decide(
            complaint,
            by=request.user,
            upheld=data["upheld"] == "yes",
            outcome=data["outcome"],
        )
        return _("Het oordeel is vastgelegd en naar de klager gestuurd.")

    return _step(request, complaint_id, DecideForm, act)
