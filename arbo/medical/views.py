from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arbo.access.matrix import Action, Category
from arbo.access.policy import employees_visible_to, require
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.medical import domain
from arbo.medical.models import MedicalNote


class MedicalNoteForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=MedicalNote.Kind.choices)
    body = forms.CharField(
        label=gettext_lazy("Medische notitie"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )


@login_required
@require_POST
def add_note(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    require(request.user, Action.CHANGE, Category.C, employee)
    form = MedicalNoteForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("De medische notitie is niet opgeslagen: kies een soort en schrijf een tekst.")
        )
        return redirect(employee)
    domain.add_medical_note(
        employee,
        kind=form.cleaned_data["kind"],
        body=form.cleaned_data["body"],
        by=request.user,
        request=request,
    )
    messages.success(request, _("De medische notitie is opgeslagen."))
    return redirect(employee)
