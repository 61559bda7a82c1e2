"""The employee's consents in the portal: see them all, withdraw one (after a second step that says
who will no longer receive what; issue 18)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.consent import confirmations, domain, queries
from arbo.consent.forms import WithdrawForm
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib import confirm
from arbo.lib.errors import DomainError


@login_required
def my_consents(request: AuthenticatedHttpRequest) -> HttpResponse:
    consents = list(queries.own_consents(request.user))
    return render(
        request,
        "consent/my_consents.html",
        {
            "consents": consents,
            "form": WithdrawForm(),
            "objected_at": queries.own_visitation_objection(request.user),
        },
    )


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, consent_id: int) -> HttpResponse:
    consent = queries.own_consent(request.user, consent_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vink aan dat je de toestemming wilt intrekken."))
        return redirect("consent:mine")
    if not confirm.confirmed(request):  # issue 18: the second step first, nothing changes yet
        return render(request, "confirm.html", {"confirmation": confirmations.withdraw(consent)})
    try:
        domain.withdraw_consent(consent, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Je toestemming is ingetrokken. Vanaf nu wordt ze niet meer gebruikt."))
    return redirect("consent:mine")
