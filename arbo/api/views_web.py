"""Web pages where an employer's HR user manages the API clients of their employer.

Only HR users whose membership is not limited to departments may do so: an API client sees the
whole employer, so creating one must not widen anyone's reach.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from arbo.access import policy
from arbo.api import domain
from arbo.api.models import ApiToken
from arbo.identity.models import User
from arbo.registry.models import Employer, EmployerMembership


class AuthenticatedRequest(HttpRequest):
    """What ``login_required`` guarantees, spelled out for the type checker."""

    user: User


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam van de koppeling"),
        max_length=120,
        help_text=gettext_lazy("Bijvoorbeeld het HR-systeem dat de koppeling gebruikt."),
    )
    employer = forms.ModelChoiceField(label=gettext_lazy("Werkgever"), queryset=Employer.objects.none())

    def __init__(self, *args, employers: QuerySet[Employer], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        if employers.count() == 1:
            self.fields["employer"].initial = employers.first()
            self.fields["employer"].widget = forms.HiddenInput()


def managed_employers(user: User) -> QuerySet[Employer]:
    """Employers whose API clients ``user`` manages: HR membership, not limited to departments."""
    if not user.is_authenticated or not user.is_active or not policy.is_employer_user(user):
        return Employer.objects.none()
    memberships = EmployerMembership.objects.filter(
        user=user, role=EmployerMembership.Role.HR, departments__isnull=True
    )
    return Employer.objects.filter(pk__in=memberships.values("employer_id"))


def _employers_or_404(user: User) -> QuerySet[Employer]:
    employers = managed_employers(user)
    if not employers.exists():
        raise Http404
    return employers


def _tokens_of(employers: QuerySet[Employer]) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(user__employer_memberships__employer__in=employers)
        .select_related("created_by")
        .distinct()
    )


def _list(request: HttpRequest, employers: QuerySet[Employer], form: ApiClientForm) -> HttpResponse:
    tokens = _tokens_of(employers).prefetch_related("user__employer_memberships__employer")
    context = {"tokens": tokens, "form": form, "several_employers": employers.count() > 1}
    return render(request, "api/client_list.html", context)


@login_required
@require_GET
def client_list(request: AuthenticatedRequest) -> HttpResponse:
    employers = _employers_or_404(request.user)
    return _list(request, employers, ApiClientForm(employers=employers))


@login_required
@never_cache
@require_POST
@reauthentication_required
def client_create(request: AuthenticatedRequest) -> HttpResponse:
    employers = _employers_or_404(request.user)
    form = ApiClientForm(request.POST, employers=employers)
    if not form.is_valid():
        return _list(request, employers, form)
    token, plaintext = domain.create_api_client(
        form.cleaned_data["employer"], name=form.cleaned_data["name"], by=request.user
    )
    # Rendered directly (no redirect): the plaintext exists only in this one response.
    return render(request, "api/client_created.html", {"token": token, "plaintext": plaintext})


@login_required
@require_POST
@reauthentication_required
def client_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    employers = _employers_or_404(request.user)
    token = get_object_or_404(_tokens_of(employers), pk=token_id)
    if domain.revoke_api_token(token, by=request.user):
        messages.success(request, _("API-koppeling %(name)s is ingetrokken.") % {"name": token.name})
    else:
        messages.info(request, _("API-koppeling %(name)s was al ingetrokken.") % {"name": token.name})
    return redirect("api:client_list")
