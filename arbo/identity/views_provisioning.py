"""Account provisioning pages (issue 9): create accounts by invitation, re-send an invitation,
accept it (public, by token), team membership and a doctor's team. Thin views: the rules are in
``arbo.identity.provisioning``, ``arbo.registry.domain`` and ``arbo.access.care``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import care, care_requests
from arbo.access.models_care import DoctorTeamMember
from arbo.identity import provisioning
from arbo.identity.forms import (
    DoctorTeamForm,
    EmployeeAccountForm,
    EmployerAccountForm,
    InvitationAcceptForm,
    StaffAccountForm,
    TeamForm,
)
from arbo.identity.models import User
from arbo.identity.views import user_admin_required
from arbo.lib.errors import DomainError
from arbo.lib.http import base_url
from arbo.registry import domain as registry_domain
from arbo.registry.models import TeamMembership

FORMS: dict[str, Any] = {
    "staff": StaffAccountForm,
    "employer": EmployerAccountForm,
    "employee": EmployeeAccountForm,
}


def _admin(request: HttpRequest) -> User:
    return cast(User, request.user)


def _create(kind: str, data: dict[str, Any], request: HttpRequest) -> User:
    by = _admin(request)
    if kind == "staff":
        return provisioning.create_staff_account(by=by, base_url=base_url(request), **data)
    if kind == "employer":
        return provisioning.create_employer_account(by=by, base_url=base_url(request), **data)
    employee = registry_domain.employee_to_link(data["employee"], by=by)
    return provisioning.create_employee_account(
        employee=employee, username=data["username"], email=data["email"], by=by, base_url=base_url(request)
    )


def _submit(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], object],
    *,
    done: str,
    invalid: str,
    back_to: int,
) -> HttpResponse:
    """Validate ``form``, run ``action`` with its data, say how it went, and go back to the account."""
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            action(form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect("identity:user_detail", back_to)


@user_admin_required
@reauthentication_required
def user_new(request: HttpRequest) -> HttpResponse:
    """Create an account of one kind (``?kind=staff|employer|employee``) and send its invitation."""
    kind = request.POST.get("kind") or request.GET.get("kind") or "staff"
    if kind not in FORMS:
        raise Http404
    form = FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = _create(kind, form.cleaned_data, request)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Account %(name)s is aangemaakt; de uitnodiging is verstuurd.") % {"name": user}
            )
            return redirect("identity:user_detail", user.pk)
    return render(request, "identity/user_new.html", {"form": form, "kind": kind, "kinds": FORMS})


@user_admin_required
@require_POST
@reauthentication_required
def invitation_resend(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=user_id)
    try:
        provisioning.send_invitation(account, by=_admin(request), base_url=base_url(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De uitnodiging is opnieuw verstuurd; de vorige link werkt niet meer."))
    return redirect("identity:user_detail", account.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invited person chooses a password. An unusable token answers 404."""
    if request.user.is_authenticated:
        return redirect("home")
    invitation = provisioning.open_invitation(token)
    if invitation is None:
        raise Http404
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provisioning.accept_invitation(invitation, password=form.cleaned_data["password1"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Je wachtwoord is ingesteld. Log in; daarna stel je een tweede stap in met een code-app."),
            )
            return redirect("account_login")
    response = render(request, "identity/invitation_accept.html", {"form": form, "invitation": invitation})
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@user_admin_required
@require_POST
@reauthentication_required
def team_join(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(User, pk=user_id, kind=User.Kind.STAFF)
    return _submit(
        request,
        TeamForm(request.POST),
        lambda data: registry_domain.join_team(
            account, data["employer"], starts_on=data["starts_on"], by=_admin(request)
        ),
        done=_("De medewerker zit nu in het team van de werkgever."),
        invalid=_("Er is niets opgeslagen: kies een werkgever en een ingangsdatum."),
        back_to=account.pk,
    )


@user_admin_required
@require_POST
def team_leave(request: HttpRequest, membership_id: int) -> HttpResponse:
    today = timezone.localdate()
    membership = get_object_or_404(
        TeamMembership.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)), pk=membership_id
    )
    try:
        registry_domain.leave_team(membership, ends_on=today, by=_admin(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het teamlidmaatschap eindigt vandaag."))
    return redirect("identity:user_detail", membership.user_id)


@user_admin_required
@require_POST
@reauthentication_required
def doctor_team_add(request: HttpRequest, user_id: int) -> HttpResponse:
    doctor = get_object_or_404(User, pk=user_id, kind=User.Kind.STAFF)
    return _submit(
        request,
        DoctorTeamForm(request.POST),
        lambda data: care_requests.request_doctor_team_member(
            doctor, data["member"], kind=data["kind"], reason=data["reason"], by=_admin(request)
        ),
        done=_("Aangevraagd: de arts of een medisch manager beslist (vier ogen); pas dan telt de rol."),
        invalid=_("Er is niets opgeslagen: kies een medewerker en een rol en geef een reden."),
        back_to=doctor.pk,
    )


@user_admin_required
@require_POST
def doctor_team_end(request: HttpRequest, member_id: int) -> HttpResponse:
    today = timezone.localdate()
    team_member = get_object_or_404(
        DoctorTeamMember.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)), pk=member_id
    )
    care.end_doctor_team_member(team_member, by=_admin(request))
    messages.success(request, _("De rol in het team van de arts eindigt vandaag."))
    return redirect("identity:user_detail", team_member.doctor_id)
