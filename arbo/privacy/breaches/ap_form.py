"""The AP's breach notification form (meldformulier datalekken), filled from the register.

The keys follow the sections of the AP's online form: the reporting organisation, the incident,
the personal data and the people concerned, the consequences, the measures, informing the people
concerned, international aspects. Submit through the AP's portal; the JSON and the PDF are what
the privacy officer copies from and keeps.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from arbo.privacy.breaches.clock import TERM
from arbo.privacy.breaches.models import Breach
from arbo.privacy.office import office

CATEGORY_NAMES = {
    "A": "verzuim- en administratieve gegevens",
    "B": "re-integratiegegevens (gezondheid)",
    "C": "medische gegevens (bijzondere persoonsgegevens, gezondheid)",
    "D": "algemene gegevens (naam, adres, contactgegevens)",
}


def affected_counts(breach: Breach) -> dict[str, int]:
    """How many linked people per data category (uses a prefetch of ``affected``)."""
    counts: Counter[str] = Counter()
    for row in breach.affected.all():
        counts.update(row.data_categories)
    return {c: counts[c] for c in breach.data_categories}


def ap_notification(breach: Breach) -> dict[str, Any]:
    org = office()
    linked = len(breach.affected.all())
    late = breach.ap_notified_at is not None and breach.ap_notified_at > breach.aware_at + TERM
    return {
        "form": "AP meldformulier datalekken",
        "reference": breach.reference,
        "organisation": {
            "name": org["name"],
            "kvk_number": org["kvk_number"],
            "address": org["address"],
            "contact": {"name": org["fg_name"], "email": org["fg_email"], "phone": org["fg_phone"]},
            "sector": "gezondheidszorg (arbodienstverlening)",
        },
        "incident": {
            "summary": breach.summary,
            "description": breach.description,
            "occurred_at": _iso(breach.occurred_at),
            "discovered_at": _iso(breach.aware_at),
            "nature": list(breach.nature),
            "notified_at": _iso(breach.ap_notified_at),
            "notified_late": late,
            "reason_for_delay": breach.notify_ap_reason if late else "",
        },
        "personal_data": {
            "description": breach.data_description,
            "categories": [CATEGORY_NAMES[c] for c in breach.data_categories],
            "special_categories": any(c in ("B", "C") for c in breach.data_categories),
        },
        "people_concerned": {
            "minimum": linked,
            "maximum": max(linked, breach.people_estimate),
            "groups": ["werknemers van klantwerkgevers"],
            "per_category": affected_counts(breach),
        },
        "consequences": {
            "risk": breach.risk,
            "assessment": breach.risk_reasoning,
            "possible_consequences": breach.consequences,
        },
        "measures": breach.measures,
        "informing_people": {
            "informed": bool(breach.notify_subjects),
            "reasons": breach.notify_subjects_reason,
            "informed_at": _iso(breach.letters_sent_at),
            "channel": "brief in het beveiligde portaal, per post voor wie geen account heeft",
        },
        "international": {"other_eu_countries_concerned": False},
        "follow_up": {"is_follow_up": False, "ap_reference": breach.ap_reference},
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def section_titles() -> list[tuple[str, str]]:
    return [
        ("organisation", _("Organisatie")),
        ("incident", _("Het datalek")),
        ("personal_data", _("Persoonsgegevens")),
        ("people_concerned", _("Betrokkenen")),
        ("consequences", _("Gevolgen")),
        ("measures", _("Maatregelen")),
        ("informing_people", _("Informeren van betrokkenen")),
        ("international", _("Internationale aspecten")),
        ("follow_up", _("Vervolgmelding")),
    ]


def _text(value: Any) -> str:
    if value is True:
        return _("ja")
    if value is False:
        return _("nee")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def printable(form: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The form as sections of (field, text) rows, for the PDF."""
    sections = []
    for key, title in section_titles():
        value = form[key]
        rows = [(k, _text(v)) for k, v in value.items()] if isinstance(value, dict) else [("", _text(value))]
        sections.append((title, rows))
    return sections
