"""The one event registry: every audit event about a person, its data category and how it is told.

Each :class:`Event` names the event as the code records it, the category (A/B/C/D, one or more
letters; ``""`` when the call decides, e.g. a list of several categories), the sentence the data
subject reads in "who saw my file" (``employee``, completing "<who> ...") and what the audit viewer
shows staff (``staff``, the same sentence unless given). The portal and the audit viewer both read
:func:`describe`; :func:`arbo.access.auditing.record_access` takes an event's category from here
when the caller gives none. Events not listed here are shown by their code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    name: str
    category: str
    employee: Promise | str
    staff: Promise | str | None = None

    @property
    def staff_label(self) -> Promise | str:
        return self.staff if self.staff is not None else self.employee


_EVENTS = [
    Event("medical.file_viewed", "BC", _("las je medisch dossier")),
    Event("medical.notes_viewed", "C", _("las je medisch dossier")),
    Event("medical.note_added", "C", _("schreef in je medisch dossier")),
    Event("medical.consultation_planned", "", _("plande een afspraak met de bedrijfsarts")),
    Event("medical.consultation_recorded", "", _("legde een consult met de bedrijfsarts vast")),
    Event("medical.consultation_rescheduled", "", _("verzette je afspraak met de bedrijfsarts")),
    Event("medical.consultation_cancelled", "", _("annuleerde je afspraak met de bedrijfsarts")),
    Event("medical.consultation_held", "", _("legde vast dat je spreekuur is gehouden")),
    Event("medical.consultation_no_show", "", _("legde vast dat je niet op het spreekuur verscheen")),
    Event("medical.consultation_reason_set", "C", _("schreef de reden van je consult op")),
    Event("medical.consultation_viewed", "", _("bekeek je afspraak met de bedrijfsarts")),
    Event("medical.appointments_viewed", "", _("bekeek je afspraken met de bedrijfsarts")),
    Event("medical.agenda_viewed", "", _("zag je afspraak in de agenda van de arts")),
    Event("medical.invitation_printed", "D", _("drukte je uitnodiging voor het spreekuur af")),
    Event("medical.invitation_exported", "D", _("haalde je afspraak op als agenda-bestand")),
    Event("medical.advice_saved", "B", _("schreef het advies na je spreekuur")),
    Event("medical.advice_released", "B", _("verstrekte het advies na je spreekuur")),
    Event("medical.advice_seen", "B", _("legde vast dat je het advies hebt gezien")),
    Event("medical.advice_viewed", "B", _("las het advies na je spreekuur")),
    Event(
        "medical.report_consent_given",
        "B",
        _("legde je toestemming vast om een verslag aan je werkgever te sturen"),
    ),
    Event("medical.released_viewed", "AB", _("las wat de bedrijfsarts aan je werkgever verstrekte")),
    Event("medical.consented_report_viewed", "B", _("las het verslag waarvoor je toestemming gaf")),
    Event("medical.own_file_viewed", "BD", _("bekeek je spreekuren en adviezen")),
    Event("medical.document_filed", "C", _("borg een brief op in je medisch dossier")),
    Event(
        "medical.document_paper_destroyed",
        "C",
        _("legde vast dat het papier van een brief is vernietigd"),
    ),
    Event("medical.document_downloaded", "C", _("las een brief in je medisch dossier")),
    Event("medical.filed_documents_listed", "D", _("zag je naam bij opgeborgen post")),
    Event(
        "medical.information_consent_recorded",
        "C",
        _("legde je toestemming voor contact met een behandelaar vast"),
    ),
    Event(
        "medical.information_consent_withdrawn",
        "C",
        _("legde vast dat je toestemming voor contact met een behandelaar is ingetrokken"),
    ),
    Event("medical.information_requested", "C", _("legde een informatieverzoek aan een behandelaar vast")),
    Event("medical.information_answered", "C", _("legde het antwoord van een behandelaar vast")),
    Event("medical.fml_recorded", "B", _("legde je belastbaarheid (FML) vast")),
    Event("medical.fml_viewed", "B", _("las je belastbaarheid (FML)")),
    Event("registry.employee_viewed", "", _("bekeek je persoonsgegevens")),
    Event("registry.employee_listed", "", _("zag je naam in een overzicht")),
    Event(
        "audit.subject_named",
        "D",
        _("zag je naam in het logboek (controle op de toegang)"),
        _("zag de naam van de werknemer in het logboek"),
    ),
    Event(
        "audit.subject_exported",
        "D",
        _("nam je naam op in een export van het logboek (controle op de toegang)"),
        _("exporteerde logregels met de naam van de werknemer"),
    ),
    Event("registry.employee_created", "", _("registreerde je gegevens")),
    Event("registry.employee_updated", "", _("wijzigde je gegevens")),
    Event("registry.own_data_viewed", "AD", _("bekeek je eigen gegevens")),
    Event("registry.roster_imported", "A", _("verwerkte je gegevens uit een personeelsbestand")),
    Event("journal.entries_viewed", "", _("las het journaal van je dossier")),
    Event("journal.entry_added", "", _("schreef een notitie in je dossier")),
    Event("access.break_the_glass", "", _("opende je dossier met noodtoegang")),
    Event("access.treating_doctor_assigned", "D", _("wees je behandelend arts toe")),
    Event("access.treating_doctor_requested", "", _("vroeg een behandelend arts voor je aan")),
    Event(
        "access.treating_doctor_request_approved",
        "",
        _("keurde de aanvraag voor je behandelend arts goed"),
    ),
    Event("access.treating_doctor_request_rejected", "", _("wees de aanvraag voor je behandelend arts af")),
    Event("access.treating_doctor_request_withdrawn", "", _("trok de aanvraag voor je behandelend arts in")),
    Event("access.colleague_consulted", "C", _("gaf een collega-arts tijdelijk toegang")),
    Event("api.employee_viewed", "", _("haalde je gegevens op via de koppeling met het HR-systeem")),
    Event("api.employees_listed", "", _("haalde je gegevens op in een lijst via de HR-koppeling")),
    Event("api.employee_created", "", _("registreerde je via de HR-koppeling")),
    Event("api.employee_updated", "", _("wijzigde je gegevens via de HR-koppeling")),
    Event("absence.sick_reported", "A", _("legde je ziekmelding vast")),
    Event("absence.recovery_reported", "A", _("legde je (gedeeltelijk) herstel vast")),
    Event("absence.therapeutic_work_recorded", "A", _("legde je uren arbeidstherapie vast")),
    Event("absence.report_withdrawn", "A", _("trok een melding over je verzuim in")),
    Event("absence.report_corrected", "A", _("corrigeerde een melding over je verzuim")),
    Event("absence.case_viewed", "A", _("bekeek je verzuim")),
    Event("absence.cases_listed", "A", _("zag je verzuim in een overzicht")),
    Event("absence.caseload_viewed", "A", _("zag een taak over je verzuim in een werkvoorraad")),
    Event("absence.milestone_completed", "A", _("vinkte een stap in je re-integratie af")),
    Event("absence.deviation_recorded", "A", _("legde een afwijkende termijn in je re-integratie vast")),
    Event(
        "absence.self_insurer_file_marked",
        "A",
        _("legde vast dat je verzuim een dossier van je werkgever als eigenrisicodrager is"),
    ),
    Event("absence.signal_raised", "A", _("het systeem gaf een herinnering over een termijn in je verzuim")),
    Event("access.case_handler_assigned", "A", _("wees je casemanager toe")),
    Event("api.absences_listed", "A", _("haalde je verzuim op in een lijst via de HR-koppeling")),
    Event("api.absence_viewed", "A", _("haalde je verzuim op via de HR-koppeling")),
    Event("absence.document_created", "B", _("begon een re-integratiedocument over je")),
    Event("absence.document_version_saved", "B", _("schreef in een re-integratiedocument over je")),
    Event("absence.document_finalised", "B", _("maakte een re-integratiedocument over je definitief")),
    Event("absence.document_released", "B", _("gaf een re-integratiedocument over je vrij aan je werkgever")),
    Event(
        "absence.document_reviewed_by_employee",
        "B",
        _("legde vast dat je een re-integratiedocument hebt gelezen"),
    ),
    Event("absence.document_viewed", "B", _("las een re-integratiedocument over je")),
    Event("absence.document_exported", "B", _("maakte een pdf van een re-integratiedocument over je")),
    Event("absence.documents_listed", "A", _("zag de lijst van je re-integratiedocumenten")),
    Event("absence.uwv_sheet_viewed", "A", _("bekeek de gegevens voor je 42e-weeksmelding aan UWV")),
    Event(
        "absence.uwv_sheet_exported",
        "A",
        _("maakte een pdf van de gegevens voor je 42e-weeksmelding aan UWV"),
    ),
    Event("prevention.periodic_exam_recorded", "C", _("legde een periodiek onderzoek (PMO) vast")),
    Event("prevention.periodic_exams_viewed", "C", _("las je periodieke onderzoeken (PMO)")),
    Event("prevention.exposure_recorded", "C", _("legde een blootstelling in het register vast")),
    Event("prevention.exposures_viewed", "C", _("las je blootstellingsregister")),
    Event("prevention.applicants_listed", "D", _("zag je naam in de lijst van sollicitanten")),
    Event("prevention.exam_outcome_viewed", "C", _("las de uitslag van je aanstellingskeuring")),
    Event("prevention.pre_employment_exams_viewed", "C", _("las je aanstellingskeuring")),
    Event("consent.recorded", "", _("legde een toestemming van je vast")),
    Event("consent.withdrawn", "", _("legde vast dat je een toestemming introk")),
    Event("consent.own_list_viewed", "BCD", _("bekeek je toestemmingen")),
    Event("consent.disclosed", "", _("verstrekte gegevens over je aan een ontvanger buiten de arbodienst")),
    Event("consent.disclosure_downloaded", "", _("de ontvanger haalde de verstrekte gegevens op")),
    Event("consent.own_disclosures_viewed", "D", _("bekeek aan wie je gegevens zijn verstrekt")),
    Event(
        "consent.visitation_sampled", "D", _("nam je dossier op in de steekproef van een kwaliteitsvisitatie")
    ),
    Event(
        "consent.visitation_sample_viewed", "D", _("zag je naam in de steekproef van een kwaliteitsvisitatie")
    ),
    Event("consent.visitation_objected", "D", _("legde je bezwaar tegen kwaliteitsvisitatie vast")),
    Event(
        "consent.visitation_objection_withdrawn",
        "D",
        _("legde vast dat je je bezwaar tegen kwaliteitsvisitatie introk"),
    ),
    Event("portal.work_viewed", "", _("zag je naam in een werklijst op de startpagina")),
    Event("portal.letter_delivered", "D", _("zette een brief in je berichten")),
    Event("portal.letter_read", "D", _("opende een brief in je berichten")),
    Event("privacy.breach_person_linked", "D", _("registreerde dat een datalek jouw gegevens betreft")),
    Event("privacy.breach_person_unlinked", "D", _("haalde je weg bij een datalek")),
    Event("privacy.breach_affected_viewed", "D", _("zag je naam bij een datalek in het register")),
    Event("privacy.breach_letter_posted", "D", _("stuurde je een brief over een datalek per post")),
    # Data-subject rights (arbo.privacy.rights, issue 13): one read per app when a package is made.
    *(
        Event(f"{source}.subject_records_read", "", _("stelde je gegevens samen (inzage of verstrekking)"))
        for source in (
            "registry",
            "journal",
            "medical",
            "absence",
            "prevention",
            "portal",
            "audit",
            "privacy",
            "consent",
        )
    ),
    Event("privacy.rights_request_filed", "D", _("registreerde je verzoek over je gegevens")),
    Event("privacy.rights_identity_checked", "D", _("legde de controle van je identiteit vast")),
    Event("privacy.rights_request_extended", "D", _("verlengde de termijn van je verzoek")),
    Event("privacy.rights_package_reviewed", "C", _("beoordeelde je medisch dossier voor je inzageverzoek")),
    Event("privacy.rights_request_decided", "D", _("besliste op je verzoek over je gegevens")),
    Event("privacy.rights_package_exported", "", _("haalde het afschrift van je gegevens op")),
    Event("privacy.rights_letter_posted", "D", _("stuurde je het antwoord op je verzoek per post")),
    Event("privacy.restriction_started", "D", _("beperkte de verwerking van je gegevens")),
    Event("privacy.restriction_lifted", "D", _("hief de beperking van de verwerking van je gegevens op")),
    Event("privacy.objection_recorded", "D", _("legde je bezwaar vast")),
    Event("privacy.statement_added", "D", _("voegde je eigen verklaring aan je dossier toe")),
    Event("privacy.statements_read", "C", _("las je eigen verklaring bij je medisch dossier")),
    Event("privacy.erasure_done", "D", _("verwijderde gegevens uit je dossier op je verzoek")),
    Event("privacy.rights_request_purged", "D", _("verwijderde een afgehandeld verzoek na de bewaartermijn")),
]

#: The registry: name -> :class:`Event`.
EVENTS: dict[str, Event] = {event.name: event for event in _EVENTS}

#: The employee's sentence per event (what "who saw my file" shows).
EVENT_LABELS = {name: event.employee for name, event in EVENTS.items()}

CATEGORY_LABELS = {
    "A": _("verzuim- en administratieve gegevens"),
    "B": _("re-integratiegegevens"),
    "C": _("medische gegevens"),
    "D": _("algemene gegevens"),
}


def category_of(name: str) -> str:
    """The registered category of event ``name`` (``""`` when the call decides or it is unlisted)."""
    event = EVENTS.get(name)
    return event.category if event is not None else ""


def describe(name: str, *, staff: bool = False) -> str:
    """How event ``name`` is told: to the data subject, or (``staff=True``) in the audit viewer."""
    event = EVENTS.get(name)
    if event is None:
        return name
    return str(event.staff_label if staff else event.employee)


def describe_categories(categories: str) -> str:
    return ", ".join(str(CATEGORY_LABELS[c]) for c in categories if c in CATEGORY_LABELS)
