from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.privacy.processors.models import Processor, SupportEngineer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CERTIFICATIONS = [("ISO 27001", "ISO 27001"), ("NEN 7510", "NEN 7510"), ("ISO 9001", "ISO 9001")]


class ProcessorForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    services = forms.CharField(label=_("Diensten"), widget=forms.Textarea(attrs={"rows": 2}))
    agreement_signed_on = forms.DateField(label=_("Verwerkersovereenkomst getekend op"), widget=DATE)
    agreement_ends_on = forms.DateField(label=_("Loopt tot"), widget=DATE, required=False)
    certifications = forms.MultipleChoiceField(
        label=_("Certificeringen"),
        choices=CERTIFICATIONS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sub_processors = forms.CharField(
        label=_("Subverwerkers"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    locations = forms.CharField(
        label=_("Landen van verwerking"),
        help_text=_("Landcodes, gescheiden door komma's, bijvoorbeeld NL, DE."),
        max_length=200,
    )
    contact = forms.CharField(label=_("Contactpersoon"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def clean_locations(self) -> list[str]:
        return [code.strip().upper() for code in self.cleaned_data["locations"].split(",") if code.strip()]

    @staticmethod
    def initial_for(processor: Processor) -> dict[str, Any]:
        return {
            "name": processor.name,
            "services": processor.services,
            "agreement_signed_on": processor.agreement_signed_on,
            "agreement_ends_on": processor.agreement_ends_on,
            "certifications": processor.certifications,
            "sub_processors": processor.sub_processors,
            "locations": ", ".join(processor.locations),
            "contact": processor.contact,
            "active": processor.active,
        }


class WindowForm(forms.Form):
    engineer = forms.ModelChoiceField(
        label=_("Medewerker van de leverancier"), queryset=SupportEngineer.objects.none(), required=False
    )
    new_username = forms.CharField(label=_("of: nieuwe gebruikersnaam"), max_length=150, required=False)
    new_name = forms.CharField(label=_("naam"), max_length=150, required=False)
    new_email = forms.EmailField(label=_("e-mail"), required=False)
    ticket = forms.CharField(label=_("Ticket"), max_length=60)
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = forms.DateTimeField(label=_("Van"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Tot"), widget=DATETIME, help_text=_("Hooguit acht uur."))

    def __init__(self, *args: Any, processor: Processor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = processor.engineers.select_related("user")  # type: ignore[attr-defined]
