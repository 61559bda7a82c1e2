"""Forms validate and clean; the domain functions write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.lib.forms import CleanTextMixin
from arbo.registry.models import (
    Contract,
    Department,
    Employee,
    Employer,
    Employment,
    Service,
    bsn_blind_index,
)
from arbo.registry.validators import (
    clean_personnel_number,
    normalise_bsn,
    normalise_kvk,
    normalise_postcode,
    validate_birth_date,
    validate_employment_date,
    validate_employment_period,
    validate_hours_per_week,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clean_postcode(value: str) -> str:
    return normalise_postcode(value) if value else ""


class EmployerForm(CleanTextMixin, forms.ModelForm):
    # Wider than the column: "1234 5678" and "1234.5678" are accepted and normalised.
    kvk_number = forms.CharField(label=gettext_lazy("KvK-nummer"), max_length=12)

    class Meta:
        model = Employer
        fields = [
            "name",
            "kvk_number",
            "street",
            "house_number",
            "postcode",
            "city",
            "erd_zw",
            "erd_wga",
            "full_time_hours",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Empty means the usual full-time week of 38 hours (the absence figures' part-time factor).
        self.fields["full_time_hours"].required = False

    def clean_full_time_hours(self) -> Decimal:
        return self.cleaned_data.get("full_time_hours") or Employer._meta.get_field("full_time_hours").default

    def clean_kvk_number(self) -> str:
        number = normalise_kvk(self.cleaned_data["kvk_number"])
        if Employer.objects.filter(kvk_number=number).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Er is al een werkgever met dit KvK-nummer."), code="kvk_taken")
        return number

    def clean_postcode(self) -> str:
        return _clean_postcode(self.cleaned_data["postcode"])


class ContractForm(CleanTextMixin, forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=gettext_lazy("Afgenomen diensten"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Contract
        fields = ["starts_on", "ends_on", "services"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("De einddatum ligt vóór de ingangsdatum."))
        return data


class EmployeeForm(CleanTextMixin, forms.ModelForm):
    """Person data. The BSN field is present only for users who may change category A."""

    bsn = forms.CharField(
        label=gettext_lazy("BSN"),
        required=False,
        max_length=11,
        help_text=gettext_lazy("9 cijfers; wordt versleuteld opgeslagen en gemaskeerd getoond."),
    )

    class Meta:
        model = Employee
        fields = [
            "initials",
            "first_names",
            "tussenvoegsel",
            "surname",
            "gender",
            "birth_date",
            "street",
            "house_number",
            "postcode",
            "city",
            "stay_address",
            "phone",
            "mobile",
            "email",
            "bsn",
        ]
        widgets = {"birth_date": DATE_WIDGET}

    def __init__(self, *args: Any, with_category_a: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_category_a:
            del self.fields["bsn"]
            del self.fields["stay_address"]
        self.fields["birth_date"].validators.append(validate_birth_date)

    def clean_bsn(self) -> str:
        value = self.cleaned_data.get("bsn", "").strip()
        if not value:
            return ""
        bsn = normalise_bsn(value)
        others = Employee.objects.filter(bsn_index=bsn_blind_index(bsn))
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise ValidationError(_("Dit BSN hoort al bij een andere persoon."), code="bsn_taken")
        return bsn

    def clean_postcode(self) -> str:
        return _clean_postcode(self.cleaned_data["postcode"])


class EmploymentForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Employment
        fields = [
            "personnel_number",
            "department",
            "job_title",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "contract_type",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.fields["department"].queryset = Department.objects.filter(employer=employer)  # type: ignore[attr-defined]  # a ModelChoiceField
        for name in ("starts_on", "ends_on"):
            self.fields[name].validators.append(validate_employment_date)
        self.fields["hours_per_week"].validators.append(validate_hours_per_week)

    def clean_personnel_number(self) -> str:
        number = clean_personnel_number(self.cleaned_data["personnel_number"])
        taken = Employment.objects.filter(employer=self.employer, personnel_number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("Personeelsnummer %(number)s is bij deze werkgever al in gebruik.") % {"number": number},
                code="personnel_number_taken",
            )
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            validate_employment_period(data.get("starts_on"), data.get("ends_on"))
        except ValidationError as error:
            self.add_error("ends_on", error)
        return data


class EmployerChoiceForm(forms.Form):
    employer = forms.ModelChoiceField(label=gettext_lazy("Werkgever"), queryset=Employer.objects.none())

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]  # a ModelChoiceField
