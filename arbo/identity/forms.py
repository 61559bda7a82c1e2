"""Forms of the authorisation pages. They validate input; ``arbo.identity.domain`` enforces the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.identity.models import ConfidentialityDeclaration, User
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Employer, EmployerMembership

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
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort verklaring"),
        choices=ConfidentialityDeclaration.Kind.choices,
        initial=ConfidentialityDeclaration.Kind.GENERAL,
        required=False,  # the general declaration when not chosen
        help_text=gettext_lazy(
            "De verklaring afgeleid beroepsgeheim is nodig voor casemanager taakdelegatie, POB en "
            "verzuimmedewerker met afgeleid beroepsgeheim: zonder haar lezen zij geen medische gegevens."
        ),
    )
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


# --- Provisioning (issue 9) ----------------------------------------------------------------------


class _AccountFields(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Gebruikersnaam"),
        max_length=150,
        error_messages={"required": gettext_lazy("Vul een gebruikersnaam in.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        help_text=gettext_lazy("Hierheen gaat de uitnodiging om een wachtwoord te kiezen."),
        error_messages={
            "required": gettext_lazy("Vul een e-mailadres in: de uitnodiging gaat per e-mail."),
            "invalid": gettext_lazy("Vul een geldig e-mailadres in."),
        },
    )


class _NamedAccountFields(_AccountFields):
    first_name = forms.CharField(label=gettext_lazy("Voornaam"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150)


class StaffAccountForm(_NamedAccountFields):
    function = FunctionRequestForm.base_fields["function"]
    reason = forms.CharField(
        label=gettext_lazy("Reden van de functieaanvraag"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("De functie telt pas als een andere beslisser haar goedkeurt."),
        error_messages={"required": gettext_lazy("Geef een reden voor de aanvraag.")},
    )


class EmployerAccountForm(_NamedAccountFields):
    employer = forms.ModelChoiceField(label=gettext_lazy("Werkgever"), queryset=Employer.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Rol"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.order_by("name")  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["role"].choices = EmployerMembership.Role.choices  # type: ignore[attr-defined]  # a ChoiceField


class EmployeeAccountForm(_AccountFields):
    employee = forms.IntegerField(
        label=gettext_lazy("Werknemer (nummer)"),
        help_text=gettext_lazy(
            "Het nummer van de werknemer in Arbodossier (in de adresbalk van zijn pagina)."
        ),
        error_messages={"required": gettext_lazy("Kies de werknemer.")},
    )


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(label=gettext_lazy("Wachtwoord"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=gettext_lazy("Nogmaals"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        return data


class TeamForm(forms.Form):
    employer = forms.ModelChoiceField(label=gettext_lazy("Werkgever"), queryset=Employer.objects.none())
    starts_on = _date_field(gettext_lazy("Vanaf"), required=gettext_lazy("Vul de ingangsdatum in."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.order_by("name")  # type: ignore[attr-defined]  # a ModelChoiceField


class DoctorTeamForm(forms.Form):
    member = forms.ModelChoiceField(label=gettext_lazy("Medewerker"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Rol"))
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=300,
        help_text=gettext_lazy("De arts of een medisch manager beslist; pas dan telt de rol."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from arbo.access.models_care import DoctorTeamMember  # noqa: PLC0415 — identity sits below access

        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            kind=User.Kind.STAFF, is_active=True
        ).order_by("last_name", "username")
        self.fields["kind"].choices = DoctorTeamMember.Kind.choices  # type: ignore[attr-defined]  # a ChoiceField
