from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.identity import domain
from arbo.identity.models import User


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    if request.user.kind in (User.Kind.STAFF, User.Kind.EMPLOYER):
        return redirect("registry:employee_list")
    if request.user.kind == User.Kind.EMPLOYEE:
        return redirect("registry:my_data")
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


@user_admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.prefetch_related("function_assignments").order_by("kind", "last_name", "username")
    return render(request, "identity/user_list.html", {"users": users})


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
        domain.deactivate_user(target, by=_admin(request), request=request)
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
        domain.reset_mfa(target, by=_admin(request), request=request)
        messages.success(
            request,
            _(
                "De authenticator van %(name)s is verwijderd en %(name)s is overal uitgelogd. "
                "Bij de volgende keer inloggen stelt %(name)s een nieuwe authenticator in."
            )
            % {"name": target},
        )
    return redirect("identity:user_list")
