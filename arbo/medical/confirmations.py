"""The second step before giving or withdrawing an employee's consent (issue 18): to exchange
information with a treating practitioner, or, recorded by the doctor's team, to send one report to
the employer. Who will see what, before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.access.care import treating_doctor_of
from arbo.access.recipients import describe, employer_recipients
from arbo.lib.confirm import Confirmation
from arbo.lib.dates import show_date
from arbo.medical import queries
from arbo.medical.forms import AdviceForm, InformationConsentForm
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


def employer_report(user: Any, consultation: Any, how: str) -> Confirmation:
    """The doctor's team records the employee's consent given on paper or in person: this one
    report goes to the employer's users, by name, now (issue 18)."""
    employee = consultation.employee
    names = describe(employer_recipients(employee)) or _("nog niemand met een account")
    view = queries.consultation_view(user, consultation).advice
    contents = advice_contents(view)
    return Confirmation(
        title=_("Toestemming vastleggen: bevestigen"),
        intro=_(
            "Met de toestemming van %(name)s gaat dit ene verslag nu naar de werkgever. Dat kan niet "
            "worden teruggedraaid: wie het ontvangt, kan het blijven lezen. Medische gegevens gaan nooit mee."
        )
        % {"name": employee.full_name},
        action=reverse("medical:record_report_consent", args=[consultation.pk]),
        button=_("Ja, toestemming vastleggen en verslag verstrekken"),
        back=consultation.get_absolute_url(),
        recipients=[_("De werkgever, nu: %(names)s") % {"names": names}],
        contents=contents,
        hidden=[("how", how)],
    )


def advice_contents(view: Any) -> list[tuple[str, str]]:
    """The filled-in parts of an advice with their form labels: what the employer would receive."""
    form = AdviceForm()
    return [
        (str(form.fields[name].label), text)
        for name in ("can_do", "cannot_do", "expected_duration", "adjustments", "reintegration")
        if view is not None and (text := getattr(view, name))
    ]
