"""The function × data category matrix of seed 003, annex 2 (shared/domain.md §3).

Each function maps to four letters for categories A, B, C and D:
``-`` no access · ``R`` read · ``M`` read and change · ``V`` read, change and delete.
This table is the artefact a privacy officer reviews; tests walk every cell.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.identity.roles import StaffFunction as F


class Category(models.TextChoices):
    A = "A", _("A — proces- en verzuimgegevens")
    B = "B", _("B — re-integratiegegevens over gezondheid")
    C = "C", _("C — medische gegevens")
    D = "D", _("D — algemene gegevens")


class Action(enum.IntEnum):
    """What a user wants to do; the level a cell must reach to allow it."""

    READ = 1
    CHANGE = 2
    DELETE = 3


LEVELS = {"-": 0, "R": 1, "M": 2, "V": 3}

#:            A B C D
MATRIX: dict[str, str] = {
    F.DIRECTEUR: "---V",
    F.SECRETARIAAT: "---V",
    F.FINANCIEEL_MEDEWERKER: "---V",
    F.PLANNER: "---V",
    F.BASISARTS: "MMMM",
    F.BEDRIJFSARTS: "MMMM",
    F.STAFARTS: "MMMM",
    F.CASEMANAGER: "MM-M",
    F.ARBEIDSDESKUNDIGE: "RR-R",
    F.ARBEIDSHYGIENIST: "---R",
    F.VEILIGHEIDSKUNDIGE: "---R",
    F.AO_DESKUNDIGE: "---R",
    F.REGIOMANAGER: "---R",
    F.MANAGER_SSC: "---R",
    F.MEDISCH_MANAGER: "---R",
    F.CASEMANAGER_TAAKDELEGATIE: "MMMM",
    F.PRAKTIJKONDERSTEUNER: "MMMM",
    F.APPLICATIEBEHEERDER: "VV-V",
    F.ADMINISTRATIEF_MEDEWERKER: "---M",
    F.TEAMLEIDER_KLANT: "---M",
    F.TEAMLEIDER_FINANCIEEL: "---M",
    F.VERZUIMMEDEWERKER_GEHEIMHOUDING: "MMMR",
    F.VERZUIMMEDEWERKER: "MM-R",
    F.MANDAAT_VERZUIM_SUPPORT: "RR-R",
    # Not in annex 2: the privacy officer audits the log and reviews the matrix; reading personal
    # data goes through break-the-glass-like review later (issue 3), so no category access here.
    F.PRIVACY_OFFICER: "----",
}

CATEGORY_ORDER = (Category.A, Category.B, Category.C, Category.D)


def level(function: str, category: str) -> int:
    cells = MATRIX.get(function, "----")
    return LEVELS[cells[CATEGORY_ORDER.index(Category(category))]]


def best_level(functions: set[str], category: str) -> int:
    return max((level(f, category) for f in functions), default=0)


#: Functions whose work concerns every client employer (contracts, invoicing, administration):
#: they see employer records (category D of the employer) without being on its team.
ORGANISATION_WIDE = frozenset(
    {
        F.DIRECTEUR,
        F.APPLICATIEBEHEERDER,
        F.ADMINISTRATIEF_MEDEWERKER,
        F.TEAMLEIDER_KLANT,
        F.TEAMLEIDER_FINANCIEEL,
        F.FINANCIEEL_MEDEWERKER,
    }
)

#: Functions that may create client employers and edit their contracts.
CONTRACT_MANAGERS = frozenset(
    {F.DIRECTEUR, F.APPLICATIEBEHEERDER, F.ADMINISTRATIEF_MEDEWERKER, F.TEAMLEIDER_KLANT}
)
