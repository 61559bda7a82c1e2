"""Forms of the matrix page. They validate input; ``arbo.access.domain`` enforces the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.access.matrix import Category
from arbo.access.models_matrix import Level
from arbo.identity.roles import StaffFunction


class MatrixChangeForm(forms.Form):
    function = forms.ChoiceField(
        label=_("Functie"),
        choices=[("", "—"), *StaffFunction.choices],
        error_messages={
            "required": _("Kies een functie."),
            "invalid_choice": _("Kies een bestaande functie."),
        },
    )
    category = forms.ChoiceField(
        label=_("Categorie"),
        choices=[("", "—"), *Category.choices],
        error_messages={
            "required": _("Kies een categorie."),
            "invalid_choice": _("Kies categorie A, B, C of D."),
        },
    )
    new_level = forms.ChoiceField(
        label=_("Nieuwe toegang"),
        choices=[("", "—"), *Level.choices],
        error_messages={
            "required": _("Kies de nieuwe toegang."),
            "invalid_choice": _("Kies een geldig toegangsniveau."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Waarom is deze afwijking van bijlage 2 nodig? Noem geen namen van werknemers."),
        error_messages={"required": _("Geef een reden voor de wijziging.")},
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting bij het besluit"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
