"""Break-the-glass, its review by the privacy officer, and care relationship forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import care, care_requests, policy
from arbo.access.forms_care import (
    BreakTheGlassForm,
    CareDecisionForm,
    ConsultForm,
    TreatingDoctorRequestForm,
    WideningForm,
)
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRequest, EmergencyAccess, EmergencyWidening
from arbo.access.policy import employees_visible_to, require, staff_holding
from arbo.audit import queries as audit_queries
from arbo.audit.events import describe
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib import confirm
from arbo.lib.confirm import Confirmation
from arbo.lib.errors import DomainError
from arbo.registry.queries import employee_by_bsn


@login_required
def break_the_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not care.is_doctor(request.user):
        raise Http404
    form = BreakTheGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employee = employee_by_bsn(form.cleaned_data["bsn"])
        if employee is None:
            care.record_break_the_glass_not_found(request.user)
            form.add_error("bsn", _("Er is geen werknemer met dit BSN."))
        elif not confirm.confirmed(request):
            # Issue 18: a second step that says exactly who will see what; nothing is opened yet.
            return render(request, "confirm.html", {"confirmation": _glass_confirmation(request, form)})
        else:
            try:
                care.break_the_glass(employee, reason=form.cleaned_data["reason"], by=request.user)
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.warning(request, _("Noodtoegang geopend voor drie uur. Dit wordt beoordeeld."))
                return redirect(employee)
    return render(request, "access/break_the_glass.html", {"form": form})


def _glass_confirmation(request: AuthenticatedHttpRequest, form: BreakTheGlassForm) -> Confirmation:
    """Who sees what when the glass is broken: the doctor the whole file for three hours, the
    privacy officer every read, the employee that it happened. The name is not shown before."""
    bsn = form.cleaned_data["bsn"]
    return Confirmation(
        title=_("Noodtoegang openen?"),
        intro=_(
            "Je opent het dossier van een werknemer met wie je geen behandelrelatie hebt. Doe dit alleen "
            "als de zorg niet kan wachten op de behandelend arts."
        ),
        action=reverse("care:break_the_glass"),
        button=_("Ja, noodtoegang openen"),
        back=reverse("portal:work"),
        recipients=[
            _(
                "Jij: drie uur lang het hele dossier van deze werknemer, ook de medische gegevens (categorie C)."
            ),
            _(
                "De privacy officer: deze noodtoegang, je reden en elke inzage die je doet; die beoordeelt ze achteraf."
            ),
            _("De werknemer: in ‘Wie zag mijn dossier’ staat dat jij het dossier met noodtoegang opende."),
        ],
        contents=[
            (_("BSN"), f"*****{bsn[-4:]}"),
            (_("Reden"), form.cleaned_data["reason"]),
        ],
        hidden=[("bsn", bsn), ("reason", form.cleaned_data["reason"])],
    )


def _require_privacy_officer(user: User) -> None:
    if not staff_holding(user, StaffFunction.PRIVACY_OFFICER):
        raise Http404


@login_required
def emergency_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_privacy_officer(request.user)
    accesses = list(
        EmergencyAccess.objects.select_related("user", "reviewed_by").order_by("reviewed_at", "-started_at")
    )
    counts = audit_queries.emergency_read_counts(accesses)
    rows = [(access, counts[access.pk]) for access in accesses]
    return render(request, "access/emergency_review.html", {"rows": rows})


@login_required
def emergency_detail(request: AuthenticatedHttpRequest, access_id: int) -> HttpResponse:
    """One break-the-glass access: the reason, what the doctor did under it (the audit records on the
    emergency basis in its window) and the officer's verdict (issue 18)."""
    _require_privacy_officer(request.user)
    access = get_object_or_404(EmergencyAccess.objects.select_related("user", "reviewed_by"), pk=access_id)
    reads = [
        (event, describe(event.event, staff=True))
        for event in audit_queries.emergency_reads(request.user, access)
    ]
    return render(request, "access/emergency_detail.html", {"access": access, "reads": reads})


@login_required
@require_POST
def emergency_mark_reviewed(request: AuthenticatedHttpRequest, access_id: int) -> HttpResponse:
    _require_privacy_officer(request.user)
    access = get_object_or_404(EmergencyAccess, pk=access_id, reviewed_at__isnull=True)
    try:
        care.review_emergency_access(
            access,
            verdict=request.POST.get("verdict", ""),
            note=request.POST.get("note", "")[:2000],
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het oordeel over de noodtoegang is vastgelegd."))
    return redirect("care:emergency_detail", access_id=access.pk)


def _require_medical_manager(user: User) -> None:
    if not staff_holding(user, StaffFunction.MEDISCH_MANAGER):
        raise Http404


@login_required
def emergency_widenings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The medical manager lets a doctor break the glass outside the doctor's teams, for a while."""
    _require_medical_manager(request.user)
    form = WideningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            care.widen_break_the_glass(
                form.cleaned_data["doctor"],
                days=form.cleaned_data["days"],
                max_uses=form.cleaned_data["max_uses"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("De noodtoegang van de arts is tijdelijk verruimd."))
            return redirect("care:emergency_widenings")
    widenings = (
        EmergencyWidening.objects.select_related("doctor", "granted_by")
        .annotate(used=Count("accesses"))
        .order_by("-starts_at")[:100]
    )
    return render(request, "access/emergency_widenings.html", {"form": form, "widenings": widenings})


@login_required
@require_POST
def request_treating_doctor(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """Ask that a doctor of the employer's team becomes the treating doctor (opens nothing yet)."""
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    if not care_requests.may_request_treating_doctor(request.user, employee):
        raise Http404
    form = TreatingDoctorRequestForm(request.POST, employee=employee)
    if form.is_valid():
        try:
            care_requests.request_treating_doctor(
                employee,
                form.cleaned_data["candidate"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("De aanvraag is verstuurd; de arts of de medisch manager beslist erover.")
            )
    else:
        messages.error(
            request,
            _("De aanvraag is niet verstuurd: %(errors)s")
            % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
    return redirect(employee)


@login_required
def care_requests_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Requests to decide (as the candidate doctor or a medical manager) and one's own requests."""
    if not policy.is_staff_user(request.user):
        raise Http404
    rows = [
        {"request": r, "can_decide": care_requests.may_decide(request.user, r)}
        for r in care_requests.requests_for(request.user)[:200]
    ]
    return render(
        request,
        "access/care_requests.html",
        {
            "to_decide": [row for row in rows if row["can_decide"]],
            "others": [row for row in rows if not row["can_decide"]],
            "form": CareDecisionForm(),
        },
    )


def _care_request(request: AuthenticatedHttpRequest, request_id: int) -> CareRequest:
    return get_object_or_404(care_requests.requests_for(request.user), pk=request_id)


@login_required
@require_POST
def care_request_decide(request: AuthenticatedHttpRequest, request_id: int, verdict: str) -> HttpResponse:
    care_request = _care_request(request, request_id)
    if not care_requests.may_decide(request.user, care_request):
        raise Http404
    form = CareDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if verdict == "approve":
            care_requests.approve_care_request(care_request, by=request.user, note=note)
            if care_request.kind in care_requests.TEAM_KINDS:
                done = _("%(name)s staat nu in het team van %(doctor)s.")
            else:
                done = _("%(name)s is nu de behandelend arts.")
            messages.success(request, done % {"name": care_request.candidate, "doctor": care_request.doctor})
        else:
            care_requests.reject_care_request(care_request, by=request.user, note=note)
            messages.success(request, _("De aanvraag is afgewezen."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("care:requests")


@login_required
@require_POST
def care_request_withdraw(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    care_request = _care_request(request, request_id)
    care_requests.withdraw_care_request(care_request, by=request.user)
    messages.success(request, _("De aanvraag is ingetrokken."))
    return redirect("care:requests")


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
