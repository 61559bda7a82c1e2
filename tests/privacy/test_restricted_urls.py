"""A restricted person's data cannot be changed, exported or disclosed through any URL (issue 13).

The medical URL scan's world (tests/medical/test_every_url_is_scoped.py: a treated employee with
something behind every kind of id) is reused; its control test shows that the same POSTs by the
treating doctor change the file. Here the person is restricted first: every POST of the medical,
registry, journal and care URLs with an id (read from the URLconf) by the treating doctor, the
team's casemanager and the employer's HR user changes no row of those apps, and no export (PDF,
calendar file, download) is handed out; after the restriction is lifted the doctor writes again.
The person's own pages (``mine_*``) are left out: the restriction binds the arbodienst, not the
person's own right to respond.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction

from arbo.access.policy import is_restricted
from arbo.identity.roles import StaffFunction
from arbo.privacy.rights import domain as rights
from tests import factories as f
from tests.medical.conftest import login
from tests.medical.test_every_url_is_scoped import ASKED_AT, _post_data, world  # noqa: F401 - the fixture
from tests.url_scan import named_id_routes

pytestmark = pytest.mark.django_db

NAMESPACES = ("medical", "registry", "journal", "care")
TABLES = ("medical", "registry", "journal", "absence", "prevention")
EXPORT_TYPES = ("application/pdf", "text/calendar", "text/csv", "application/vnd", "application/octet")


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model._meta.label: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._default_manager.order_by("pk").values_list()
        ]
        for app in TABLES
        for model in apps.get_app_config(app).get_models()
    }


def _urls(ids: dict[str, list[int]]) -> list[tuple[str, str]]:
    found = []
    for namespace in NAMESPACES:
        for name, route in named_id_routes(namespace):
            if name.startswith("mine_"):
                continue
            params = re.findall(r"<int:(\w+)>", route)
            if not all(p in ids for p in params):
                continue
            for values in itertools.product(*(ids[p] for p in params)):
                chosen = dict(zip(params, values, strict=True))
                found.append((name, re.sub(r"<int:(\w+)>", lambda m, c=chosen: str(c[m.group(1)]), route)))  # type: ignore[misc]
    return found


def _is_export(response: Any) -> bool:
    kind = response.get("Content-Type", "")
    return response.status_code == 200 and (
        kind.startswith(EXPORT_TYPES) or "attachment" in response.get("Content-Disposition", "")
    )


def test_nothing_changes_and_nothing_leaves_while_restricted(world, employer_a, hr_wim) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    employee_id = world.ids["employee_id"][0]
    fg = f.UserFactory(username="fg", kind="staff")
    f.give_function(fg, StaffFunction.PRIVACY_OFFICER)
    casemanager = f.UserFactory(username="cm", kind="staff")
    f.give_function(casemanager, StaffFunction.CASEMANAGER)
    f.join_team(casemanager, employer_a)
    from arbo.registry.models import Employee

    employee = Employee.objects.get(pk=employee_id)
    # A consultation slot is the doctor's agenda, not the person's data.
    urls = _urls({k: v for k, v in world.ids.items() if k != "slot_id"})
    assert len(urls) >= 25
    with time_machine.travel(ASKED_AT, tick=False):
        rights.restrict(employee, by=fg, reason="Betwist de juistheid van het dossier.")
        assert is_restricted(employee)
        clients = [login(world.doctor), login(casemanager), login(hr_wim)]
        before = _snapshot()
        changed, exported = [], []
        for (name, url), client in itertools.product(urls, clients):
            if _is_export(client.get(url)):
                exported.append((name, url))
            with transaction.atomic():
                client.post(url, _post_data(name, world))
                if _snapshot() != before:
                    changed.append((name, url))
                transaction.set_rollback(True)
        assert changed == []
        assert sorted({n for n, _u in exported}) == []

        rights.lift_restriction(employee, by=fg)
        doctor = login(world.doctor)
        response = doctor.post(
            f"/medical/employees/{employee_id}/notes/",
            {"kind": "anamnese", "body": "Na opheffing weer schrijven."},
        )
        assert response.status_code in (200, 302)
        assert employee.medical_notes.count() > len(before["medical.MedicalNote"])
