"""How audit events about a person are described to that person (and in the audit viewer)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from arbo.consent.events import EVENT_LABELS as CONSENT_EVENT_LABELS
from arbo.medical.events import EVENT_LABELS as MEDICAL_EVENT_LABELS

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
    "access.treating_doctor_requested": _("vroeg een behandelend arts voor je aan"),
    "access.treating_doctor_request_approved": _("keurde de aanvraag voor je behandelend arts goed"),
    "access.treating_doctor_request_rejected": _("wees de aanvraag voor je behandelend arts af"),
    "access.treating_doctor_request_withdrawn": _("trok de aanvraag voor je behandelend arts in"),
    "access.colleague_consulted": _("gaf een collega-arts tijdelijk toegang"),
    "api.employee_viewed": _("haalde je gegevens op via de koppeling met het HR-systeem"),
    "api.employees_listed": _("haalde je gegevens op in een lijst via de HR-koppeling"),
    "api.employee_created": _("registreerde je via de HR-koppeling"),
    "api.employee_updated": _("wijzigde je gegevens via de HR-koppeling"),
}

EVENT_LABELS.update(MEDICAL_EVENT_LABELS)
EVENT_LABELS.update(CONSENT_EVENT_LABELS)
EVENT_LABELS.update(
    {
        "absence.sick_reported": _("legde je ziekmelding vast"),
        "absence.recovery_reported": _("legde je (gedeeltelijk) herstel vast"),
        "absence.therapeutic_work_recorded": _("legde je uren arbeidstherapie vast"),
        "absence.report_withdrawn": _("trok een melding over je verzuim in"),
        "absence.report_corrected": _("corrigeerde een melding over je verzuim"),
        "absence.case_viewed": _("bekeek je verzuim"),
        "absence.cases_listed": _("zag je verzuim in een overzicht"),
        "absence.caseload_viewed": _("zag een taak over je verzuim in een werkvoorraad"),
        "absence.milestone_completed": _("vinkte een stap in je re-integratie af"),
        "absence.deviation_recorded": _("legde een afwijkende termijn in je re-integratie vast"),
        "absence.signal_raised": _("het systeem gaf een herinnering over een termijn in je verzuim"),
        "access.case_handler_assigned": _("wees je casemanager toe"),
        "api.absences_listed": _("haalde je verzuim op in een lijst via de HR-koppeling"),
        "api.absence_viewed": _("haalde je verzuim op via de HR-koppeling"),
        "absence.document_created": _("begon een re-integratiedocument over je"),
        "absence.document_version_saved": _("schreef in een re-integratiedocument over je"),
        "absence.document_finalised": _("maakte een re-integratiedocument over je definitief"),
        "absence.document_released": _("gaf een re-integratiedocument over je vrij aan je werkgever"),
        "absence.document_reviewed_by_employee": _(
            "legde vast dat je een re-integratiedocument hebt gelezen"
        ),
        "absence.document_viewed": _("las een re-integratiedocument over je"),
        "absence.document_exported": _("maakte een pdf van een re-integratiedocument over je"),
        "absence.documents_listed": _("zag de lijst van je re-integratiedocumenten"),
        "absence.uwv_sheet_viewed": _("bekeek de gegevens voor je 42e-weeksmelding aan UWV"),
        "absence.uwv_sheet_exported": _("maakte een pdf van de gegevens voor je 42e-weeksmelding aan UWV"),
        "prevention.periodic_exam_recorded": _("legde een periodiek onderzoek (PMO) vast"),
        "prevention.periodic_exams_viewed": _("las je periodieke onderzoeken (PMO)"),
        "prevention.exposure_recorded": _("legde een blootstelling in het register vast"),
        "prevention.exposures_viewed": _("las je blootstellingsregister"),
    }
)

EVENT_LABELS.update(
    {
        "portal.letter_delivered": _("zette een brief in je berichten"),
        "portal.letter_read": _("opende een brief in je berichten"),
        "privacy.breach_person_linked": _("registreerde dat een datalek jouw gegevens betreft"),
        "privacy.breach_person_unlinked": _("haalde je weg bij een datalek"),
        "privacy.breach_affected_viewed": _("zag je naam bij een datalek in het register"),
        "privacy.breach_letter_posted": _("stuurde je een brief over een datalek per post"),
    }
)

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
