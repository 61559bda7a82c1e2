"""The privacy officer's registry of recipients: list (with each kind's profile), new, edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from arbo.consent import recipients
from arbo.consent.forms import RecipientForm
from arbo.consent.items import ITEMS
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError


def _profile_rows() -> list[dict[str, Any]]:
    kinds = dict(RecipientForm.base_fields["kind"].choices)  # type: ignore[attr-defined]
    return [
        {
            "kind": kind,
            "label": kinds.get(kind, kind),
            "ground": profile.get_ground_display(),
            "legal_basis": profile.legal_basis,
            "person_packages": profile.person_packages,
            "items": [str(ITEMS[key].label) for key in profile.items if key in ITEMS],
        }
        for kind, profile in recipients.profiles().items()
    ]


@login_required
def recipient_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = recipients.recipients_for(request.user)
    return render(request, "consent/recipient_list.html", {"rows": rows, "profiles": _profile_rows()})


def _save(request: AuthenticatedHttpRequest, organisation: Any) -> HttpResponse:
    initial = None
    if organisation is not None:
        initial = {key: getattr(organisation, key) for key in recipients.FIELDS}
    form = RecipientForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = recipients.save_recipient(request.user, organisation, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Ontvanger {name} is opgeslagen.").format(name=saved.name))
                return redirect("recipients:list")
        status = 422
    return render(
        request,
        "consent/recipient_form.html",
        {"form": form, "organisation": organisation, "profiles": _profile_rows()},
        status=status,
    )


@login_required
def recipient_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    recipients.recipients_for(request.user)  # 404 for anyone but the privacy officer
    return _save(request, None)


@login_required
def recipient_edit(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    return _save(request, recipients.recipient_for(request.user, organisation_id))
