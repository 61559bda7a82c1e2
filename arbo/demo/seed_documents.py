"""Demo WvP documents on the demo absence cases (run after ``seed_absence_demo``).

For every open case past week 6 whose probleemanalyse the demo history marks done: a final
probleemanalyse by the demo doctor, seen by the employee and released to the employer. Where the
plan van aanpak is done too: a final, released plan and a draft evaluation; where it is not: a
draft plan (the "week 7 without a plan" case stays without a final plan). Cases whose
probleemanalyse is still open (overdue, the doctor's work) get nothing, so the caseloads keep it.

Every document goes through the domain functions (validation, versions, audit); afterwards the
dates are set back to the day the milestone was done, as the demo's history. Idempotent: a kind a
case already has is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from arbo.absence.documents import domain as documents
from arbo.absence.models import AbsenceCase, CaseDocument, Milestone
from arbo.identity.models import User

DOCTOR = "bram.arts"
CASEMANAGER = "carla.cm"
Kind = CaseDocument.Kind

PROBLEEMANALYSE = {
    "arbeidsongeschiktheid": "Op dit moment niet geschikt voor het eigen werk; wel voor een deel van de taken.",
    "beperkingen_mogelijkheden": (
        "Beperkt in zwaar tillen en langdurig staan. Kan zittend werk en lichte taken doen, "
        "vier uur per dag met pauzes."
    ),
    "prognose": "Naar verwachting volledige hervatting in het eigen werk binnen drie maanden.",
    "belemmeringen": "De vroege diensten maken herstel lastiger.",
    "advies_reintegratie": "Start in aangepast werk, vier uur per dag, en bouw elke twee weken op.",
    "advies_aanpassingen": "Werkplek met zit-sta-mogelijkheid; geen vroege diensten de eerste zes weken.",
    "vervolg": "Spreekuur bij de bedrijfsarts over vier weken.",
}
PLAN_VAN_AANPAK = {
    "doel": "Volledige terugkeer in het eigen werk.",
    "activiteiten": (
        "Werkgever regelt een zit-sta-werkplek en past het rooster aan. "
        "Werknemer start met aangepast werk en houdt een logboek van de opbouw bij."
    ),
    "termijnen": "Werkplek binnen twee weken; opbouw naar volledige uren binnen drie maanden.",
    "evaluatiemomenten": "Elke zes weken, en aan het einde van het eerste ziektejaar.",
    "opgesteld_met": "Leidinggevende en werknemer, samen met de casemanager.",
}
EVALUATION = {
    "voortgang": "De opbouw loopt volgens plan; de werkplek is aangepast.",
    "resultaat": "Werkt nu de helft van de uren in het eigen werk.",
}


def _backdate(document: CaseDocument, on: dt.date, *, seen: bool = False, released: bool = False) -> None:
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(11)))
    fields: dict[str, Any] = {"created_at": moment}
    if document.status == CaseDocument.Status.FINAL:
        fields["finalised_at"] = moment
    if seen:
        fields["employee_seen_at"] = moment + dt.timedelta(days=1)
    if released:
        fields["released_to_employer_at"] = moment + dt.timedelta(days=2)
    CaseDocument.objects.filter(pk=document.pk).update(**fields)
    document.versions.update(created_at=moment)


def _done(case: AbsenceCase, kind: str) -> Milestone | None:
    return case.milestones.filter(kind=kind, done_on__isnull=False).order_by("sequence").first()


def _final_released(
    case: AbsenceCase, kind: str, sections: dict[str, str], *, by: User, milestone: Milestone
) -> CaseDocument:
    document = documents.create_document(case, kind=kind, sections=sections, by=by)
    document = documents.finalise_document(document, by=by)
    # The employee received it by post; the casemanager records that it was seen.
    if document.employee_review:
        documents.record_employee_review(document, by=case.casemanager or by)
    document = documents.release_to_employer(document, by=by)
    # The milestone was done in the demo history before the document existed: link it now.
    Milestone.objects.filter(pk=milestone.pk, document__isnull=True).update(document=document)
    _backdate(
        document, milestone.done_on or timezone.localdate(), seen=document.employee_review, released=True
    )
    return document


@transaction.atomic
def seed_documents_demo(stdout: Any = None) -> int:
    """Add the demo documents; returns how many were created."""
    doctor = User.objects.filter(username=DOCTOR).first()
    casemanager = User.objects.filter(username=CASEMANAGER).first()
    if doctor is None or casemanager is None:
        return 0
    today = timezone.localdate()
    cases = AbsenceCase.objects.open().filter(first_sick_day__lte=today - dt.timedelta(weeks=6))
    created = 0
    for case in cases.select_related("employee", "casemanager").order_by("pk"):
        kinds = set(case.documents.values_list("kind", flat=True))
        analysed = _done(case, Milestone.Kind.PROBLEEMANALYSE)
        if analysed is None:
            continue
        if Kind.PROBLEEMANALYSE not in kinds:
            _final_released(case, Kind.PROBLEEMANALYSE, PROBLEEMANALYSE, by=doctor, milestone=analysed)
            created += 1
        planned = _done(case, Milestone.Kind.PLAN_VAN_AANPAK)
        plan_sections = {**PLAN_VAN_AANPAK, "casemanager": str(case.casemanager or casemanager)}
        if Kind.PLAN_VAN_AANPAK not in kinds:
            if planned is not None:
                _final_released(case, Kind.PLAN_VAN_AANPAK, plan_sections, by=casemanager, milestone=planned)
            else:
                documents.create_document(
                    case, kind=Kind.PLAN_VAN_AANPAK, sections=plan_sections, by=casemanager
                )
            created += 1
        if planned is not None and Kind.EVALUATION not in kinds:
            documents.create_document(case, kind=Kind.EVALUATION, sections=EVALUATION, by=casemanager)
            created += 1
    if stdout is not None and created:
        stdout.write(f"Demo WvP documents: {created} created.")
    return created
