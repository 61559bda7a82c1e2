"""Break-the-glass, its review by the privacy officer, and care relationship forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import care
from arbo.access.forms_care import BreakTheGlassForm, ConsultForm
from arbo.access.matrix import Action, Category
from arbo.access.models_care import EmergencyAccess
from arbo.access.policy import employees_visible_to, require
from arbo.audit import log
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee, bsn_blind_index


@login_required
def break_the_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not care.is_doctor(request.user):
        raise Http404
    form = BreakTheGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employee = Employee.objects.filter(bsn_index=bsn_blind_index(form.cleaned_data["bsn"])).first()
        if employee is None:
            log.record(
                request.user,
                log.Action.EXECUTE,
                "access.break_the_glass_not_found",
                request=request,
                basis=log.Basis.EMERGENCY,
                outcome=log.Outcome.DENIED,
            )
            form.add_error("bsn", _("Er is geen werknemer met dit BSN."))
        else:
            try:
                care.break_the_glass(
                    employee, reason=form.cleaned_data["reason"], by=request.user, request=request
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.warning(request, _("Noodtoegang geopend voor drie uur. Dit wordt beoordeeld."))
                return redirect(employee)
    return render(request, "access/break_the_glass.html", {"form": form})


def _require_privacy_officer(user: User) -> None:
    if user.kind != User.Kind.STAFF or StaffFunction.PRIVACY_OFFICER not in user.functions_on():
        raise Http404


@login_required
def emergency_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_privacy_officer(request.user)
    accesses = EmergencyAccess.objects.select_related("user", "reviewed_by").order_by(
        "reviewed_at", "-started_at"
    )
    return render(request, "access/emergency_review.html", {"accesses": accesses})


@login_required
@require_POST
def emergency_mark_reviewed(request: AuthenticatedHttpRequest, access_id: int) -> HttpResponse:
    _require_privacy_officer(request.user)
    access = get_object_or_404(EmergencyAccess, pk=access_id, reviewed_at__isnull=True)
    care.review_emergency_access(
        access, note=request.POST.get("note", "")[:2000], by=request.user, request=request
    )
    messages.success(request, _("Noodtoegang gemarkeerd als beoordeeld."))
    return redirect("care:emergency_review")


@login_required
@require_POST
def assign_treating_doctor(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    require(request.user, Action.CHANGE, Category.D, employee)
    if request.user.kind != User.Kind.STAFF:
        raise Http404
    doctor = get_object_or_404(care.doctors(), pk=request.POST.get("doctor") or 0)
    care.assign_treating_doctor(employee, doctor, by=request.user, request=request)
    messages.success(request, _("%(name)s is nu de behandelend arts.") % {"name": doctor})
    return redirect(employee)


@login_required
@require_POST
def consult_colleague(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    require(request.user, Action.CHANGE, Category.C, employee)
    form = ConsultForm(request.POST)
    if form.is_valid():
        try:
            care.consult_colleague(
                employee,
                form.cleaned_data["colleague"],
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De collega heeft tijdelijk toegang tot het dossier."))
    else:
        messages.error(
            request,
            _("De consultatie is niet vastgelegd: %(errors)s")
            % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
    return redirect(employee)
