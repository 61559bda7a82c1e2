from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from arbo.journal.models import JournalEntry


class JournalEntryForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Categorie"))
    text = forms.CharField(
        label=gettext_lazy("Notitie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(JournalEntry.Category.choices)
        self.fields["category"].choices = [(c, labels[c]) for c in categories]  # type: ignore[attr-defined]  # a ChoiceField
