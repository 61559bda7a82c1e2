from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from arbo.privacy.breaches.models import Breach
from arbo.registry.models import Employer

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CATEGORY_CHOICES = [
    ("A", _("A — verzuim- en administratieve gegevens")),
    ("B", _("B — re-integratiegegevens")),
    ("C", _("C — medische gegevens")),
    ("D", _("D — algemene gegevens (naam, adres, contact)")),
]


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("Wat is er gebeurd, in één zin"), max_length=200)
    description = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hoe, waar, wie heeft het gemerkt. Noem geen medische details."),
    )
    aware_at = forms.DateTimeField(label=_("Wanneer ontdekt"), widget=DATETIME)
    occurred_at = forms.DateTimeField(
        label=_("Wanneer gebeurd (als bekend)"), widget=DATETIME, required=False
    )
    data_description = forms.CharField(
        label=_("Welke gegevens"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: een verzuimoverzicht met namen en ziektedagen."),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Soorten gegevens"),
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        error_messages={"required": _("Kies welke soorten gegevens het betreft (minstens één).")},
    )
    people_estimate = forms.IntegerField(
        label=_("Hoeveel mensen (schatting)"), min_value=0, max_value=10_000_000
    )
    employer = forms.ModelChoiceField(
        label=_("Werkgever (als het één werkgever betreft)"), queryset=Employer.objects.none(), required=False
    )

    def __init__(self, *args: Any, employers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if employers is not None:
            self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    nature = forms.MultipleChoiceField(
        label=_("Aard van de inbreuk"), choices=Breach.Nature.choices, widget=forms.CheckboxSelectMultiple
    )
    risk = forms.ChoiceField(
        label=_("Risico voor de betrokkenen"),
        choices=[("", "—"), *((v, label) for v, label in Breach.Risk.choices if v)],
    )
    risk_reasoning = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))
    consequences = forms.CharField(
        label=_("Mogelijke gevolgen voor de betrokkenen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    aware_at = forms.DateTimeField(
        label=_("Moment van ontdekken (corrigeren)"),
        widget=DATETIME,
        required=False,
        help_text=_("Alleen invullen als de melder het moment verkeerd had; de 72 uur lopen vanaf hier."),
    )

    @staticmethod
    def initial_for(breach: Breach) -> dict[str, Any]:
        return {
            "nature": breach.nature,
            "risk": breach.risk or None,
            "risk_reasoning": breach.risk_reasoning,
            "consequences": breach.consequences,
        }


YES_NO = [("yes", _("ja")), ("no", _("nee"))]


class DecideForm(forms.Form):
    notify_ap = forms.ChoiceField(
        label=_("Melden bij de Autoriteit Persoonsgegevens?"), choices=YES_NO, widget=forms.RadioSelect
    )
    notify_ap_reason = forms.CharField(
        label=_("Waarom (wel of niet)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    notify_subjects = forms.ChoiceField(
        label=_("De betrokkenen informeren?"), choices=YES_NO, widget=forms.RadioSelect
    )
    notify_subjects_reason = forms.CharField(
        label=_("Waarom (wel of niet)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(breach: Breach) -> dict[str, Any]:
        def yes_no(value: bool | None) -> str | None:
            return None if value is None else ("yes" if value else "no")

        return {
            "notify_ap": yes_no(breach.notify_ap),
            "notify_ap_reason": breach.notify_ap_reason,
            "notify_subjects": yes_no(breach.notify_subjects),
            "notify_subjects_reason": breach.notify_subjects_reason,
        }


class NoticeForm(forms.Form):
    notified_at = forms.DateTimeField(label=_("Gemeld bij de AP op"), widget=DATETIME)
    reference = forms.CharField(label=_("Meldnummer van de AP"), max_length=60)


class AffectedForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Employer.objects.order_by("name"))
    personnel_numbers = forms.CharField(
        label=_("Personeelsnummers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Eén per regel of gescheiden door komma's. Leeg laten met 'alle werknemers' hieronder."),
    )
    everyone = forms.BooleanField(label=_("Alle huidige werknemers van deze werkgever"), required=False)
    data_categories = forms.MultipleChoiceField(
        label=_("Welke gegevens van deze mensen"),
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies welke soorten gegevens het betreft (minstens één).")},
    )
    language = forms.ChoiceField(label=_("Taal van de brief"), choices=settings.LANGUAGES)

    @staticmethod
    def numbers_of(data: dict[str, Any]) -> list[str]:
        raw = data.get("personnel_numbers") or ""
        return [n.strip() for n in raw.replace(",", "\n").splitlines() if n.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("everyone") and not self.numbers_of(data):
            raise forms.ValidationError(_("Geef personeelsnummers, of kies alle werknemers."))
        return data


class LettersForm(forms.Form):
    letter_text = forms.CharField(
        label=_("Toelichting in de brief (Nederlands)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    letter_text_en = forms.CharField(
        label=_("Toelichting in de brief (Engels)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class MeasuresForm(forms.Form):
    measures = forms.CharField(label=_("Genomen maatregelen"), widget=forms.Textarea(attrs={"rows": 3}))
