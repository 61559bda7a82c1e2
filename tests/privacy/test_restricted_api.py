"""A restricted person's data cannot be read, changed or exported through any API endpoint (issue 13).

Every route of the ``api`` namespace is read from the URLconf; routes with the person's id or a
case of theirs get those ids. Each is called with GET, POST, PUT, PATCH and DELETE (a body that
would report the person sick, report recovery or change their name) by the employer's API client.
While the person is restricted no row of the registry or absence tables may change and no answer
names the person. The control: once lifted, the same calls find and change the person again.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction

from arbo.absence.reports import domain as report_domain
from arbo.access.policy import is_restricted
from arbo.privacy.rights import domain as rights
from tests.api.conftest import api_a, token_a  # noqa: F401 - the fixtures
from tests.url_scan import all_routes

pytestmark = pytest.mark.django_db

#: API routes whose id is no one's personal data (the employer's own API clients).
NOT_ABOUT_A_PERSON = {"client_revoke"}
METHODS = ("get", "post", "put", "patch", "delete")


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for app in ("registry", "absence")
        for model in apps.get_app_config(app).get_models()
    }


def _routes(ids: dict[str, int]) -> list[tuple[str, str]]:
    found = []
    for namespace, name, route in all_routes():
        if namespace != "api" or name in NOT_ABOUT_A_PERSON:
            continue
        params = re.findall(r"<int:(\w+)>", route)
        assert all(p in ids for p in params), (name, route)
        found.append((str(name), re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), route)))
    return found


def _body(employee: Any) -> dict[str, Any]:
    return {
        "employee": employee.pk,
        "first_sick_day": "2025-03-03",
        "expected_duration": "weeks",
        "kind": "full",
        "recovered_on": "2025-03-04",
        "surname": "Gewijzigd",
        "first_names": "Nieuw",
    }


def _call_all(api, routes, employee) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """(routes whose call changed a row, routes whose answer named the person)."""
    changed, named = set(), set()
    for name, url in routes:
        for method in METHODS:
            with transaction.atomic():  # each call on the same data
                before = _snapshot()
                if method == "get":  # a GET's data would be query parameters (refused: 400)
                    response = api.get(url)
                else:
                    response = getattr(api, method)(url, _body(employee), format="json")
                if _snapshot() != before:
                    changed.add(f"{method} {name}")
                transaction.set_rollback(True)
            text = response.content.decode(errors="replace")
            # The person's name, or their id where it means the person: "id" in /employees/, "employee"
            # in an absence. (A bare "id" elsewhere is another table's; on PostgreSQL they differ.)
            own_key = "id" if "/employees/" in url else "employee"
            mentions_id = re.search(rf'"{own_key}":{employee.pk}[,}}]', text) is not None
            if response.status_code < 300 and (employee.surname in text or mentions_id):
                named.add(f"{method} {name}")
    return changed, named


def test_the_api_neither_shows_nor_changes_a_restricted_person(  # type: ignore[no-untyped-def]
    api_a,  # noqa: F811
    token_a,  # noqa: F811
    employee_of_a,
    hr_wim,
    fg_piet,
) -> None:
    with time_machine.travel(dt.datetime(2025, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        period = report_domain.report_sick(
            employee_of_a, by=hr_wim, via="portal", first_sick_day=dt.date(2025, 2, 3)
        )
        routes = _routes({"employee_id": employee_of_a.pk, "case_id": period.case_id})
        assert {"employee_list", "employee_detail", "absence_list", "absence_detail", "absence_recovery"} <= {
            n for n, _u in routes
        }
        rights.restrict(employee_of_a, by=fg_piet, reason="Betwist de juistheid van de gegevens.")
        assert is_restricted(employee_of_a)
        changed, named = _call_all(api_a, routes, employee_of_a)
        assert sorted(changed) == []
        assert sorted(named) == []

        rights.lift_restriction(employee_of_a, by=fg_piet)
        changed, named = _call_all(api_a, routes, employee_of_a)
    # Usable again: the person is listed and shown, and can be changed and reported on.
    assert {"get employee_list", "get employee_detail", "get absence_detail"} <= named
    assert {"patch employee_detail", "post absence_recovery"} <= changed
