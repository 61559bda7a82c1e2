from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from arbo.registry.models import Department, Employer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodicExamForm(forms.Form):
    employer = forms.ModelChoiceField(
        queryset=Employer.objects.none(),
        label=gettext_lazy("Werkgever"),
        required=False,
        help_text=gettext_lazy("De werkgever die het onderzoek aanbiedt; leeg bij één werkgever."),
    )
    programme = forms.ChoiceField(label=gettext_lazy("Programma"), choices=PeriodicExam.Programme.choices)
    exam_date = forms.DateField(label=gettext_lazy("Datum onderzoek"), widget=DATE)
    results = forms.CharField(
        label=gettext_lazy("Uitslagen en bevindingen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )
    conclusion = forms.ChoiceField(label=gettext_lazy("Conclusie"), choices=PeriodicExam.Conclusion.choices)
    advice = forms.CharField(
        label=gettext_lazy("Advies aan de werknemer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        required=False,
    )

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers
        only = list(employers[:2])
        if len(only) == 1:
            field.initial = only[0].pk


class ExposureForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Soort blootstelling"), choices=ExposureRecord.Kind.choices)
    agent = forms.CharField(label=gettext_lazy("Stof of agens"), max_length=500)
    persistent_or_latent = forms.BooleanField(
        label=gettext_lazy("Biologisch agens dat blijvende of latente infecties kan veroorzaken"),
        required=False,
    )
    exposure_start = forms.DateField(label=gettext_lazy("Blootstelling vanaf"), widget=DATE)
    exposure_end = forms.DateField(
        label=gettext_lazy("Blootstelling tot en met"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Leeg zolang de blootstelling duurt."),
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=gettext_lazy("Afdeling"), required=False
    )
    source = forms.CharField(label=gettext_lazy("Bron of werkproces"), max_length=500, required=False)
    details = forms.CharField(
        label=gettext_lazy("Toelichting (metingen, dosis, maatregelen)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        required=False,
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class PreEmploymentExamForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Soort keuring"), choices=PreEmploymentExam.Kind.choices)
    position = forms.CharField(label=gettext_lazy("Functie"), max_length=120)
    exam_date = forms.DateField(label=gettext_lazy("Datum keuring"), widget=DATE)
    results = forms.CharField(
        label=gettext_lazy("Uitslagen en bevindingen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Uitslag"), choices=PreEmploymentExam.Outcome.choices, widget=forms.RadioSelect
    )
