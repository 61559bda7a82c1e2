"""The second step before giving or withdrawing an employee's consent (issue 18): to exchange
information with a treating practitioner, or, recorded by the doctor's team, to send one report to
the employer. Who will see what, before anything is written."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.access.recipients import describe, employer_recipients
from arbo.lib.confirm import Confirmation
from arbo.medical import queries as medical_queries
from arbo.medical.forms import AdviceForm


def employer_report(user: Any, consultation: Any, how: str) -> Confirmation:
    """The doctor's team records the employee's consent given on paper or in person: this one
    report goes to the employer's users, by name, now (issue 18)."""
    employee = consultation.employee
    names = describe(employer_recipients(employee)) or _("nog niemand met een account")
    view = medical_queries.consultation_view(user, consultation).advice
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
