"""The function × data category matrix of seed 003, annex 2 (shared/domain.md §3).

Each function maps to four letters for categories A, B, C and D:
``-`` no access · ``R`` read · ``M`` read and change · ``V`` read, change and delete.

:data:`MATRIX` is annex 2 as the board adopted it: the seed of the effective matrix and what tests
compare it with. The matrix that is *enforced* lives in the database (``MatrixCell``, seeded from
this table by migration ``access.0003_seed_matrix_annex_2``), because the board may approve deviations
(``arbo.access.domain``); the privacy officer reviews it on one page (``access:matrix``).

:func:`level` and :func:`best_level` read the effective matrix through a process-wide cache keyed
by ``MatrixVersion.token``, which every applied change renews. The token is read from the
database once per request (and on every call outside a request), so a page costs one small query
however many checks it makes, and a change another process applied is seen by the next request.
"""

from __future__ import annotations

import contextvars
import uuid
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from arbo.access.models_matrix import MatrixCell, MatrixVersion
from arbo.identity.roles import StaffFunction as F

# The categories and actions are the bottom layer's (arbo.lib.categories): the registry and
# models_matrix use them without importing the matrix. Re-exported here for the matrix's callers.
from arbo.lib.categories import Action as Action
from arbo.lib.categories import Category as Category

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


# --- The effective matrix -----------------------------------------------------------------------

#: "matrix" → (token, {function: "ABCD letters"}) of the last load in this process.
_process_cache: dict[str, tuple[Any, dict[str, str]]] = {}
#: Per request: the matrix already checked against the token in this request ({} until then).
_request_memo: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "arbo_access_matrix_memo", default=None
)


def request_started(**kwargs: Any) -> None:
    """Signal receiver (``AccessConfig.ready``): check the token once in this request."""
    _request_memo.set({})


def request_finished(**kwargs: Any) -> None:
    _request_memo.set(None)


def _load() -> dict[str, str]:

    letters: dict[str, list[str]] = {}
    for function, category, cell in MatrixCell.objects.values_list("function", "category", "level"):
        letters.setdefault(function, ["-"] * len(CATEGORY_ORDER))[
            CATEGORY_ORDER.index(Category(category))
        ] = cell
    if not letters:
        # Not a silent fallback to annex 2: an empty table means the migrations did not run.
        raise ImproperlyConfigured("The access matrix (access_matrixcell) is empty: run `manage.py migrate`.")
    return {function: "".join(cells) for function, cells in letters.items()}


def effective_matrix() -> dict[str, str]:
    """The enforced matrix: function → four letters (A, B, C, D). Functions without cells: none."""
    memo = _request_memo.get()
    if memo is not None and "matrix" in memo:
        return memo["matrix"]

    token = MatrixVersion.objects.order_by("pk").values_list("token", flat=True).first()
    cached = _process_cache.get("matrix")
    if cached is None or cached[0] != token:
        cached = (token, _load())
        _process_cache["matrix"] = cached
    if memo is not None:
        memo["matrix"] = cached[1]
    return cached[1]


def invalidate() -> None:
    """Renew the version token (in the caller's transaction) and forget what this process cached.

    Call after changing ``MatrixCell`` rows. Other processes see the new token once the transaction
    commits; a rolled-back change leaves the old token, whose cached matrix is still right.
    """

    version = MatrixVersion.objects.order_by("pk").first()
    if version is None:
        MatrixVersion.objects.create()
    else:
        version.token = uuid.uuid4()
        version.save(update_fields=["token", "changed_at"])
    _process_cache.clear()
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def level(function: str, category: str) -> int:
    cells = effective_matrix().get(function, "----")
    return LEVELS[cells[CATEGORY_ORDER.index(Category(category))]]


def best_level(functions: set[str], category: str) -> int:
    if not functions:
        return 0
    cells = effective_matrix()
    index = CATEGORY_ORDER.index(Category(category))
    return max(LEVELS[cells.get(f, "----")[index]] for f in functions)


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
