"""Shared parts of the URL scans (``tests/*/test_every_url_is_scoped.py``).

A scan reads the URLs to try from the URLconf, so a new page that forgets the visibility querysets
is caught without anyone adding it to a list; it tries them as users outside the relationship.
"""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, get_resolver

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Employer
from tests import factories as f


def named_id_routes(namespace: str) -> list[tuple[str, str]]:
    """(name, route with converters) of every named URL of ``namespace`` that carries an object id."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, current: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or current)
            elif isinstance(pattern, URLPattern) and current == namespace and pattern.name:
                route = prefix + str(pattern.pattern)
                if "<int:" in route:
                    found.append((pattern.name, route))

    walk(get_resolver().url_patterns, "/", "")
    return found


#: The function of a staff persona, by the last word of its name (anything else: casemanager).
PERSONA_FUNCTIONS = {
    "doctor": StaffFunction.BEDRIJFSARTS,
    "planner": StaffFunction.PLANNER,
    "director": StaffFunction.DIRECTEUR,
    "financieel": StaffFunction.FINANCIEEL_MEDEWERKER,
    "arbeidshygienist": StaffFunction.ARBEIDSHYGIENIST,
    "secretariaat": StaffFunction.SECRETARIAAT,
    "applicatiebeheerder": StaffFunction.APPLICATIEBEHEERDER,
    "privacy_officer": StaffFunction.PRIVACY_OFFICER,
    "medisch_manager": StaffFunction.MEDISCH_MANAGER,
}


def persona(who: str, employer_a: Employer, employer_b: Employer) -> User:
    """A user named ``who``: ``[other_]employer_hr``, ``other_employee``, or staff on A's team
    (``own_team_…``), on B's (``other_team_…``) or on none (any other name) with the function its
    last word names (:data:`PERSONA_FUNCTIONS`: ``…doctor``, ``…planner``, ``…director`` …;
    anything else is a casemanager)."""
    if who.endswith("employer_hr"):
        return f.make_employer_user(employer_b if who.startswith("other") else employer_a, username=who)
    if who == "other_employee":
        user = cast(User, f.UserFactory(username=who, kind=User.Kind.EMPLOYEE))
        other = employer_b.employments.first().employee  # type: ignore[union-attr]
        other.user = user
        other.save(update_fields=["user"])
        return user
    function = next(
        (fn for suffix, fn in PERSONA_FUNCTIONS.items() if who.endswith(suffix)), StaffFunction.CASEMANAGER
    )
    user = cast(User, f.UserFactory(username=who, kind=User.Kind.STAFF))
    f.give_function(user, function)
    if who.startswith("other"):
        f.join_team(user, employer_b)
    elif who.startswith("own"):
        f.join_team(user, employer_a)
    return user


def allowed_records(user: User) -> list[tuple[str, str]]:
    """Audit records of anything this user was allowed to do (logging in aside)."""
    return list(
        AuditEvent.objects.filter(actor=user, outcome=AuditEvent.Outcome.ALLOWED)
        .exclude(action__in=[AuditEvent.Action.LOGIN, AuditEvent.Action.LOGOUT])
        .values_list("event", "object_id")
    )
