"""How audit events about a person are described to that person (and in the audit viewer)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: Events that concern a data subject, with a plain-language description. Events not listed here
#: are shown by their code.
EVENT_LABELS = {
    "registry.employee_viewed": _("bekeek je persoonsgegevens"),
    "registry.employee_listed": _("zag je naam in een overzicht"),
    "registry.employee_created": _("registreerde je gegevens"),
    "registry.employee_updated": _("wijzigde je gegevens"),
    "registry.own_data_viewed": _("bekeek je eigen gegevens"),
    "registry.roster_imported": _("verwerkte je gegevens uit een personeelsbestand"),
    "journal.entries_viewed": _("las het journaal van je dossier"),
    "journal.entry_added": _("schreef een notitie in je dossier"),
    "medical.notes_viewed": _("las je medisch dossier"),
    "medical.note_added": _("schreef in je medisch dossier"),
    "access.break_the_glass": _("opende je dossier met noodtoegang"),
    "access.treating_doctor_assigned": _("wees je behandelend arts toe"),
    "access.colleague_consulted": _("gaf een collega-arts tijdelijk toegang"),
    "api.employee_viewed": _("haalde je gegevens op via de koppeling met het HR-systeem"),
    "api.employees_listed": _("haalde je gegevens op in een lijst via de HR-koppeling"),
    "api.employee_created": _("registreerde je via de HR-koppeling"),
    "api.employee_updated": _("wijzigde je gegevens via de HR-koppeling"),
}

CATEGORY_LABELS = {
    "A": _("verzuim- en administratieve gegevens"),
    "B": _("re-integratiegegevens"),
    "C": _("medische gegevens"),
    "D": _("algemene gegevens"),
}


def describe(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


def describe_categories(categories: str) -> str:
    return ", ".join(str(CATEGORY_LABELS[c]) for c in categories if c in CATEGORY_LABELS)
