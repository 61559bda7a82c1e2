from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import policy, review
from arbo.access.care import is_doctor
from arbo.access.care_requests import open_team_requests_of
from arbo.access.models_care import DoctorTeamMember
from arbo.identity import domain, throttle
from arbo.identity.forms import (
    DeclarationForm,
    DoctorTeamForm,
    FunctionRequestForm,
    LeavingForm,
    RevokeForm,
    TeamForm,
)
from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
from arbo.identity.rights import lacking_derived_secrecy, staff_holding
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.registry.models import TeamMembership


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    if staff_holding(request.user, StaffFunction.PRIVACY_OFFICER):
        return redirect("privacy:home")
    if policy.is_employer_user(request.user):
        return redirect("reporting:dashboard")  # issue 17: the employer's home is its dashboard
    if policy.has_own_work(request.user):
        return redirect("portal:work")  # issue 18: each role starts on its own work
    if policy.is_supplier_user(request.user):
        return redirect("privacy:support_home")
    raise Http404


def _admin(request: HttpRequest) -> User:
    """The logged-in applicatiebeheerder (``user_admin_required`` has checked)."""
    return cast(User, request.user)


def user_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in as an applicatiebeheerder, checked before any re-authentication prompt."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_user_admin", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _guarded(
    check: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Logged in and ``check(user)``, else 404; checked before any re-authentication prompt."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _sees_accounts(user: Any) -> bool:
    return bool(getattr(user, "is_user_admin", False)) or policy.can_see_staff_accounts(user)


accounts_required = _guarded(_sees_accounts)
reviewer_required = _guarded(policy.can_review_access)
decider_required = _guarded(policy.can_decide_functions)


@accounts_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Every account for the applicatiebeheerder; staff accounts only for managers and directeuren,
    who open them to request or decide on functions."""
    viewer = cast(User, request.user)
    users = User.objects.prefetch_related("function_assignments").order_by("kind", "last_name", "username")
    if not viewer.is_user_admin:
        users = users.filter(kind=User.Kind.STAFF)
    return render(request, "identity/user_list.html", {"users": users, "is_admin": viewer.is_user_admin})


def _target(request: HttpRequest, user_id: int) -> User | None:
    """The account to act on, or ``None`` (with a message) when it is the admin's own."""
    target = get_object_or_404(User, pk=user_id, is_active=True)
    if target == request.user:
        messages.error(request, _("Je kunt dit niet bij je eigen account doen."))
        return None
    return target


@user_admin_required
@require_POST
@reauthentication_required
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _target(request, user_id)
    if target is not None:
        domain.deactivate_user(target, by=_admin(request))
        messages.success(
            request, _("Account %(name)s is geblokkeerd en overal uitgelogd.") % {"name": target}
        )
    return redirect("identity:user_list")


@user_admin_required
@require_POST
@reauthentication_required
def user_reset_mfa(request: HttpRequest, user_id: int) -> HttpResponse:
    target = _target(request, user_id)
    if target is not None:
        domain.reset_mfa(target, by=_admin(request))
        messages.success(
            request,
            _(
                "De authenticator van %(name)s is verwijderd en %(name)s is overal uitgelogd. "
                "Bij de volgende keer inloggen stelt %(name)s een nieuwe authenticator in."
            )
            % {"name": target},
        )
    return redirect("identity:user_list")


# --- Authorisation: staff accounts, function requests and decisions, the periodic review ----------


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


def _account(request: HttpRequest, user_id: int) -> User:
    """The account a page is about: any for the applicatiebeheerder, staff accounts for managers."""
    accounts = (
        User.objects.all() if _viewer(request).is_user_admin else User.objects.filter(kind=User.Kind.STAFF)
    )
    return get_object_or_404(accounts, pk=user_id)


def _detail(request: HttpRequest, account: User, **forms: Any) -> HttpResponse:
    viewer = _viewer(request)
    today = timezone.localdate()
    not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    is_staff_account = policy.is_staff_user(account)
    context = {
        "account": account,
        "assignments": account.function_assignments.select_related(
            "requested_by", "decided_by", "revoked_by"
        ).order_by("-starts_on", "-pk"),
        "declarations": account.confidentiality_declarations.select_related("recorded_by"),
        "teams": TeamMembership.objects.filter(not_ended, user=account)
        .select_related("employer")
        .order_by("employer__name"),
        "doctor_roles": DoctorTeamMember.objects.filter(not_ended)
        .filter(Q(member=account) | Q(doctor=account))
        .select_related("doctor", "member"),
        "can_request": is_staff_account and account.is_active and policy.can_request_functions(viewer),
        "can_decide": policy.can_decide_functions(viewer),
        "is_admin": viewer.is_user_admin and account != viewer,
        "is_staff_account": is_staff_account,
        "needs_derived_secrecy": bool(lacking_derived_secrecy(account)),
        "invitation": account.invitations.first(),
        "team_form": TeamForm(),
        "doctor_team_form": DoctorTeamForm() if is_doctor(account) else None,
        "doctor_team_requests": list(open_team_requests_of(account)) if is_doctor(account) else [],
        "request_form": forms.get("request_form") or FunctionRequestForm(),
        "declaration_form": forms.get("declaration_form") or DeclarationForm(),
        "leaving_form": forms.get("leaving_form") or LeavingForm(),
        "today": today,
    }
    return render(request, "identity/user_detail.html", context)


@accounts_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    return _detail(request, _account(request, user_id))


@accounts_required
@require_POST
def function_request(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    form = FunctionRequestForm(request.POST)
    if form.is_valid():
        try:
            domain.request_function(
                account,
                form.cleaned_data["function"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                by=_viewer(request),
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _(
                    "De functie is aangevraagd. Ze geldt pas als de applicatiebeheerder of een directeur "
                    "haar heeft goedgekeurd."
                ),
            )
            return redirect("identity:user_detail", account.pk)
    return _detail(request, account, request_form=form)


@user_admin_required
@require_POST
def declaration_record(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            domain.record_declaration(
                account,
                signed_on=form.cleaned_data["signed_on"],
                version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"] or ConfidentialityDeclaration.Kind.GENERAL,
                by=_viewer(request),
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("De geheimhoudingsverklaring is vastgelegd."))
            return redirect("identity:user_detail", account.pk)
    return _detail(request, account, declaration_form=form)


@user_admin_required
@require_POST
@reauthentication_required
def leaving_record(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    form = LeavingForm(request.POST)
    if form.is_valid():
        try:
            domain.offboard_user(account, leaves_on=form.cleaned_data["leaves_on"], by=_viewer(request))
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("De laatste werkdag is vastgelegd. Functies, teams en relaties eindigen op %(date)s.")
                % {"date": formats.date_format(form.cleaned_data["leaves_on"], "j F Y")},
            )
            return redirect("identity:user_detail", account.pk)
    return _detail(request, account, leaving_form=form)


def _back(request: HttpRequest, assignment: FunctionAssignment) -> HttpResponse:
    """Back to the page the decision was taken on: the account or the review."""
    if request.POST.get("back") == "account":
        return redirect("identity:user_detail", assignment.user_id)
    return redirect(reverse("identity:access_review") + "#pending")


def _decide(
    request: HttpRequest, assignment_id: int, decide: Callable[..., FunctionAssignment], done: str
) -> HttpResponse:
    assignment = get_object_or_404(FunctionAssignment.objects.select_related("user"), pk=assignment_id)
    try:
        decide(assignment, by=_viewer(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, done % {"function": assignment.get_function_display(), "name": assignment.user}
        )
    return _back(request, assignment)


@decider_required
@require_POST
@reauthentication_required
def function_approve(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _decide(
        request, assignment_id, domain.approve_function, _("%(function)s voor %(name)s is goedgekeurd.")
    )


@accounts_required
@require_POST
def function_reject(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _decide(
        request,
        assignment_id,
        domain.reject_function,
        _("De aanvraag %(function)s voor %(name)s is afgewezen."),
    )


@decider_required
@require_POST
def function_revoke(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(FunctionAssignment.objects.select_related("user"), pk=assignment_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden voor het intrekken."))
        return _back(request, assignment)
    try:
        domain.revoke_function(assignment, by=_viewer(request), reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(function)s van %(name)s is ingetrokken.")
            % {"function": assignment.get_function_display(), "name": assignment.user},
        )
    return _back(request, assignment)


@reviewer_required
def access_review(request: HttpRequest) -> HttpResponse:
    rows = review.rows()
    context = {
        "rows": rows,
        "pending": review.pending_requests(),
        "invitations": review.open_invitations(),
        "can_decide": policy.can_decide_functions(_viewer(request)),
    }
    response = render(request, "identity/access_review.html", context)
    review.record_read(_viewer(request), rows, export=False)
    return response


@reviewer_required
def access_review_csv(request: HttpRequest) -> HttpResponse:
    rows = review.rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"autorisaties-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    review.write_csv(rows, response)
    review.record_read(_viewer(request), rows, export=True)
    return response


# --- Failed login attempts (issue 19) ------------------------------------------------------------


def _login_attempts(request: HttpRequest, account: User, *, own: bool) -> HttpResponse:
    attempts = throttle.read_failed_attempts(_viewer(request), account, own=own)
    context = {"account": account, "attempts": attempts, "own": own, "days": throttle.ATTEMPTS_SHOWN_DAYS}
    return render(request, "identity/login_attempts.html", context)


@login_required
def my_login_attempts(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own failed login attempts of the last weeks, with the address tried from."""
    return _login_attempts(request, _viewer(request), own=True)


@user_admin_required
def user_login_attempts(request: HttpRequest, user_id: int) -> HttpResponse:
    """The same list for the applicatiebeheerder, for any account."""
    return _login_attempts(request, get_object_or_404(User, pk=user_id), own=False)
