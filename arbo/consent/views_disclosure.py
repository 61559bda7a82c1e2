"""Disclosure packages: staff compose, the recipient downloads, the employee reads the register."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arbo.consent import disclosures, queries
from arbo.consent.domain import MAX_FORM_BYTES
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError
from arbo.lib.pdf import pdf_response, render_pdf
from arbo.registry.models import Organisation

SESSION_KEY = "consent.download:{pk}"


class RecipientForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("Ontvanger"),
        queryset=Organisation.objects.filter(active=True),
        error_messages={"invalid_choice": gettext_lazy("Kies een ontvanger uit de lijst.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)


class DisclosureConsentForm(forms.Form):
    given_by = forms.CharField(label=gettext_lazy("Toestemming gegeven door"), max_length=200)
    valid_until = forms.DateField(
        label=gettext_lazy("Geldig tot en met"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_form = forms.FileField(
        label=gettext_lazy("Ondertekend formulier"),
        help_text=gettext_lazy("PDF, JPEG of PNG, hoogstens 10 MB; het wordt versleuteld bewaard."),
        error_messages={"required": gettext_lazy("Upload het ondertekende formulier.")},
    )

    def clean_signed_form(self) -> Any:
        upload = self.cleaned_data["signed_form"]
        if upload.size > MAX_FORM_BYTES:
            raise forms.ValidationError(_("Het ondertekende formulier is leeg of groter dan 10 MB."))
        return upload


def _offer_context(request: AuthenticatedHttpRequest, employee_id: int) -> dict[str, Any]:
    employee = disclosures.composable_employee(request.user, employee_id)
    form = RecipientForm(request.GET or request.POST or None)
    context: dict[str, Any] = {"employee": employee, "form": form, "offer": None, "error": ""}
    if form.is_bound and form.is_valid():
        recipient = form.cleaned_data["recipient"]
        context["recipient"] = recipient
        try:
            context["offer"] = disclosures.offer(request.user, employee, recipient)
        except DomainError as error:
            context["error"] = error.message
            context["consent_form"] = DisclosureConsentForm(initial={"given_by": employee.full_name})
    return context


@login_required
def compose(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """Choose a recipient; see what may go (and what not, and why); send the package."""
    context = _offer_context(request, employee_id)
    if request.method == "POST" and context["offer"] is not None:
        try:
            composed = disclosures.compose(
                request.user,
                context["employee"],
                context["recipient"],
                items=request.POST.getlist("items"),
            )
        except DomainError as error:
            context["error"] = error.message
        else:
            return render(request, "consent/composed.html", {"composed": composed, **context})
    return render(
        request,
        "consent/compose.html",
        context,
        status=422 if context["error"] and request.method == "POST" else 200,
    )


@login_required
@require_POST
def record_disclosure_consent(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """Staff record a signed consent form for one recipient."""
    context = _offer_context(request, employee_id)
    form = DisclosureConsentForm(request.POST, request.FILES)
    recipient = context.get("recipient")
    if recipient is None or not form.is_valid():
        messages.error(
            request,
            _("Vul in wie toestemming gaf en tot wanneer die geldt, en upload het ondertekende formulier."),
        )
    else:
        try:
            disclosures.record_disclosure_consent(
                request.user,
                context["employee"],
                recipient,
                given_by=form.cleaned_data["given_by"],
                valid_until=form.cleaned_data["valid_until"],
                signed_form=form.cleaned_data["signed_form"].read(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
    query = f"?recipient={recipient.pk}" if recipient is not None else ""
    return redirect(reverse("consent:compose", args=[employee_id]) + query)


def download(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The recipient's page behind the link: the code first, then the PDF and the JSON."""
    disclosure = disclosures.link_disclosure(token)
    unlocked = request.session.get(SESSION_KEY.format(pk=disclosure.pk)) is True
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosures.open_link(token, form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session[SESSION_KEY.format(pk=disclosure.pk)] = True
            return redirect("consent:download", token=token)
    fmt = request.GET.get("format")
    if unlocked and fmt == "json":
        response = HttpResponse(
            json.dumps(disclosures.content_of(disclosure), ensure_ascii=False, indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = f'attachment; filename="verstrekking-{disclosure.pk}.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    if unlocked and fmt == "pdf":
        content = disclosures.content_of(disclosure)
        pdf = render_pdf("consent/pdf/package.html", {"content": content, "disclosure": disclosure})
        return pdf_response(pdf, f"verstrekking-{disclosure.pk}")
    return render(request, "consent/download.html", {"form": form, "unlocked": unlocked, "token": token})


@login_required
def my_disclosures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employee's disclosure register: who sent what to whom, on which ground, when."""
    rows = queries.own_disclosures(request.user)
    return render(request, "consent/my_disclosures.html", {"rows": rows})
