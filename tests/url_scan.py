"""Shared parts of the URL scans (``tests/*/test_every_url_is_scoped.py``).

A scan reads the URLs to try from the URLconf, so a new page that forgets the visibility querysets
is caught without anyone adding it to a list; it tries them as users outside the relationship.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Employer
from tests import factories as f


def named_id_routes(namespace: str) -> list[tuple[str, str]]:
    """(name, route with converters) of every named URL of ``namespace`` that carries an object id."""
    return [
        (name, route) for ns, name, route in all_routes() if ns == namespace and name and "<int:" in route
    ]


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


def logged_in(user: User) -> Client:
    """A client of ``user`` with TOTP enrolled and a fresh reauthentication, so that pages asking
    for the password again reach their own scope check (the scan tests that, not allauth's)."""
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": f.TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def allowed_records(user: User) -> list[tuple[str, str]]:
    """Audit records of anything this user was allowed to do (logging in aside)."""
    return list(
        AuditEvent.objects.filter(actor=user, outcome=AuditEvent.Outcome.ALLOWED)
        .exclude(action__in=[AuditEvent.Action.LOGIN, AuditEvent.Action.LOGOUT])
        .values_list("event", "object_id")
    )


def url_namespaces() -> set[str]:
    """Every namespace the URLconf has (read from it, so a new app's URLs are seen)."""
    found: set[str] = set()

    def walk(patterns: list[Any], current: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace or current
                if namespace:
                    found.add(namespace)
                walk(pattern.url_patterns, namespace)

    walk(get_resolver().url_patterns, "")
    return found


def all_routes() -> list[tuple[str, str | None, str]]:
    """(namespace or "", name, route) of every URL pattern of the URLconf."""
    found: list[tuple[str, str | None, str]] = []

    def walk(patterns: list[Any], prefix: str, current: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or current)
            elif isinstance(pattern, URLPattern):
                found.append((current, pattern.name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "/", "")
    return found


def whole_file(client: Any, employee: Any) -> tuple[int, str]:
    """The employee file as one text (issue 18: the file is in tabs): the overview page and the
    panel of every tab it offers, each loaded as htmx loads it. (status of the overview, text)."""
    response = client.get(reverse("registry:employee_detail", args=[employee.pk]))
    html = response.content.decode()
    if response.status_code != 200:
        return response.status_code, html
    overview = reverse("registry:employee_detail", args=[employee.pk])
    for url in re.findall(r'hx-get="([^"]+)" hx-target="#file-tabs"', html):
        if url != overview:
            panel = client.get(url, HTTP_HX_REQUEST="true")
            assert panel.status_code == 200, url
            html += panel.content.decode().partition('<div id="file-panel"')[2]
    return response.status_code, html
