"""The one event registry: every audit event about a person, its data category and how it is told.

Each :class:`Event` names the event as the code records it, the category (A/B/C/D, one or more
letters; ``""`` when the call decides, e.g. a list of several categories), the sentence the data
subject reads in "who saw my file" (``employee``, completing "<who> ..."; ``None`` for an event
about no one person) and what the audit viewer shows staff (``staff``, in staff's words: "read the
medical file", not "read your medical file"). The portal and the audit viewer both read
:func:`describe`; :func:`arbo.access.auditing.record_access` takes an event's category from here
when the caller gives none. Every event name the code writes is registered here:
tests/audit/test_event_registry.py scans the code and fails on one that is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    name: str
    category: str
    employee: Promise | str | None
    staff: Promise | str

    @property
    def staff_label(self) -> Promise | str:
        return self.staff

    @property
    def employee_label(self) -> Promise | str:
        return self.employee if self.employee is not None else self.staff


_EVENTS = [
    Event("medical.file_viewed", "BC", _("las je medisch dossier"), _("las het medisch dossier")),
    Event("medical.notes_viewed", "C", _("las je medisch dossier"), _("las de medische aantekeningen")),
    Event(
        "medical.note_added", "C", _("schreef in je medisch dossier"), _("schreef een medische aantekening")
    ),
    Event(
        "medical.consultation_planned",
        "",
        _("plande een afspraak met de bedrijfsarts"),
        _("plande een spreekuur"),
    ),
    Event(
        "medical.consultation_recorded",
        "",
        _("legde een consult met de bedrijfsarts vast"),
        _("legde een gehouden consult achteraf vast"),
    ),
    Event(
        "medical.consultation_rescheduled",
        "",
        _("verzette je afspraak met de bedrijfsarts"),
        _("verzette een spreekuur"),
    ),
    Event(
        "medical.consultation_cancelled",
        "",
        _("annuleerde je afspraak met de bedrijfsarts"),
        _("annuleerde een spreekuur"),
    ),
    Event(
        "medical.consultation_held",
        "",
        _("legde vast dat je spreekuur is gehouden"),
        _("legde vast dat het spreekuur is gehouden"),
    ),
    Event(
        "medical.consultation_no_show",
        "",
        _("legde vast dat je niet op het spreekuur verscheen"),
        _("legde niet verschijnen op het spreekuur vast"),
    ),
    Event(
        "medical.consultation_reason_set",
        "C",
        _("schreef de reden van je consult op"),
        _("schreef de reden van een consult op"),
    ),
    Event(
        "medical.consultation_viewed",
        "",
        _("bekeek je afspraak met de bedrijfsarts"),
        _("bekeek een spreekuurafspraak"),
    ),
    Event(
        "medical.appointments_viewed",
        "",
        _("bekeek je afspraken met de bedrijfsarts"),
        _("bekeek de spreekuurafspraken van de werknemer"),
    ),
    Event(
        "medical.agenda_viewed",
        "",
        _("zag je afspraak in de agenda van de arts"),
        _("bekeek de agenda van een arts"),
    ),
    Event(
        "medical.invitation_printed",
        "D",
        _("drukte je uitnodiging voor het spreekuur af"),
        _("drukte een uitnodiging voor het spreekuur af"),
    ),
    Event(
        "medical.invitation_exported",
        "D",
        _("haalde je afspraak op als agenda-bestand"),
        _("haalde een afspraak op als agenda-bestand"),
    ),
    Event(
        "medical.advice_saved",
        "B",
        _("schreef het advies na je spreekuur"),
        _("schreef een advies na het spreekuur"),
    ),
    Event(
        "medical.advice_released",
        "B",
        _("verstrekte het advies na je spreekuur"),
        _("verstrekte een advies aan de werkgever"),
    ),
    Event(
        "medical.advice_seen",
        "B",
        _("legde vast dat je het advies hebt gezien"),
        _("legde vast dat de werknemer het advies heeft gezien"),
    ),
    Event(
        "medical.advice_viewed",
        "B",
        _("las het advies na je spreekuur"),
        _("las een advies na het spreekuur"),
    ),
    Event(
        "medical.report_consent_given",
        "B",
        _("legde je toestemming vast om een verslag aan je werkgever te sturen"),
        _("legde toestemming voor een verslag aan de werkgever vast"),
    ),
    Event(
        "medical.released_viewed",
        "AB",
        _("las wat de bedrijfsarts aan je werkgever verstrekte"),
        _("las wat de bedrijfsarts aan de werkgever verstrekte"),
    ),
    Event(
        "medical.consented_report_viewed",
        "B",
        _("las het verslag waarvoor je toestemming gaf"),
        _("las een verslag met toestemming van de werknemer"),
    ),
    Event(
        "medical.own_file_viewed",
        "BD",
        _("bekeek je spreekuren en adviezen"),
        _("werknemer bekeek de eigen spreekuren en adviezen"),
    ),
    Event(
        "medical.document_filed",
        "C",
        _("borg een brief op in je medisch dossier"),
        _("borg een brief op in het medisch dossier"),
    ),
    Event(
        "medical.document_paper_destroyed",
        "C",
        _("legde vast dat het papier van een brief is vernietigd"),
        _("legde vernietiging van het papier van een brief vast"),
    ),
    Event(
        "medical.document_downloaded",
        "C",
        _("las een brief in je medisch dossier"),
        _("las een brief uit het medisch dossier"),
    ),
    Event(
        "medical.filed_documents_listed",
        "D",
        _("zag je naam bij opgeborgen post"),
        _("bekeek de lijst van opgeborgen post"),
    ),
    Event(
        "medical.information_consent_recorded",
        "C",
        _("legde je toestemming voor contact met een behandelaar vast"),
        _("legde toestemming voor contact met een behandelaar vast"),
    ),
    Event(
        "medical.information_consent_withdrawn",
        "C",
        _("legde vast dat je toestemming voor contact met een behandelaar is ingetrokken"),
        _("legde intrekking van toestemming voor contact met een behandelaar vast"),
    ),
    Event(
        "medical.information_requested",
        "C",
        _("legde een informatieverzoek aan een behandelaar vast"),
        _("legde een informatieverzoek aan een behandelaar vast"),
    ),
    Event(
        "medical.information_answered",
        "C",
        _("legde het antwoord van een behandelaar vast"),
        _("legde het antwoord van een behandelaar vast"),
    ),
    Event(
        "medical.fml_recorded",
        "B",
        _("legde je belastbaarheid (FML) vast"),
        _("legde een belastbaarheid (FML) vast"),
    ),
    Event("medical.fml_viewed", "B", _("las je belastbaarheid (FML)"), _("las een belastbaarheid (FML)")),
    Event(
        "registry.employee_viewed",
        "",
        _("bekeek je persoonsgegevens"),
        _("bekeek de persoonsgegevens van de werknemer"),
    ),
    Event(
        "registry.employee_listed",
        "",
        _("zag je naam in een overzicht"),
        _("zag de werknemer in een overzicht"),
    ),
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
    Event("registry.employee_created", "", _("registreerde je gegevens"), _("registreerde een werknemer")),
    Event(
        "registry.employee_updated",
        "",
        _("wijzigde je gegevens"),
        _("wijzigde de gegevens van een werknemer"),
    ),
    Event(
        "registry.own_data_viewed",
        "AD",
        _("bekeek je eigen gegevens"),
        _("werknemer bekeek de eigen gegevens"),
    ),
    Event(
        "registry.roster_imported",
        "A",
        _("verwerkte je gegevens uit een personeelsbestand"),
        _("verwerkte een werknemer uit een personeelsbestand"),
    ),
    Event(
        "journal.entries_viewed",
        "",
        _("las het journaal van je dossier"),
        _("las het journaal van een dossier"),
    ),
    Event(
        "journal.entry_added",
        "",
        _("schreef een notitie in je dossier"),
        _("schreef een notitie in het journaal"),
    ),
    Event(
        "access.break_the_glass",
        "",
        _("opende je dossier met noodtoegang"),
        _("opende een dossier met noodtoegang"),
    ),
    Event(
        "access.treating_doctor_assigned",
        "D",
        _("wees je behandelend arts toe"),
        _("wees een behandelend arts toe"),
    ),
    Event(
        "access.treating_doctor_requested",
        "",
        _("vroeg een behandelend arts voor je aan"),
        _("vroeg een behandelend arts aan"),
    ),
    Event(
        "access.treating_doctor_request_approved",
        "",
        _("keurde de aanvraag voor je behandelend arts goed"),
        _("keurde een aanvraag voor een behandelend arts goed"),
    ),
    Event(
        "access.treating_doctor_request_rejected",
        "",
        _("wees de aanvraag voor je behandelend arts af"),
        _("wees een aanvraag voor een behandelend arts af"),
    ),
    Event(
        "access.treating_doctor_request_withdrawn",
        "",
        _("trok de aanvraag voor je behandelend arts in"),
        _("trok een aanvraag voor een behandelend arts in"),
    ),
    Event(
        "access.colleague_consulted",
        "C",
        _("gaf een collega-arts tijdelijk toegang"),
        _("gaf een collega-arts tijdelijk toegang"),
    ),
    Event(
        "api.employee_viewed",
        "",
        _("haalde je gegevens op via de koppeling met het HR-systeem"),
        _("HR-koppeling haalde de gegevens van een werknemer op"),
    ),
    Event(
        "api.employees_listed",
        "",
        _("haalde je gegevens op in een lijst via de HR-koppeling"),
        _("HR-koppeling haalde een lijst van werknemers op"),
    ),
    Event(
        "api.employee_created",
        "",
        _("registreerde je via de HR-koppeling"),
        _("HR-koppeling registreerde een werknemer"),
    ),
    Event(
        "api.employee_updated",
        "",
        _("wijzigde je gegevens via de HR-koppeling"),
        _("HR-koppeling wijzigde de gegevens van een werknemer"),
    ),
    Event("absence.sick_reported", "A", _("legde je ziekmelding vast"), _("legde een ziekmelding vast")),
    Event(
        "absence.recovery_reported",
        "A",
        _("legde je (gedeeltelijk) herstel vast"),
        _("legde een (gedeeltelijke) hersteldmelding vast"),
    ),
    Event(
        "absence.therapeutic_work_recorded",
        "A",
        _("legde je uren arbeidstherapie vast"),
        _("legde uren arbeidstherapie vast"),
    ),
    Event(
        "absence.report_withdrawn",
        "A",
        _("trok een melding over je verzuim in"),
        _("trok een verzuimmelding in"),
    ),
    Event(
        "absence.report_corrected",
        "A",
        _("corrigeerde een melding over je verzuim"),
        _("corrigeerde een verzuimmelding"),
    ),
    Event("absence.case_viewed", "A", _("bekeek je verzuim"), _("bekeek een verzuimdossier")),
    Event(
        "absence.cases_listed",
        "A",
        _("zag je verzuim in een overzicht"),
        _("zag een verzuim in een overzicht"),
    ),
    Event(
        "absence.caseload_viewed",
        "A",
        _("zag een taak over je verzuim in een werkvoorraad"),
        _("zag een verzuim in een werkvoorraad"),
    ),
    Event(
        "absence.milestone_completed",
        "A",
        _("vinkte een stap in je re-integratie af"),
        _("vinkte een stap in de re-integratie af"),
    ),
    Event(
        "absence.deviation_recorded",
        "A",
        _("legde een afwijkende termijn in je re-integratie vast"),
        _("legde een afwijkende termijn vast"),
    ),
    Event(
        "absence.self_insurer_file_marked",
        "A",
        _("legde vast dat je verzuim een dossier van je werkgever als eigenrisicodrager is"),
        _("markeerde een verzuim als dossier van een eigenrisicodrager"),
    ),
    Event(
        "absence.signal_raised",
        "A",
        _("het systeem gaf een herinnering over een termijn in je verzuim"),
        _("systeem gaf een termijnherinnering bij een verzuim"),
    ),
    Event("access.case_handler_assigned", "A", _("wees je casemanager toe"), _("wees een casemanager toe")),
    Event(
        "api.absences_listed",
        "A",
        _("haalde je verzuim op in een lijst via de HR-koppeling"),
        _("HR-koppeling haalde een lijst van verzuim op"),
    ),
    Event(
        "api.absence_viewed",
        "A",
        _("haalde je verzuim op via de HR-koppeling"),
        _("HR-koppeling haalde een verzuim op"),
    ),
    Event(
        "absence.document_created",
        "B",
        _("begon een re-integratiedocument over je"),
        _("begon een re-integratiedocument"),
    ),
    Event(
        "absence.document_version_saved",
        "B",
        _("schreef in een re-integratiedocument over je"),
        _("schreef in een re-integratiedocument"),
    ),
    Event(
        "absence.document_finalised",
        "B",
        _("maakte een re-integratiedocument over je definitief"),
        _("maakte een re-integratiedocument definitief"),
    ),
    Event(
        "absence.document_released",
        "B",
        _("gaf een re-integratiedocument over je vrij aan je werkgever"),
        _("gaf een re-integratiedocument vrij aan de werkgever"),
    ),
    Event(
        "absence.document_reviewed_by_employee",
        "B",
        _("legde vast dat je een re-integratiedocument hebt gelezen"),
        _("legde vast dat de werknemer een re-integratiedocument las"),
    ),
    Event(
        "absence.document_viewed",
        "B",
        _("las een re-integratiedocument over je"),
        _("las een re-integratiedocument"),
    ),
    Event(
        "absence.document_exported",
        "B",
        _("maakte een pdf van een re-integratiedocument over je"),
        _("maakte een pdf van een re-integratiedocument"),
    ),
    Event(
        "absence.documents_listed",
        "A",
        _("zag de lijst van je re-integratiedocumenten"),
        _("bekeek de lijst van re-integratiedocumenten"),
    ),
    Event(
        "absence.uwv_sheet_viewed",
        "A",
        _("bekeek de gegevens voor je 42e-weeksmelding aan UWV"),
        _("bekeek de gegevens voor de 42e-weeksmelding"),
    ),
    Event(
        "absence.uwv_sheet_exported",
        "A",
        _("maakte een pdf van de gegevens voor je 42e-weeksmelding aan UWV"),
        _("maakte een pdf van de gegevens voor de 42e-weeksmelding"),
    ),
    Event(
        "prevention.periodic_exam_recorded",
        "C",
        _("legde een periodiek onderzoek (PMO) vast"),
        _("legde een periodiek onderzoek (PMO) vast"),
    ),
    Event(
        "prevention.periodic_exams_viewed",
        "C",
        _("las je periodieke onderzoeken (PMO)"),
        _("las periodieke onderzoeken (PMO)"),
    ),
    Event(
        "prevention.exposure_recorded",
        "C",
        _("legde een blootstelling in het register vast"),
        _("legde een blootstelling in het register vast"),
    ),
    Event(
        "prevention.exposures_viewed",
        "C",
        _("las je blootstellingsregister"),
        _("las een blootstellingsregister"),
    ),
    Event(
        "prevention.applicants_listed",
        "D",
        _("zag je naam in de lijst van sollicitanten"),
        _("bekeek de lijst van sollicitanten"),
    ),
    Event(
        "prevention.exam_outcome_viewed",
        "C",
        _("las de uitslag van je aanstellingskeuring"),
        _("las de uitslag van een aanstellingskeuring"),
    ),
    Event(
        "prevention.pre_employment_exams_viewed",
        "C",
        _("las je aanstellingskeuring"),
        _("las een aanstellingskeuring"),
    ),
    Event("consent.recorded", "", _("legde een toestemming van je vast"), _("legde een toestemming vast")),
    Event(
        "consent.withdrawn",
        "",
        _("legde vast dat je een toestemming introk"),
        _("legde het intrekken van een toestemming vast"),
    ),
    Event(
        "consent.own_list_viewed",
        "BCD",
        _("bekeek je toestemmingen"),
        _("werknemer bekeek de eigen toestemmingen"),
    ),
    Event(
        "consent.disclosed",
        "",
        _("verstrekte gegevens over je aan een ontvanger buiten de arbodienst"),
        _("verstrekte gegevens aan een ontvanger buiten de arbodienst"),
    ),
    Event(
        "consent.disclosure_downloaded",
        "",
        _("de ontvanger haalde de verstrekte gegevens op"),
        _("ontvanger haalde verstrekte gegevens op"),
    ),
    Event(
        "consent.own_disclosures_viewed",
        "D",
        _("bekeek aan wie je gegevens zijn verstrekt"),
        _("werknemer bekeek aan wie gegevens zijn verstrekt"),
    ),
    Event(
        "consent.visitation_sampled",
        "D",
        _("nam je dossier op in de steekproef van een kwaliteitsvisitatie"),
        _("nam een dossier op in een visitatiesteekproef"),
    ),
    Event(
        "consent.visitation_sample_viewed",
        "D",
        _("zag je naam in de steekproef van een kwaliteitsvisitatie"),
        _("bekeek een visitatiesteekproef"),
    ),
    Event(
        "consent.visitation_objected",
        "D",
        _("legde je bezwaar tegen kwaliteitsvisitatie vast"),
        _("legde bezwaar tegen visitatie vast"),
    ),
    Event(
        "consent.visitation_objection_withdrawn",
        "D",
        _("legde vast dat je je bezwaar tegen kwaliteitsvisitatie introk"),
        _("legde intrekking van bezwaar tegen visitatie vast"),
    ),
    Event(
        "portal.work_viewed",
        "",
        _("zag je naam in een werklijst op de startpagina"),
        _("zag de werknemer in een werklijst op de startpagina"),
    ),
    Event(
        "portal.letter_delivered",
        "D",
        _("zette een brief in je berichten"),
        _("zette een brief in de berichten van de werknemer"),
    ),
    Event("portal.letter_read", "D", _("opende een brief in je berichten"), _("werknemer opende een brief")),
    Event(
        "privacy.breach_person_linked",
        "D",
        _("registreerde dat een datalek jouw gegevens betreft"),
        _("koppelde een werknemer aan een datalek"),
    ),
    Event(
        "privacy.breach_person_unlinked",
        "D",
        _("haalde je weg bij een datalek"),
        _("haalde een werknemer weg bij een datalek"),
    ),
    Event(
        "privacy.breach_affected_viewed",
        "D",
        _("zag je naam bij een datalek in het register"),
        _("bekeek de betrokkenen bij een datalek"),
    ),
    Event(
        "privacy.breach_letter_posted",
        "D",
        _("stuurde je een brief over een datalek per post"),
        _("stuurde een brief over een datalek per post"),
    ),
    Event(
        "privacy.rights_request_filed",
        "D",
        _("registreerde je verzoek over je gegevens"),
        _("registreerde een verzoek van een betrokkene"),
    ),
    Event(
        "privacy.rights_identity_checked",
        "D",
        _("legde de controle van je identiteit vast"),
        _("legde de identiteitscontrole bij een verzoek vast"),
    ),
    Event(
        "privacy.rights_request_extended",
        "D",
        _("verlengde de termijn van je verzoek"),
        _("verlengde de termijn van een verzoek"),
    ),
    Event(
        "privacy.rights_package_reviewed",
        "C",
        _("beoordeelde je medisch dossier voor je inzageverzoek"),
        _("beoordeelde het medisch dossier voor een inzageverzoek"),
    ),
    Event(
        "privacy.rights_request_decided",
        "D",
        _("besliste op je verzoek over je gegevens"),
        _("besliste op een verzoek van een betrokkene"),
    ),
    Event(
        "privacy.rights_package_exported",
        "",
        _("haalde het afschrift van je gegevens op"),
        _("haalde een afschrift van gegevens op"),
    ),
    Event(
        "privacy.restriction_started",
        "D",
        _("beperkte de verwerking van je gegevens"),
        _("beperkte de verwerking van gegevens"),
    ),
    Event(
        "privacy.restriction_lifted",
        "D",
        _("hief de beperking van de verwerking van je gegevens op"),
        _("hief een beperking van de verwerking op"),
    ),
    Event("privacy.objection_recorded", "D", _("legde je bezwaar vast"), _("legde een bezwaar vast")),
    Event(
        "privacy.statement_added",
        "D",
        _("voegde je eigen verklaring aan je dossier toe"),
        _("voegde een eigen verklaring van de werknemer toe"),
    ),
    Event(
        "privacy.statements_read",
        "C",
        _("las je eigen verklaring bij je medisch dossier"),
        _("las eigen verklaringen bij het medisch dossier"),
    ),
    Event(
        "privacy.erasure_done",
        "D",
        _("verwijderde gegevens uit je dossier op je verzoek"),
        _("verwijderde gegevens op verzoek"),
    ),
    Event(
        "privacy.rights_request_purged",
        "D",
        _("verwijderde een afgehandeld verzoek na de bewaartermijn"),
        _("verwijderde een afgehandeld verzoek na de bewaartermijn"),
    ),
    # Events about no one person, or not told to the person: staff labels only (issue 18).
    Event(
        "access.break_the_glass_not_found",
        "",
        None,
        _("zocht een werknemer voor noodtoegang zonder resultaat"),
    ),
    Event("access.break_the_glass_widened", "", None, _("breidde een noodtoegang uit")),
    Event("access.doctor_team_member_added", "", None, _("voegde iemand aan het team van een arts toe")),
    Event(
        "access.doctor_team_member_ended", "", None, _("beëindigde iemands plaats in het team van een arts")
    ),
    Event(
        "access.doctor_team_request_approved",
        "",
        _("keurde een aanvraag voor het team van je bedrijfsarts goed"),
        _("keurde een aanvraag voor het team van een arts goed"),
    ),
    Event(
        "access.doctor_team_request_rejected",
        "",
        _("wees een aanvraag voor het team van je bedrijfsarts af"),
        _("wees een aanvraag voor het team van een arts af"),
    ),
    Event(
        "access.doctor_team_request_withdrawn",
        "",
        _("trok een aanvraag voor het team van je bedrijfsarts in"),
        _("trok een aanvraag voor het team van een arts in"),
    ),
    Event(
        "access.doctor_team_requested",
        "",
        _("vroeg een arts voor het team van je bedrijfsarts aan"),
        _("vroeg een arts voor het team van een arts aan"),
    ),
    Event(
        "access.emergency_access_reviewed",
        "",
        _("beoordeelde een noodtoegang tot je dossier"),
        _("beoordeelde een noodtoegang"),
    ),
    Event("access.matrix_change_approved", "", None, _("keurde een wijziging van de autorisatiematrix goed")),
    Event("access.matrix_change_rejected", "", None, _("wees een wijziging van de autorisatiematrix af")),
    Event("access.matrix_change_requested", "", None, _("vroeg een wijziging van de autorisatiematrix aan")),
    Event("api.client_created", "", None, _("maakte een koppeling (API-client) aan")),
    Event("api.token_revoked", "", None, _("trok de sleutel van een koppeling in")),
    Event("audit.purged", "", None, _("verwijderde logregels na de bewaartermijn")),
    Event("audit.viewer_exported", "", None, _("exporteerde het logboek als CSV")),
    Event("audit.viewer_used", "", None, _("zocht in het logboek")),
    Event("consent.recipient_saved", "", None, _("legde een ontvanger van gegevens vast")),
    Event(
        "identity.access_review_exported", "", None, _("exporteerde de periodieke controle van de rechten")
    ),
    Event("identity.access_review_viewed", "", None, _("bekeek de periodieke controle van de rechten")),
    Event("identity.declaration_recorded", "", None, _("legde een geheimhoudingsverklaring vast")),
    Event("identity.function_approved", "", None, _("keurde een functie voor een gebruiker goed")),
    Event("identity.function_rejected", "", None, _("wees een functie voor een gebruiker af")),
    Event("identity.function_requested", "", None, _("vroeg een functie voor een gebruiker aan")),
    Event("identity.function_revoked", "", None, _("trok een functie van een gebruiker in")),
    Event("identity.invitation_accepted", "", None, _("nam een uitnodiging aan")),
    Event("identity.invitation_resent", "", None, _("stuurde een uitnodiging opnieuw")),
    Event("identity.invitation_sent", "", None, _("stuurde een uitnodiging voor een account")),
    Event("identity.leaver_rights_ended", "", None, _("beëindigde de rechten van een vertrokken medewerker")),
    Event("identity.login", "", None, _("logde in")),
    Event("identity.login_attempts_viewed", "", None, _("bekeek de mislukte inlogpogingen")),
    Event("identity.login_failed", "", None, _("mislukte inlogpoging")),
    Event("identity.login_throttled", "", None, _("inloggen tijdelijk geblokkeerd na te veel pogingen")),
    Event("identity.logout", "", None, _("logde uit")),
    Event("identity.mfa_added", "", None, _("stelde tweestapsverificatie in")),
    Event("identity.mfa_failed", "", None, _("verkeerde code bij tweestapsverificatie")),
    Event("identity.mfa_removed", "", None, _("verwijderde tweestapsverificatie")),
    Event("identity.mfa_reset", "", None, _("stelde tweestapsverificatie opnieuw in")),
    Event(
        "identity.mfa_reset_by_admin", "", None, _("zette de tweestapsverificatie van een gebruiker terug")
    ),
    Event("identity.session_expired", "", None, _("sessie verlopen")),
    Event("identity.user_created", "", None, _("maakte een gebruiker aan")),
    Event("identity.user_deactivated", "", None, _("zette een gebruiker op non-actief")),
    Event("identity.user_offboarded", "", None, _("sloot het account van een vertrokken medewerker af")),
    Event(
        "medical.booking_viewed",
        "",
        _("bekeek je afspraak met de bedrijfsarts zonder je naam"),
        _("bekeek een spreekuurafspraak zonder naam"),
    ),
    Event("medical.master_key_rotated", "", None, _("verving de hoofdsleutel van de medische gegevens")),
    Event(
        "medical.research_chapters_read",
        "",
        _("las je dossier voor wetenschappelijk onderzoek"),
        _("las dossiers voor wetenschappelijk onderzoek"),
    ),
    Event("medical.slot_created", "", None, _("maakte een vrij spreekuurblok aan")),
    Event("medical.slot_deleted", "", None, _("verwijderde een vrij spreekuurblok")),
    Event(
        "portal.access_log_viewed",
        "",
        _("bekeek wie je dossier inzag"),
        _("werknemer bekeek wie het dossier inzag"),
    ),
    Event(
        "prevention.applicant_informed",
        "",
        _("legde vast dat je de uitslag van je keuring kreeg"),
        _("legde vast dat de sollicitant de uitslag kreeg"),
    ),
    Event("prevention.keys_rotated", "", None, _("verving de sleutels van de preventiegegevens")),
    Event(
        "prevention.pre_employment_exam_recorded",
        "",
        _("legde je aanstellingskeuring vast"),
        _("legde een aanstellingskeuring vast"),
    ),
    Event(
        "prevention.release_decision_recorded",
        "",
        _("legde je besluit over het vrijgeven van je keuringsuitslag vast"),
        _("legde het besluit over vrijgeven van een keuringsuitslag vast"),
    ),
    Event("privacy.breach_ap_form_exported", "", None, _("exporteerde het meldformulier voor de AP")),
    Event("privacy.breach_ap_notified", "", None, _("legde de melding van een datalek aan de AP vast")),
    Event("privacy.breach_assessed", "", None, _("beoordeelde een datalek")),
    Event("privacy.breach_closed", "", None, _("sloot een datalek af")),
    Event("privacy.breach_decided", "", None, _("besliste over melding van een datalek")),
    Event("privacy.breach_letters_sent", "", None, _("stuurde brieven over een datalek")),
    Event("privacy.breach_measures_recorded", "", None, _("legde maatregelen na een datalek vast")),
    Event("privacy.breach_register_viewed", "", None, _("bekeek het register van datalekken")),
    Event("privacy.breach_reported", "", None, _("meldde een (mogelijk) datalek")),
    Event("privacy.breach_viewed", "", None, _("bekeek een datalek")),
    Event("privacy.breachsignal_raised", "", None, _("systeem gaf een termijnsignaal bij een datalek")),
    Event(
        "privacy.complaint_acknowledged",
        "",
        _("bevestigde de ontvangst van je klacht"),
        _("bevestigde de ontvangst van een klacht"),
    ),
    Event(
        "privacy.complaint_assigned",
        "",
        _("wees je klacht toe aan een behandelaar"),
        _("wees een klacht toe"),
    ),
    Event("privacy.complaint_decided", "", _("besliste op je klacht"), _("besliste op een klacht")),
    Event(
        "privacy.complaint_extended",
        "",
        _("verlengde de termijn van je klacht"),
        _("verlengde de termijn van een klacht"),
    ),
    Event("privacy.complaint_filed", "", _("registreerde je klacht"), _("registreerde een klacht")),
    Event("privacy.complaint_viewed", "", _("bekeek je klacht"), _("bekeek een klacht")),
    Event(
        "privacy.complaints_listed",
        "",
        _("zag je klacht in een overzicht"),
        _("zag een klacht in een overzicht"),
    ),
    Event("privacy.complaintsignal_raised", "", None, _("systeem gaf een termijnsignaal bij een klacht")),
    Event("privacy.home_viewed", "", None, _("opende de startpagina van de privacyfunctionaris")),
    Event("privacy.processor_saved", "", None, _("legde een verwerker vast")),
    Event("privacy.register_changed", "", None, _("wijzigde het verwerkingsregister")),
    Event("privacy.register_exported", "", None, _("exporteerde het verwerkingsregister")),
    Event("privacy.rightssignal_raised", "", None, _("systeem gaf een termijnsignaal bij een verzoek")),
    Event("privacy.statement_published", "", None, _("publiceerde de privacyverklaring")),
    Event("privacy.support_account_created", "", None, _("maakte een account voor de leverancier aan")),
    Event("privacy.support_home_viewed", "", None, _("leverancier opende de startpagina voor ondersteuning")),
    Event(
        "privacy.support_request",
        "",
        None,
        _("leverancier deed een verzoek tijdens een ondersteuningsvenster"),
    ),
    Event("privacy.support_window_closed", "", None, _("ondersteuningsvenster gesloten")),
    Event(
        "privacy.support_window_granted", "", None, _("opende een ondersteuningsvenster voor de leverancier")
    ),
    Event("privacy.support_window_revoked", "", None, _("trok een ondersteuningsvenster in")),
    Event("registry.contract_saved", "", None, _("legde een contract met een werkgever vast")),
    Event(
        "registry.employee_account_linked",
        "",
        _("koppelde je account aan je gegevens"),
        _("koppelde een account aan de werknemer"),
    ),
    Event("registry.employer_created", "", None, _("registreerde een werkgever")),
    Event(
        "registry.employer_membership_added", "", None, _("gaf een gebruiker toegang namens een werkgever")
    ),
    Event("registry.employer_updated", "", None, _("wijzigde de gegevens van een werkgever")),
    Event("registry.employer_viewed", "", None, _("bekeek een werkgever")),
    Event("registry.roster_uploaded", "", None, _("laadde een personeelsbestand op")),
    Event("registry.team_joined", "", None, _("voegde een medewerker aan een team toe")),
    Event("registry.team_left", "", None, _("haalde een medewerker uit een team")),
    Event("reporting.api_read", "", None, _("HR-koppeling haalde verzuimcijfers op")),
    Event(
        "reporting.dashboard_viewed",
        "",
        _("telde je verzuim mee in het verzuimdashboard"),
        _("bekeek het verzuimdashboard"),
    ),
    Event("reporting.exported", "", None, _("exporteerde verzuimcijfers")),
    Event("reporting.research_released", "", None, _("gaf gegevens voor onderzoek vrij")),
    Event("retention.destroyed", "", None, _("vernietigde gegevens na de bewaartermijn")),
    Event("retention.dry_run_viewed", "", None, _("bekeek wat de bewaartermijnen zouden vernietigen")),
    Event(
        "retention.hold_lifted",
        "",
        _("hief de bewaarplicht op je dossier op"),
        _("hief een bewaarplicht (hold) op"),
    ),
    Event(
        "retention.hold_placed",
        "",
        _("legde een bewaarplicht op je dossier"),
        _("legde een bewaarplicht (hold) op een dossier"),
    ),
    Event(
        "retention.holds_viewed",
        "",
        _("zag je naam in de lijst van bewaarplichten"),
        _("bekeek de lijst van bewaarplichten"),
    ),
    Event("retention.person_erased", "", None, _("wiste een persoon")),
    Event("retention.purged", "", None, _("systeem verwijderde gegevens na de bewaartermijn")),
    Event("retention.records_erased", "", None, _("wiste gegevens van een persoon")),
    Event("retention.rule_change_approved", "", None, _("keurde een wijziging van een bewaartermijn goed")),
    Event("retention.rule_change_rejected", "", None, _("wees een wijziging van een bewaartermijn af")),
    Event("retention.rule_change_requested", "", None, _("vroeg een wijziging van een bewaartermijn aan")),
    # Data-subject rights (arbo.privacy.rights, issue 13): one read per app when a package is made.
    *(
        Event(
            f"{source}.subject_records_read",
            "",
            _("stelde je gegevens samen (inzage of verstrekking)"),
            _("stelde gegevens samen voor een verzoek van een betrokkene"),
        )
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
    Event(
        "privacy.rights_letter_posted",
        "D",
        _("stuurde je het antwoord op je verzoek per post"),
        _("legde vast dat het antwoord op een verzoek per post is verstuurd"),
    ),
]

#: The registry: name -> :class:`Event`.
EVENTS: dict[str, Event] = {event.name: event for event in _EVENTS}

#: The employee's sentence per event (what "who saw my file" shows).
EVENT_LABELS = {name: event.employee_label for name, event in EVENTS.items()}

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
    return str(event.staff_label if staff else event.employee_label)


def describe_categories(categories: str) -> str:
    return ", ".join(str(CATEGORY_LABELS[c]) for c in categories if c in CATEGORY_LABELS)
