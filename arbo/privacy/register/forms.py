from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.privacy.breaches.forms import CATEGORY_CHOICES
from arbo.privacy.register.domain import EDITABLE
from arbo.privacy.register.models import ProcessingActivity


class ActivityForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categorieën persoonsgegevens"), choices=CATEGORY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reden van de wijziging"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Komt in de geschiedenis; een wijziging publiceert een nieuwe versie van de privacyverklaring."
        ),
    )

    class Meta:
        model = ProcessingActivity
        fields = [name for name in EDITABLE if name != "categories"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "purpose",
                "purpose_en",
                "legal_basis",
                "legal_basis_en",
                "data_description",
                "data_description_en",
                "recipients",
                "recipients_en",
                "retention",
                "retention_en",
                "security_measures",
            )
        }
