from django import forms
from django.utils.translation import gettext_lazy as _

from arbo.identity.rights import holders_of
from arbo.identity.roles import DOCTOR_FUNCTIONS
from arbo.registry.models import Employer, Organisation


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ik trek deze toestemming in. Wat al gedeeld is, blijft gedeeld; nieuw gebruik stopt meteen."
        ),
        error_messages={"required": _("Vink aan dat je de toestemming wilt intrekken.")},
    )


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DoctorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: object) -> str:
        return str(obj)


class VisitationForm(forms.Form):
    """The privacy officer opens a visitation (checks of substance: ``consent.visitation``)."""

    visiting_doctor = DoctorChoiceField(
        label=_("Visiterend arts"),
        queryset=None,
        error_messages={"invalid_choice": _("Kies een arts uit de lijst.")},
    )
    visited_doctor = DoctorChoiceField(
        label=_("Arts wiens dossiers worden gevisiteerd"),
        queryset=None,
        error_messages={"invalid_choice": _("Kies een arts uit de lijst.")},
    )
    starts_at = forms.DateTimeField(label=_("Begin"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Einde (de toegang stopt dan vanzelf)"), widget=DATETIME)
    sample_size = forms.IntegerField(
        label=_("Aantal dossiers in de steekproef"),
        min_value=1,
        max_value=50,
        error_messages={
            "min_value": _("Kies een steekproef van 1 tot 50 dossiers."),
            "max_value": _("Kies een steekproef van 1 tot 50 dossiers."),
            "invalid": _("Kies een steekproef van 1 tot 50 dossiers."),
            "required": _("Kies een steekproef van 1 tot 50 dossiers."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        doctors = holders_of(DOCTOR_FUNCTIONS).order_by("last_name", "username")
        self.fields["visiting_doctor"].queryset = doctors  # type: ignore[attr-defined]
        self.fields["visited_doctor"].queryset = doctors  # type: ignore[attr-defined]


class RecipientForm(forms.Form):
    """A recipient's details (the checks of substance: ``consent.recipients``)."""

    kind = forms.ChoiceField(label=_("Soort ontvanger"), choices=Organisation.Kind.choices)
    name = forms.CharField(
        label=_("Naam van de organisatie"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de organisatie in.")},
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mailadres voor meldingen"),
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )
    phone = forms.CharField(label=_("Telefoon (voor de eenmalige code)"), max_length=30, required=False)
    street = forms.CharField(label=_("Straat"), max_length=120, required=False)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=80, required=False)
    country = forms.CharField(label=_("Land"), max_length=60, required=False, initial="Nederland")
    delivery = forms.ChoiceField(label=_("Aflevering"), choices=Organisation.Delivery.choices)
    employer = forms.ModelChoiceField(
        label=_("Werkgever (alleen bij een ondernemingsraad)"),
        queryset=Employer.objects.order_by("name"),
        required=False,
        error_messages={"invalid_choice": _("Kies een werkgever uit de lijst.")},
    )
    active = forms.BooleanField(label=_("Actief"), required=False, initial=True)
