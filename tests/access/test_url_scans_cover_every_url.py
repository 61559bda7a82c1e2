"""The URL scans cover every URL of the site, and no page without an object id leaks (issue 9, item 7).

The namespaces are read from the URLconf. Each ``tests/<app>/test_every_*url*_is_scoped.py`` scan
says which namespaces it covers (its ``NAMESPACES``); a namespace no scan covers fails here, so a new
app's pages cannot escape the scans by being forgotten. URLs outside any namespace are listed with
the reason they need no scan.

The pages that name no object (lists, dashboards, forms) are requested as every persona, and must
not show what the persona may not learn: outsiders see no name or BSN of employer A's employee,
the D-only functions on A's team no category B or C fact of that employee, the casemanager no C
fact, the employer's HR no B or C fact (annex 2 of seed 003; ``arbo/access/matrix.py``).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from arbo.access import care
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.journal.domain import add_journal_entry
from tests import factories as f
from tests.url_scan import all_routes, logged_in, persona, url_namespaces

TESTS = Path(__file__).resolve().parents[1]

#: URLs outside any namespace, and why no scan needs them (none names an object).
OUTSIDE_NAMESPACES = {
    "home": "redirects to the user's own start page",
    "set_language": "Django's language switch",
    "api-schema": "the OpenAPI schema: no data",
    "api-docs": "Swagger UI: no data",
    "healthz": "liveness: no data",
    "readyz": "readiness: counts and ages, no personal data (tests/operations)",
    "favicon": "an icon",
    None: "static files in DEBUG only",
}
#: allauth's login, logout, password and MFA pages (tests/identity drives them over HTTP).
ALLAUTH = "/accounts/"


def scans() -> dict[str, tuple[str, ...]]:
    """The namespaces each URL scan module says it covers."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(TESTS.glob("*/test_every_*url*_is_scoped.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        found[f"{path.parent.name}/{path.name}"] = tuple(module.NAMESPACES)
    return found


def test_every_namespace_of_the_urlconf_has_a_url_scan() -> None:
    covered = {namespace for namespaces in scans().values() for namespace in namespaces}
    missing = url_namespaces() - covered
    assert not missing, (
        f"No URL scan covers {sorted(missing)}: add the namespace to the NAMESPACES of a "
        "tests/<app>/test_every_url_is_scoped.py and give its ids real objects (see "
        "tests/access/test_every_other_url_is_scoped.py)"
    )
    assert covered <= url_namespaces(), sorted(covered - url_namespaces())


def test_every_url_outside_a_namespace_is_known() -> None:
    outside = {
        name for namespace, name, route in all_routes() if not namespace and not route.startswith(ALLAUTH)
    }
    assert outside <= set(OUTSIDE_NAMESPACES), sorted(map(str, outside - set(OUTSIDE_NAMESPACES)))


def _pages_without_ids() -> list[str]:
    return [
        route
        for namespace, name, route in all_routes()
        if name and "<" not in route and "^" not in route and not route.startswith((ALLAUTH, "/i18n/"))
    ]


def test_the_scan_finds_pages_of_every_namespace() -> None:
    pages = _pages_without_ids()
    assert {"/registry/employees/", "/privacy/breaches/", "/portal/inbox/", "/reports/", "/audit/"} <= set(
        pages
    )
    assert len(pages) >= 40


NAME, B_FACT, C_FACT = "Canarisvogel", "KanarieB-herstelplan-zeldzaam", "KanarieC-diagnose-zeldzaam"

#: What each persona may not see on any page: outsiders A's employee at all; the D-only functions on
#: A's team no B or C fact; the casemanager no C fact; the employer's HR no B or C fact.
MAY_NOT_SEE = {
    "other_employer_hr": (NAME, B_FACT, C_FACT),
    "other_employee": (NAME, B_FACT, C_FACT),
    "other_team_casemanager": (NAME, B_FACT, C_FACT),
    "other_team_doctor": (NAME, B_FACT, C_FACT),
    "own_team_director": (B_FACT, C_FACT),
    "own_team_financieel": (B_FACT, C_FACT),
    "own_team_planner": (B_FACT, C_FACT),
    "own_team_secretariaat": (B_FACT, C_FACT),
    "own_team_casemanager": (C_FACT,),
    "own_employer_hr": (B_FACT, C_FACT),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", MAY_NOT_SEE)
def test_no_page_without_an_id_shows_what_the_persona_may_not_learn(  # type: ignore[no-untyped-def]
    who, employer_a, employer_b, employee_of_a
) -> None:
    employee_of_a.surname = NAME
    employee_of_a.save(update_fields=["surname"])
    doctor = f.UserFactory(username="dokter", kind=User.Kind.STAFF)
    f.give_function(doctor, StaffFunction.BEDRIJFSARTS)
    f.join_team(doctor, employer_a)
    care.assign_treating_doctor(employee_of_a, doctor, by=doctor)  # C needs the care relationship
    add_journal_entry(employee_of_a, category="B", text=B_FACT, by=doctor)
    add_journal_entry(employee_of_a, category="C", text=C_FACT, by=doctor)
    client = logged_in(persona(who, employer_a, employer_b))
    forbidden = (*MAY_NOT_SEE[who], *((employee_of_a.bsn,) if NAME in MAY_NOT_SEE[who] else ()))
    seen = 0
    for route in _pages_without_ids():
        for url in (route, f"{route}?employer={employer_a.pk}"):
            response = client.get(url)
            unready = route == "/readyz" and response.status_code == 503  # no worker in tests; no data
            assert response.status_code < 500 or unready, (who, url, response.status_code)
            body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
            text = body.decode(errors="replace")
            assert not [fact for fact in forbidden if fact in text], (who, url)
            seen += response.status_code == 200
    assert seen >= 3
