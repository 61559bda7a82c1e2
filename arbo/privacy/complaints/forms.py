from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from arbo.identity.models import User
from arbo.privacy.complaints.models import Complaint
from arbo.registry.models import Employer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def staff_choices() -> Any:
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("last_name", "first_name")


class PortalComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Waarover gaat je klacht?"), choices=Complaint.Kind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Je klacht"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat is er gebeurd, wanneer, en met wie? Wat zou je willen dat er gebeurt?"),
    )


class StaffComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort klacht"), choices=Complaint.Kind.choices)
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DATE)
    employer = forms.ModelChoiceField(
        label=_("Werkgever van de klager"), queryset=Employer.objects.order_by("name"), required=False
    )
    personnel_number = forms.CharField(
        label=_("Personeelsnummer van de klager"), required=False, max_length=40
    )
    complainant_name = forms.CharField(
        label=_("Naam klager"),
        required=False,
        max_length=200,
        help_text=_("Als de klager geen werknemer in het register is."),
    )
    complainant_contact = forms.CharField(label=_("Contactgegevens klager"), required=False, max_length=300)
    language = forms.ChoiceField(label=_("Taal van de brieven"), choices=settings.LANGUAGES)
    description = forms.CharField(label=_("De klacht"), widget=forms.Textarea(attrs={"rows": 5}))
    about = forms.ModelChoiceField(label=_("Over (medewerker)"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = staff_choices()  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Klachtenfunctionaris"), queryset=User.objects.none())
    about = forms.ModelChoiceField(
        label=_("De klacht gaat over (medewerker)"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff_choices()  # type: ignore[attr-defined]
        self.fields["about"].queryset = staff_choices()  # type: ignore[attr-defined]


class ExtendForm(forms.Form):
    new_due_on = forms.DateField(label=_("Nieuwe uiterste beslisdatum"), widget=DATE)
    reason = forms.CharField(label=_("Reden (gaat naar de klager)"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    upheld = forms.ChoiceField(
        label=_("Oordeel"), choices=[("yes", _("gegrond")), ("no", _("ongegrond"))], widget=forms.RadioSelect
    )
    outcome = forms.CharField(
        label=_("Oordeel en maatregelen (gaat naar de klager)"), widget=forms.Textarea(attrs={"rows": 5})
    )
