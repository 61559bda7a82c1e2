"""The one definition of a staff member's current functions (issue 9, item 4).

A function counts for access only when all of this holds today:

- the account is an active staff account;
- the function is approved and between its dates (``FunctionAssignment.is_in_force``);
- a confidentiality declaration is recorded, signed on or before today (seed 000 §7, seed 003 §5);
- for a function that reaches category C without being a doctor (:data:`DERIVED_SECRECY_FUNCTIONS`:
  casemanager taakdelegatie, POB, verzuimmedewerker met afgeleid beroepsgeheim) also a signed
  *derived-secrecy* declaration (afgeleid beroepsgeheim, annex 2). Without it the function counts
  as its plain counterpart (:data:`WITHOUT_DERIVED_SECRECY`): a verzuimmedewerker, a casemanager,
  or nothing (POB).

:func:`staff_functions` (per user) and :func:`holders_of` (the same rule as a query) are the only
places that compute it; ``arbo.access.policy.staff_functions`` is this function, and every page,
API view, export, job and audit record uses one of them (tests/access/test_one_definition.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User, in_force
from arbo.identity.roles import StaffFunction

#: Functions that reach category C without being a doctor: they need the derived-secrecy declaration.
DERIVED_SECRECY_FUNCTIONS = frozenset(
    {
        StaffFunction.CASEMANAGER_TAAKDELEGATIE,
        StaffFunction.PRAKTIJKONDERSTEUNER,
        StaffFunction.VERZUIMMEDEWERKER_GEHEIMHOUDING,
    }
)
#: What such a function counts as while the derived-secrecy declaration is missing.
WITHOUT_DERIVED_SECRECY: dict[str, str | None] = {
    StaffFunction.CASEMANAGER_TAAKDELEGATIE: StaffFunction.CASEMANAGER,
    StaffFunction.PRAKTIJKONDERSTEUNER: None,
    StaffFunction.VERZUIMMEDEWERKER_GEHEIMHOUDING: StaffFunction.VERZUIMMEDEWERKER,
}


def staff_functions(user: Any, day: date | None = None) -> set[str]:
    """The functions that give ``user`` access on ``day`` (today by default); see the module."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.kind != User.Kind.STAFF or not user.has_confidentiality_declaration(day):
        return set()
    held = user.functions_on(day)
    if not held & DERIVED_SECRECY_FUNCTIONS or user.has_derived_secrecy_declaration(day):
        return set(held)
    counted = held - DERIVED_SECRECY_FUNCTIONS
    counted |= {f for f in (WITHOUT_DERIVED_SECRECY[g] for g in held & DERIVED_SECRECY_FUNCTIONS) if f}
    return counted


def staff_holding(user: Any, function: str) -> bool:
    """Does ``user`` hold ``function`` today, as every check counts it?"""
    return function in staff_functions(user)


def holders_of(functions: frozenset[str] | set[str], day: date | None = None) -> QuerySet[User]:
    """Active staff accounts for whom :func:`staff_functions` includes one of ``functions``: the
    same rule as a query (lists of doctors, casemanagers, privacy officers to notify)."""
    day = day or timezone.localdate()
    declared = ConfidentialityDeclaration.objects.filter(
        signed_on__lte=day, kind=ConfidentialityDeclaration.Kind.GENERAL
    ).values("user_id")
    derived = ConfidentialityDeclaration.objects.filter(
        signed_on__lte=day, kind=ConfidentialityDeclaration.Kind.DERIVED_SECRECY
    ).values("user_id")
    plain = set(functions) - DERIVED_SECRECY_FUNCTIONS
    gated = set(functions) & DERIVED_SECRECY_FUNCTIONS
    # A gated function held without the derived declaration counts as its plain counterpart.
    fallback = {g for g, plain_fn in WITHOUT_DERIVED_SECRECY.items() if plain_fn in plain}
    assignments = FunctionAssignment.objects.filter(in_force(day))
    holds = Q(pk__in=assignments.filter(function__in=plain).values("user_id"))
    holds |= Q(pk__in=assignments.filter(function__in=gated).values("user_id")) & Q(pk__in=derived)
    holds |= Q(pk__in=assignments.filter(function__in=fallback).values("user_id")) & ~Q(pk__in=derived)
    return User.objects.filter(holds, kind=User.Kind.STAFF, is_active=True, pk__in=declared)


def lacking_derived_secrecy(user: Any) -> set[str]:
    """The functions ``user`` holds that need the derived-secrecy declaration it has not signed
    (shown on the account page: they count only as their plain counterpart)."""
    if getattr(user, "kind", None) != User.Kind.STAFF or user.has_derived_secrecy_declaration():
        return set()
    return user.functions_on() & DERIVED_SECRECY_FUNCTIONS


# --- Who manages functions (the four-eyes grants of identity.domain) -----------------------------

#: Management: who may ask for a function for someone (seed 000 §7: "een aanvraag vanuit het
#: management"), besides the applicatiebeheerder.
MANAGERS = frozenset(
    {
        StaffFunction.DIRECTEUR,
        StaffFunction.REGIOMANAGER,
        StaffFunction.MANAGER_SSC,
        StaffFunction.MEDISCH_MANAGER,
        StaffFunction.TEAMLEIDER_KLANT,
        StaffFunction.TEAMLEIDER_FINANCIEEL,
    }
)
FUNCTION_REQUESTERS = MANAGERS | {StaffFunction.APPLICATIEBEHEERDER}
#: Who approves a request: authorisation management is the applicatiebeheerder's job, and the board's.
FUNCTION_DECIDERS = frozenset({StaffFunction.APPLICATIEBEHEERDER, StaffFunction.DIRECTEUR})
#: Who reads the periodic review of granted rights.
ACCESS_REVIEWERS = frozenset(
    {StaffFunction.APPLICATIEBEHEERDER, StaffFunction.PRIVACY_OFFICER, StaffFunction.DIRECTEUR}
)


def can_request_functions(user: Any) -> bool:
    return bool(staff_functions(user) & FUNCTION_REQUESTERS)


def can_decide_functions(user: Any) -> bool:
    return bool(staff_functions(user) & FUNCTION_DECIDERS)


def can_review_access(user: Any) -> bool:
    return bool(staff_functions(user) & ACCESS_REVIEWERS)


def can_see_staff_accounts(user: Any) -> bool:
    """May open staff accounts' pages: to request, decide on or review functions."""
    return bool(staff_functions(user) & (FUNCTION_REQUESTERS | FUNCTION_DECIDERS | ACCESS_REVIEWERS))
