"""What each WvP document holds: its sections, who writes it, the RIV's chapters (pure data).

Sources: Regeling procesgang eerste en tweede ziektejaar art. 2 (probleemanalyse), 4 (plan van
aanpak, evaluation, bijstelling) and 6 (the re-integratieverslag, a–l), and the parts the UWV
Werkwijzer Poortwachter names (shared/research/domain.md §2.1). Used by :mod:`arbo.absence.documents.domain` and its queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from arbo.absence.models import CaseDocument

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Kind = CaseDocument.Kind


@dataclass(frozen=True)
class Section:
    """One part of a document the author writes, with its label and a hint for the form."""

    key: str
    label: StrOrPromise
    help: StrOrPromise = ""


_NOT_MEDICAL = gettext_lazy("In termen van werk; geen diagnose.")

#: What the author of each kind writes, in order (Regeling procesgang art. 2, 4, 6; UWV Werkwijzer).
SECTIONS: dict[str, tuple[Section, ...]] = {
    Kind.PROBLEEMANALYSE: (
        Section(
            "arbeidsongeschiktheid",
            gettext_lazy("Arbeidsongeschiktheid"),
            gettext_lazy("Is de werknemer ongeschikt voor het eigen werk, geheel of gedeeltelijk?"),
        ),
        Section("beperkingen_mogelijkheden", gettext_lazy("Beperkingen en mogelijkheden"), _NOT_MEDICAL),
        Section(
            "prognose",
            gettext_lazy("Verwachte duur en prognose"),
            gettext_lazy("In niet-medische termen: wanneer en in welke mate is hervatting te verwachten?"),
        ),
        Section(
            "belemmeringen",
            gettext_lazy("Belemmeringen en kansen voor werkhervatting"),
            gettext_lazy("Ook factoren in het werk en de werkomgeving."),
        ),
        Section(
            "advies_reintegratie",
            gettext_lazy("Advies over re-integratie"),
            gettext_lazy("Eigen werk, aangepast werk of ander werk; stappen en tempo."),
        ),
        Section(
            "advies_aanpassingen",
            gettext_lazy("Advies over aanpassingen"),
            gettext_lazy("Aanpassingen van werk, werktijden of werkplek."),
        ),
        Section(
            "vervolg",
            gettext_lazy("Vervolgafspraken"),
            gettext_lazy("Wanneer ziet de bedrijfsarts de werknemer weer?"),
        ),
    ),
    Kind.BIJSTELLING_PROBLEEMANALYSE: (
        Section("aanleiding", gettext_lazy("Aanleiding voor de bijstelling")),
        Section("beperkingen_mogelijkheden", gettext_lazy("Beperkingen en mogelijkheden"), _NOT_MEDICAL),
        Section(
            "prognose", gettext_lazy("Verwachte duur en prognose"), gettext_lazy("In niet-medische termen.")
        ),
        Section("advies_reintegratie", gettext_lazy("Advies over re-integratie")),
    ),
    Kind.PLAN_VAN_AANPAK: (
        Section(
            "doel",
            gettext_lazy("Doel"),
            gettext_lazy(
                "Het re-integratiedoel: eigen werk, aangepast werk, ander werk bij de werkgever of elders (spoor 2)."
            ),
        ),
        Section(
            "activiteiten",
            gettext_lazy("Activiteiten en afspraken"),
            gettext_lazy("Wat doen werkgever en werknemer, en wie doet wat?"),
        ),
        Section("termijnen", gettext_lazy("Termijnen"), gettext_lazy("Wanneer is elke activiteit klaar?")),
        Section(
            "evaluatiemomenten",
            gettext_lazy("Evaluatiemomenten"),
            gettext_lazy(
                "Ten minste elke zes weken en in elk geval aan het einde van het eerste ziektejaar (Regeling procesgang art. 4 lid 2b)."
            ),
        ),
        Section(
            "casemanager",
            gettext_lazy("Casemanager"),
            gettext_lazy("Naam van de casemanager (Regeling procesgang art. 4 lid 2c)."),
        ),
        Section(
            "opgesteld_met",
            gettext_lazy("Opgesteld met"),
            gettext_lazy("Wie van werkgever en werknemer het plan samen hebben opgesteld, en wanneer."),
        ),
    ),
    Kind.EVALUATION: (
        Section("voortgang", gettext_lazy("Voortgang van de activiteiten")),
        Section("resultaat", gettext_lazy("Wat is bereikt")),
        Section("knelpunten", gettext_lazy("Knelpunten")),
        Section(
            "bijstelling",
            gettext_lazy("Bijstelling van het plan"),
            gettext_lazy(
                "Wat verandert er aan doel, activiteiten of termijnen? Leeg als het plan blijft zoals het is."
            ),
        ),
        Section("volgende_evaluatie", gettext_lazy("Volgende evaluatie")),
    ),
    Kind.BIJSTELLING_PLAN: (
        Section("aanleiding", gettext_lazy("Aanleiding voor de bijstelling")),
        Section("doel", gettext_lazy("Doel")),
        Section("activiteiten", gettext_lazy("Activiteiten en afspraken")),
        Section("termijnen", gettext_lazy("Termijnen")),
        Section("evaluatiemomenten", gettext_lazy("Evaluatiemomenten")),
    ),
    Kind.EERSTEJAARSEVALUATIE: (
        Section("terugblik", gettext_lazy("Terugblik op het eerste ziektejaar")),
        Section(
            "resultaat",
            gettext_lazy("Re-integratieresultaat"),
            gettext_lazy("Welk werk doet de werknemer nu, en hoeveel?"),
        ),
        Section(
            "doel_tweede_jaar",
            gettext_lazy("Re-integratiedoel voor het tweede ziektejaar"),
            gettext_lazy("Eigen werk, aangepast werk, ander werk bij de werkgever of spoor 2."),
        ),
        Section("afspraken", gettext_lazy("Afspraken voor het tweede ziektejaar")),
    ),
    Kind.EINDEVALUATIE: (
        Section("verloop", gettext_lazy("Verloop van de re-integratie")),
        Section(
            "huidige_situatie",
            gettext_lazy("Huidige situatie"),
            gettext_lazy("Welk werk doet de werknemer nu, en hoeveel?"),
        ),
        Section(
            "arbeidsverhouding",
            gettext_lazy("Visie op de arbeidsverhouding"),
            gettext_lazy("Regeling procesgang art. 6 onder i."),
        ),
        Section(
            "passende_arbeid",
            gettext_lazy("Visie op passende arbeid bij de werkgever"),
            gettext_lazy("Regeling procesgang art. 6 onder k."),
        ),
        Section(
            "conclusie",
            gettext_lazy("Conclusie"),
            gettext_lazy("Zijn de re-integratie-inspanningen voldoende geweest, en waarom?"),
        ),
    ),
    Kind.ACTUEEL_OORDEEL: (
        Section(
            "verloop",
            gettext_lazy("Verloop van de arbeidsongeschiktheid"),
            gettext_lazy("In niet-medische termen."),
        ),
        Section(
            "beperkingen_mogelijkheden", gettext_lazy("Actuele beperkingen en mogelijkheden"), _NOT_MEDICAL
        ),
        Section("prognose", gettext_lazy("Prognose"), gettext_lazy("In niet-medische termen.")),
        Section("advies_passende_arbeid", gettext_lazy("Advies over passende arbeid")),
    ),
    Kind.RIV: (
        Section(
            "aard_bedrijf",
            gettext_lazy("Aard van het bedrijf"),
            gettext_lazy("Regeling procesgang art. 6 onder b."),
        ),
        Section(
            "vaardigheden",
            gettext_lazy("Opleiding, werkervaring en vaardigheden van de werknemer"),
            gettext_lazy("Regeling procesgang art. 6 onder d."),
        ),
    ),
}

#: Written and finalised (and released) by a doctor only.
DOCTOR_KINDS = frozenset({Kind.PROBLEEMANALYSE, Kind.BIJSTELLING_PROBLEEMANALYSE, Kind.ACTUEEL_OORDEEL})
#: The employee reads these first, always (shared/domain.md §4); for other kinds it is the author's choice.
REVIEW_REQUIRED = DOCTOR_KINDS | {Kind.RIV}
#: A case has at most one of these; later changes are a bijstelling or an evaluation.
SINGLE_KINDS = frozenset(
    {Kind.PROBLEEMANALYSE, Kind.PLAN_VAN_AANPAK, Kind.EERSTEJAARSEVALUATIE, Kind.EINDEVALUATIE}
)
#: Finalising a document of this kind completes the case's milestone of that kind.
MILESTONE_OF_KIND: dict[str, str] = {
    Kind.PROBLEEMANALYSE: "probleemanalyse",
    Kind.PLAN_VAN_AANPAK: "plan_van_aanpak",
    Kind.EVALUATION: "evaluatie",
    Kind.EERSTEJAARSEVALUATIE: "eerstejaarsevaluatie",
    # Finalising the RIV hands it to the employee, who reads every final document.
    Kind.RIV: "riv_to_employee",
}

#: The chapters of the RIV beyond the administrative data (Regeling procesgang art. 6 f–k), each
#: filled from the final documents of these kinds; ``latest`` keeps only the newest final one.
RIV_CHAPTERS: tuple[tuple[str, StrOrPromise, tuple[tuple[str, bool], ...]], ...] = (
    (
        "f",
        gettext_lazy("Oordeel en advies van de bedrijfsarts"),
        ((Kind.PROBLEEMANALYSE, True), (Kind.BIJSTELLING_PROBLEEMANALYSE, False)),
    ),
    (
        "g",
        gettext_lazy("Plan van aanpak en bijstellingen"),
        ((Kind.PLAN_VAN_AANPAK, True), (Kind.BIJSTELLING_PLAN, False)),
    ),
    (
        "h",
        gettext_lazy("Eerstejaarsevaluatie en laatste evaluatie"),
        ((Kind.EERSTEJAARSEVALUATIE, True), (Kind.EVALUATION, True)),
    ),
    ("j", gettext_lazy("Actueel oordeel van de bedrijfsarts"), ((Kind.ACTUEEL_OORDEEL, True),)),
    (
        "i, k",
        gettext_lazy("Eindevaluatie: arbeidsverhouding en passende arbeid"),
        ((Kind.EINDEVALUATIE, True),),
    ),
)

#: The administrative data of the RIV (art. 6 a, c, e), in order.
RIV_ADMIN_LABELS: dict[str, StrOrPromise] = {
    "employee_name": gettext_lazy("Naam werknemer"),
    "birth_date": gettext_lazy("Geboortedatum"),
    "employer_name": gettext_lazy("Werkgever"),
    "employer_address": gettext_lazy("Adres werkgever"),
    "job_title": gettext_lazy("Functie"),
    "hours_per_week": gettext_lazy("Uren per week"),
    "employed_since": gettext_lazy("In dienst sinds"),
    "first_sick_day": gettext_lazy("Eerste ziektedag"),
    "casemanager": gettext_lazy("Casemanager"),
}
