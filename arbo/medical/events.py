"""How the medical app's audit events are described to the employee ("who saw my file") and in the
audit viewer. ``arbo.portal.events.EVENT_LABELS`` can take these over with one ``update``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "medical.file_viewed": _("las je medisch dossier"),
    "medical.notes_viewed": _("las je medisch dossier"),
    "medical.note_added": _("schreef in je medisch dossier"),
    "medical.consultation_planned": _("plande een afspraak met de bedrijfsarts"),
    "medical.consultation_recorded": _("legde een consult met de bedrijfsarts vast"),
    "medical.consultation_rescheduled": _("verzette je afspraak met de bedrijfsarts"),
    "medical.consultation_cancelled": _("annuleerde je afspraak met de bedrijfsarts"),
    "medical.consultation_held": _("legde vast dat je spreekuur is gehouden"),
    "medical.consultation_no_show": _("legde vast dat je niet op het spreekuur verscheen"),
    "medical.consultation_reason_set": _("schreef de reden van je consult op"),
    "medical.consultation_viewed": _("bekeek je afspraak met de bedrijfsarts"),
    "medical.appointments_viewed": _("bekeek je afspraken met de bedrijfsarts"),
    "medical.agenda_viewed": _("zag je afspraak in de agenda van de arts"),
    "medical.invitation_printed": _("drukte je uitnodiging voor het spreekuur af"),
    "medical.invitation_exported": _("haalde je afspraak op als agenda-bestand"),
    "medical.advice_saved": _("schreef het advies na je spreekuur"),
    "medical.advice_released": _("verstrekte het advies na je spreekuur"),
    "medical.advice_seen": _("legde vast dat je het advies hebt gezien"),
    "medical.advice_viewed": _("las het advies na je spreekuur"),
    "medical.report_consent_given": _("legde je toestemming vast om een verslag aan je werkgever te sturen"),
    "medical.released_viewed": _("las wat de bedrijfsarts aan je werkgever verstrekte"),
    "medical.consented_report_viewed": _("las het verslag waarvoor je toestemming gaf"),
    "medical.own_file_viewed": _("bekeek je spreekuren en adviezen"),
    "medical.document_filed": _("borg een brief op in je medisch dossier"),
    "medical.document_paper_destroyed": _("legde vast dat het papier van een brief is vernietigd"),
    "medical.document_downloaded": _("las een brief in je medisch dossier"),
    "medical.filed_documents_listed": _("zag je naam bij opgeborgen post"),
    "medical.information_consent_recorded": _("legde je toestemming voor contact met een behandelaar vast"),
    "medical.information_consent_withdrawn": _(
        "legde vast dat je toestemming voor contact met een behandelaar is ingetrokken"
    ),
    "medical.information_requested": _("legde een informatieverzoek aan een behandelaar vast"),
    "medical.information_answered": _("legde het antwoord van een behandelaar vast"),
    "medical.fml_recorded": _("legde je belastbaarheid (FML) vast"),
    "medical.fml_viewed": _("las je belastbaarheid (FML)"),
}
