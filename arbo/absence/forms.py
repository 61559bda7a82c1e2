"""Forms of the absence pages: they parse input; the domain functions decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.absence.models import RecoveryReport, SickPeriod
from arbo.lib.forms import CleanTextMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SickReportForm(CleanTextMixin, forms.Form):
    first_sick_day = forms.DateField(label=_("Eerste ziektedag"), widget=DATE)
    expected_duration = forms.ChoiceField(
        label=_("Verwachte duur"), choices=SickPeriod.ExpectedDuration.choices
    )
    stay_address = forms.CharField(
        label=_("Verblijfsadres tijdens ziekte (als dat afwijkt)"), required=False, max_length=300
    )
    phone = forms.CharField(label=_("Telefoonnummer tijdens ziekte"), required=False, max_length=30)
    safety_net = forms.BooleanField(label=_("Er is een vangnetregeling van toepassing"), required=False)
    workplace_accident = forms.BooleanField(
        label=_("De ziekte is het gevolg van een bedrijfsongeval"), required=False
    )
    liable_third_party = forms.BooleanField(
        label=_("Er is een aansprakelijke derde (bijvoorbeeld een verkeersongeval)"), required=False
    )
    remarks = forms.CharField(
        label=_("Opmerkingen (lopende afspraken, over te dragen werk)"),
        help_text=_("Noem nooit de aard of oorzaak van de ziekte, ook niet als de werknemer die vertelt."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(
        self, *args: Any, staff: bool = False, employers: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if employers and len(employers) > 1:
            self.fields["employer"] = forms.TypedChoiceField(
                label=_("Werkgever"), choices=[(e.pk, e.name) for e in employers], coerce=int
            )
        if staff:
            self.fields["safety_net_kind"] = forms.ChoiceField(
                label=_("Soort vangnet (alleen arbodienst)"),
                choices=[("", "—"), *SickPeriod.SafetyNet.choices],
                required=False,
            )
            self.fields["after_pregnancy_leave"] = forms.BooleanField(
                label=_("Sluit aan op zwangerschapsverlof, zelfde oorzaak (telt samen)"), required=False
            )


class RecoveryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Herstel"), choices=RecoveryReport.Kind.choices)
    recovered_on = forms.DateField(label=_("Hersteld per (eerste werkdag)"), widget=DATE)
    percentage = forms.IntegerField(label=_("Percentage hervat (bij gedeeltelijk herstel)"), required=False)
    hours_per_week = forms.DecimalField(
        label=_("Uren per week (bij gedeeltelijk herstel)"), required=False, max_digits=4, decimal_places=1
    )


class TherapeuticWorkForm(forms.Form):
    starts_on = forms.DateField(label=_("Arbeidstherapie vanaf"), widget=DATE)
    hours_per_week = forms.DecimalField(label=_("Uren per week"), max_digits=4, decimal_places=1)


class WithdrawForm(forms.Form):
    report_type = forms.ChoiceField(
        choices=[
            ("sick_period", "sick_period"),
            ("recovery", "recovery"),
            ("therapeutic_work", "therapeutic_work"),
        ]
    )
    report_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(label=_("Reden"), max_length=500)


class CorrectSickReportForm(SickReportForm):
    reason = forms.CharField(label=_("Reden van de correctie"), max_length=500)
    #: arbo.absence.reports.domain.report_version of the report the form was opened on (issue 19).
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class CorrectRecoveryForm(forms.Form):
    recovered_on = forms.DateField(label=_("Hersteld per"), widget=DATE)
    percentage = forms.IntegerField(label=_("Percentage hervat"), required=False)
    hours_per_week = forms.DecimalField(
        label=_("Uren per week"), required=False, max_digits=4, decimal_places=1
    )
    reason = forms.CharField(label=_("Reden van de correctie"), max_length=500)
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class DeviationForm(forms.Form):
    due_on = forms.DateField(label=_("Afgesproken datum"), widget=DATE)
    reason = forms.CharField(label=_("Reden van de afwijking"), max_length=500)


class CompleteForm(forms.Form):
    done_on = forms.DateField(label=_("Gedaan op"), widget=DATE)


class CasemanagerForm(forms.Form):
    casemanager = forms.TypedChoiceField(label=_("Casemanager"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["casemanager"].choices = choices  # type: ignore[attr-defined]
