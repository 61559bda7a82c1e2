"""Forms of the authorisation pages. They validate input; ``arbo.identity.domain`` enforces the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.identity.roles import StaffFunction

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _date_field(label: Any, *, required: Any = None) -> forms.DateField:
    """A date field; ``required`` is the message for a missing date (``None``: optional)."""
    errors = {"invalid": gettext_lazy("Vul een geldige datum in (dd-mm-jjjj).")}
    if required is not None:
        errors["required"] = required
    return forms.DateField(
        label=label,
        required=required is not None,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages=errors,
    )


class FunctionRequestForm(forms.Form):
    function = forms.ChoiceField(
        label=gettext_lazy("Functie"),
        choices=[("", "—"), *StaffFunction.choices],
        error_messages={
            "required": gettext_lazy("Kies een functie."),
            "invalid_choice": gettext_lazy("Kies een bestaande functie."),
        },
    )
    starts_on = _date_field(gettext_lazy("Vanaf"), required=gettext_lazy("Vul de ingangsdatum in."))
    ends_on = _date_field(gettext_lazy("Tot en met"))
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Waarom heeft deze medewerker de functie nodig? Noem geen werknemers."),
        error_messages={"required": gettext_lazy("Geef een reden voor de aanvraag.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("De einddatum ligt vóór de ingangsdatum."))
        return data


class DeclarationForm(forms.Form):
    signed_on = _date_field(
        gettext_lazy("Ondertekend op"), required=gettext_lazy("Vul de datum van ondertekening in.")
    )
    version = forms.CharField(
        label=gettext_lazy("Versie van de verklaring"),
        max_length=40,
        help_text=gettext_lazy("Bijvoorbeeld 2026-01."),
        error_messages={"required": gettext_lazy("Vul de versie van de verklaring in.")},
    )


class LeavingForm(forms.Form):
    leaves_on = _date_field(
        gettext_lazy("Laatste werkdag"),
        required=gettext_lazy("Vul de laatste werkdag in."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van intrekken"),
        max_length=2000,
        error_messages={"required": gettext_lazy("Geef een reden voor het intrekken.")},
    )
