from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.identity import domain
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    if request.user.kind in (User.Kind.STAFF, User.Kind.EMPLOYER):
        return redirect("registry:employee_list")
    if request.user.kind == User.Kind.EMPLOYEE:
        return redirect("registry:my_data")
    raise Http404


def _require_user_admin(user: User) -> None:
    # Account administration is the applicatiebeheerder's job (seed 000: applicatiebeheer).
    if user.kind != User.Kind.STAFF or StaffFunction.APPLICATIEBEHEERDER not in user.functions_on():
        raise Http404


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_user_admin(request.user)
    users = User.objects.prefetch_related("function_assignments").order_by("kind", "last_name", "username")
    return render(request, "identity/user_list.html", {"users": users})


@login_required
@require_POST
@reauthentication_required
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_user_admin(request.user)
    target = get_object_or_404(User, pk=user_id, is_active=True)
    if target == request.user:
        messages.error(request, _("Je kunt je eigen account niet blokkeren."))
        return redirect("identity:user_list")
    domain.deactivate_user(target, by=request.user, request=request)
    messages.success(request, _("Account %(name)s is geblokkeerd en overal uitgelogd.") % {"name": target})
    return redirect("identity:user_list")
