"""Forms of the rights requests: the portal, the staff registration and the steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.lib.forms import CleanTextMixin
from arbo.privacy.rights.models import Objection, RightsRequest
from arbo.registry.models import Employer

#: A date field the browser's date picker fills: the value must be ISO (yyyy-mm-dd) whatever the
#: language, else an initial date (today) is not shown.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    EMPLOYEE = "employee"
    APPLICANT = "applicant"

    person = forms.ChoiceField(
        label=_("Het verzoek komt van"),
        choices=[
            (EMPLOYEE, _("een (oud-)werknemer")),
            (APPLICANT, _("een sollicitant (aanstellingskeuring)")),
        ],
        initial=EMPLOYEE,
        widget=forms.RadioSelect,
    )
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Employer.objects.order_by("name"))
    personnel_number = forms.CharField(
        label=_("Personeelsnummer"), max_length=40, required=False, help_text=_("Bij een (oud-)werknemer.")
    )
    surname = forms.CharField(
        label=_("Achternaam van de sollicitant"),
        max_length=120,
        required=False,
        help_text=_("Bij een sollicitant."),
    )
    birth_date = forms.DateField(
        label=_("Geboortedatum van de sollicitant"),
        required=False,
        widget=DATE,
        help_text=_("Bij een sollicitant."),
    )
    reply_address = forms.CharField(
        label=_("Postadres voor het antwoord"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bij een sollicitant (geen portaal): het antwoord gaat per post."),
    )
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

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("person") == self.APPLICANT:
            if not str(data.get("surname") or "").strip():
                self.add_error("surname", _("Vul de achternaam van de sollicitant in."))
            if not data.get("birth_date"):
                self.add_error("birth_date", _("Vul de geboortedatum van de sollicitant in."))
        elif not str(data.get("personnel_number") or "").strip():
            self.add_error("personnel_number", _("Vul het personeelsnummer in."))
        return data


class PostedForm(forms.Form):
    posted_on = forms.DateField(label=_("Op de post gedaan op"), widget=DATE)


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
