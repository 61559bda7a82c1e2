"""The research export page: the medisch manager releases verified anonymous data (else 404)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from arbo.access.policy import can_release_research_data
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.reporting import research
from arbo.reporting.models import ResearchRelease


class ResearchForm(forms.Form):
    period_from = forms.DateField(
        label=_("Ziekmeldingen vanaf"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(label=_("tot en met"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("Doel van het onderzoek"), widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.ChoiceField(label=_("Grondslag"), choices=ResearchRelease.Basis.choices)


@login_required
def research_export(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not can_release_research_data(user):
        raise Http404
    form = ResearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release, content = research.release(
                by=user,
                start=data["period_from"],
                end=data["period_to"],
                purpose=data["purpose"],
                basis=data["basis"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="onderzoek-{release.pk}.csv"'
            return response
    releases = ResearchRelease.objects.select_related("requested_by")[:20]
    return render(
        request,
        "reporting/research.html",
        {"form": form, "releases": releases, "k": research.RESEARCH_MIN_K, "l": research.RESEARCH_MIN_L},
    )
