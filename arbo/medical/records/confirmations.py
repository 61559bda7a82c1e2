"""The confirmation steps of the medical record: recording and withdrawing a consent to ask a
treating practitioner (who gets what, before it is written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.access.care import treating_doctor_of
from arbo.lib.confirm import Confirmation
from arbo.lib.dates import show_date
from arbo.medical.forms import InformationConsentForm
from arbo.medical.models import InformationConsent
from arbo.registry.models import Employee


def _doctor(employee: Employee) -> str:
    doctor = treating_doctor_of(employee)
    return (doctor.get_full_name() or doctor.username) if doctor is not None else _("de bedrijfsarts")


def information_consent(employee: Employee, form: InformationConsentForm) -> Confirmation:
    """Recording the consent: the practitioner may be asked this question about this employee."""
    data: dict[str, Any] = form.cleaned_data
    practitioner = data["practitioner"]
    given_on: dt.date = data["given_on"]
    return Confirmation(
        title=_("Toestemming vastleggen: bevestigen"),
        intro=_(
            "Met deze toestemming mag de bedrijfsarts informatie over %(name)s opvragen bij of delen met "
            "%(practitioner)s, alleen over de vraag hieronder. De werkgever ziet niets van deze uitwisseling."
        )
        % {"name": employee.full_name, "practitioner": practitioner},
        action=reverse("medical:add_information_consent", args=[employee.pk]),
        button=_("Ja, toestemming vastleggen"),
        back=reverse("medical:file", args=[employee.pk]),
        recipients=[
            _("%(practitioner)s: krijgt de vraag, met de naam van %(name)s")
            % {"practitioner": practitioner, "name": employee.full_name},
            _("%(doctor)s en wie namens de bedrijfsarts werkt: lezen het antwoord in het medisch dossier")
            % {"doctor": _doctor(employee)},
            _("%(name)s: ziet de toestemming bij „Mijn toestemmingen” en kan haar intrekken")
            % {"name": employee.full_name},
        ],
        contents=[
            (str(form.fields["practitioner"].label), str(practitioner)),
            (str(form.fields["question"].label), data["question"]),
            (str(form.fields["given_by"].label), data["given_by"]),
            (str(form.fields["given_on"].label), show_date(given_on)),
        ],
        hidden=[
            ("practitioner", str(practitioner.pk)),
            ("question", data["question"]),
            ("given_by", data["given_by"]),
            ("given_on", given_on.isoformat()),
        ],
    )


def withdraw_information_consent(consent: InformationConsent) -> Confirmation:
    employee = consent.employee
    return Confirmation(
        title=_("Toestemming intrekken: bevestigen"),
        intro=_(
            "Na het intrekken kan niemand nog informatie over %(name)s opvragen bij %(practitioner)s op grond "
            "van deze toestemming. Eerdere vragen en antwoorden blijven in het medisch dossier."
        )
        % {"name": employee.full_name, "practitioner": consent.practitioner},
        action=reverse("medical:withdraw_information_consent", args=[consent.pk]),
        button=_("Ja, toestemming intrekken"),
        back=reverse("medical:file", args=[employee.pk]),
        recipients=[
            _("%(practitioner)s: krijgt geen nieuwe vragen meer over %(name)s")
            % {"practitioner": consent.practitioner, "name": employee.full_name}
        ],
        contents=[
            (_("Behandelaar"), str(consent.practitioner)),
            (_("Gegeven door"), consent.given_by),
            (_("Gegeven op"), show_date(consent.given_on)),
        ],
        who_heading=_("Wie het niet meer krijgt"),
        what_heading=_("Om welke toestemming het gaat"),
    )
