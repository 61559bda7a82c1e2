"""Forms of the rights requests: the portal, the staff registration and the steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.lib.forms import CleanTextMixin
from arbo.privacy.rights.models import Objection, RightsRequest
from arbo.registry.models import Employer

DATE = forms.DateInput(attrs={"type": "date"})


class PortalRequestForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Wat wil je?"), choices=RightsRequest.Kind.choices)
    medical = forms.BooleanField(label=_("Het gaat (ook) over mijn medisch dossier"), required=False)
    description = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bij correctie, verwijdering of bezwaar: wat moet er gebeuren en waarom?"),
    )


class StaffRequestForm(CleanTextMixin, forms.Form):
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Employer.objects.order_by("name"))
    personnel_number = forms.CharField(label=_("Personeelsnummer"), max_length=40)
    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=RightsRequest.Kind.choices)
    channel = forms.ChoiceField(
        label=_("Binnengekomen via"),
        choices=[c for c in RightsRequest.Channel.choices if c[0] != RightsRequest.Channel.PORTAL],
    )
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DATE)
    medical = forms.BooleanField(label=_("Betreft het medisch dossier"), required=False)
    description = forms.CharField(
        label=_("Het verzoek"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(
        label=_("Taal van de brieven"), choices=[("nl", "Nederlands"), ("en", "English")]
    )
    representative = forms.CharField(
        label=_("Namens de betrokkene ingediend door"), required=False, max_length=200
    )
    authorisation = forms.CharField(label=_("Machtiging (wat is getoond)"), required=False, max_length=300)
    id_copy = forms.FileField(
        label=_("Kopie identiteitsbewijs"),
        help_text=_(
            "Vraag de betrokkene het BSN en de pasfoto af te schermen. De kopie wordt versleuteld bewaard "
            "en vernietigd zodra de controle is vastgelegd."
        ),
    )


class IdentityForm(forms.Form):
    document_kind = forms.ChoiceField(
        label=_("Gecontroleerd met"),
        choices=[
            c for c in RightsRequest.DocumentKind.choices if c[0] != RightsRequest.DocumentKind.PORTAL_MFA
        ],
    )


class ExtendForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reden van de verlenging"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(CleanTextMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Beslissing"), choices=RightsRequest.Outcome.choices)
    text = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    objection_purpose = forms.ChoiceField(
        label=_("Bezwaar tegen (bij bezwaar)"),
        required=False,
        choices=[("", "—"), *Objection.Purpose.choices],
    )
    statement_about = forms.ChoiceField(
        label=_("Eigen verklaring toevoegen bij (bij correctie van een oordeel)"),
        required=False,
        choices=[("", "—")],
    )

    def __init__(self, *args: object, records: list[tuple[str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["statement_about"].choices = [("", "—"), *(records or [])]  # type: ignore[attr-defined]
