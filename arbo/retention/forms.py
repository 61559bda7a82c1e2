from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.retention.models import Event, LegalHold


class HoldForm(forms.Form):
    bsn = forms.CharField(label=_("BSN van de werknemer"), max_length=11)
    kind = forms.ChoiceField(label=_("Soort"), required=False)
    reason = forms.ChoiceField(label=_("Reden"), choices=LegalHold.Reason.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(label=_("Herbeoordelen op"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", _("alle soorten")), *kinds]  # type: ignore[attr-defined]


class RuleChangeForm(forms.Form):
    kind = forms.SlugField(label=_("Soort"), max_length=40)
    label = forms.CharField(label=_("Omschrijving"), max_length=200)
    years = forms.IntegerField(label=_("Jaren"), min_value=0, max_value=100, initial=0)
    months = forms.IntegerField(label=_("Maanden"), min_value=0, max_value=132, initial=0)
    days = forms.IntegerField(label=_("Dagen"), min_value=0, max_value=366, initial=0)
    runs_from = forms.ChoiceField(label=_("Loopt vanaf"), choices=Event.choices)
    otherwise_from = forms.ChoiceField(
        label=_("Anders vanaf"), choices=[("", "—"), *Event.choices], required=False
    )
    years_if_persistent = forms.IntegerField(
        label=_("Jaren bij blijvende of latente werking"), min_value=0, required=False
    )
    until_age = forms.IntegerField(label=_("Ten minste tot leeftijd"), min_value=0, required=False)
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}))
