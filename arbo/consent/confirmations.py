"""The second step before an employee withdraws a consent in the portal (issue 18): who will no
longer receive what, before anything changes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.access.recipients import describe, employer_recipients
from arbo.consent.items import ITEMS
from arbo.consent.models import Consent
from arbo.lib.confirm import Confirmation
from arbo.lib.dates import show_date


def _who_stops(consent: Consent) -> str:
    """Who no longer receives what once ``consent`` is withdrawn."""
    Kind = Consent.Kind
    if consent.kind == Kind.INFORMATION_EXCHANGE:
        return _("De bedrijfsarts en %(practitioner)s wisselen geen nieuwe informatie over je meer uit.") % {
            "practitioner": consent.practitioner or _("de behandelaar")
        }
    if consent.kind == Kind.EMPLOYER_REPORT:
        names = describe(employer_recipients(consent.employee)) if consent.employee else ""
        return _("Je werkgever kan het verslag niet meer lezen: %(names)s.") % {
            "names": names or _("nog niemand met een account")
        }
    if consent.kind == Kind.APPLICANT_OUTCOME:
        return _("%(employer)s krijgt de uitslag van je keuring niet.") % {
            "employer": consent.employer or _("De werkgever")
        }
    return _("%(recipient)s krijgt geen gegevens meer over je.") % {
        "recipient": consent.recipient or _("De ontvanger")
    }


def withdraw(consent: Consent) -> Confirmation:
    contents = [(_("Waarvoor"), consent.purpose), (_("Gegeven op"), show_date(consent.given_at))]
    if consent.scope:
        items = ", ".join(str(ITEMS[key].label) for key in consent.scope if key in ITEMS)
        contents.append((_("Welke gegevens"), items))
    return Confirmation(
        title=_("Toestemming intrekken: bevestigen"),
        intro=_(
            "Na het intrekken wordt je toestemming niet meer gebruikt. Dat kun je niet ongedaan maken: "
            "wil je later toch weer delen, dan geef je een nieuwe toestemming. Wat al gedeeld is, blijft gedeeld."
        ),
        action=reverse("consent:withdraw", args=[consent.pk]),
        button=_("Ja, toestemming intrekken"),
        back=reverse("consent:mine"),
        recipients=[_who_stops(consent)],
        contents=contents,
        hidden=[("confirm", "on")],
        who_heading=_("Wie het niet meer krijgt"),
        what_heading=_("Om welke toestemming het gaat"),
    )
