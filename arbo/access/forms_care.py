from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from arbo.access import care
from arbo.access.care_requests import candidates_for
from arbo.identity.models import User
from arbo.registry.validators import normalise_bsn


class BreakTheGlassForm(forms.Form):
    bsn = forms.CharField(label=gettext_lazy("BSN van de werknemer"), max_length=11)
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Waarom is inzage nu nodig? De privacy officer beoordeelt elke noodtoegang."),
    )

    def clean_bsn(self) -> str:
        return normalise_bsn(self.cleaned_data["bsn"])


class ConsultForm(forms.Form):
    colleague = forms.ModelChoiceField(label=gettext_lazy("Collega-arts"), queryset=User.objects.none())
    days = forms.IntegerField(label=gettext_lazy("Aantal dagen"), min_value=1, max_value=30, initial=7)
    reason = forms.CharField(label=gettext_lazy("Reden"), max_length=300)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = care.doctors()  # type: ignore[attr-defined]  # a ModelChoiceField


class TreatingDoctorRequestForm(forms.Form):
    candidate = forms.ModelChoiceField(label=gettext_lazy("Arts"), queryset=User.objects.none())
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=300,
        help_text=gettext_lazy("Bijvoorbeeld: nieuwe arts op het contract. Geen medische gegevens."),
    )

    def __init__(self, *args, employee, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)

        self.fields["candidate"].queryset = candidates_for(employee)  # type: ignore[attr-defined]  # a ModelChoiceField


class CareDecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Toelichting"), max_length=300, required=False)


class WideningForm(forms.Form):
    doctor = forms.ModelChoiceField(label=gettext_lazy("Arts"), queryset=User.objects.none())
    days = forms.IntegerField(label=gettext_lazy("Aantal dagen"), min_value=1, max_value=7, initial=1)
    max_uses = forms.IntegerField(label=gettext_lazy("Hoe vaak"), min_value=1, max_value=5, initial=1)
    reason = forms.CharField(label=gettext_lazy("Reden"), max_length=300)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = care.doctors()  # type: ignore[attr-defined]  # a ModelChoiceField
