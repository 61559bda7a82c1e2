"""A restricted person's absence file cannot be changed or exported through any absence URL (issue 13).

The absence URL scan's world (tests/absence/test_every_url_is_scoped.py: a case with a sick
period, a recovery, milestones and a plan van aanpak) is reused. The person is restricted; every
URL of the ``absence`` namespace with an id (read from the URLconf) is requested with GET and
POST by the case's HR user, casemanager and treating doctor: no row of the absence tables may
change and no export (PDF, download) is handed out. The control: once lifted, the same POSTs
change the file again, so "unchanged" above means refused.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction

from arbo.access.policy import is_restricted
from arbo.privacy.rights import domain as rights
from tests.absence.test_every_url_is_scoped import NEVER_OPEN, world  # noqa: F401 - the fixture
from tests.privacy.test_restricted_urls import _is_export
from tests.url_scan import logged_in, named_id_routes

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model._meta.label: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._default_manager.order_by("pk").values_list()
        ]
        for model in apps.get_app_config("absence").get_models()
    }


def _urls(ids: dict[str, int]) -> list[tuple[str, str]]:
    return [
        (name, re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), route))
        for name, route in named_id_routes("absence")
        if name not in NEVER_OPEN and not name.startswith("mine_")
    ]


def _post_data(ids: dict[str, int], user_pk: int) -> dict[str, str]:
    return {
        "first_sick_day": "2025-03-03",
        "expected_duration": "week",
        "kind": "full",
        "recovered_on": "2025-03-03",
        "done_on": "2025-03-03",
        "due_on": "2025-03-20",
        "reason": "Een reden van voldoende lengte",
        "report_type": "sick_period",
        "report_id": str(ids["period_id"]),
        "casemanager": str(user_pk),
        "version": "1",
        "doel": "Overgenomen",
        "confirmed": "1",
    }


def _try_all(urls, clients, ids) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """The names of the URLs whose POST changed a row, and those whose GET handed out an export."""
    changed, exported = set(), set()
    before = _snapshot()
    for (name, url), (user, client) in itertools.product(urls, clients):
        if _is_export(client.get(url)):
            exported.add(name)
        with transaction.atomic():
            client.post(url, _post_data(ids, user.pk))
            if _snapshot() != before:
                changed.add(name)
            transaction.set_rollback(True)
    return changed, exported


def test_nothing_of_the_absence_file_changes_or_leaves_while_restricted(  # type: ignore[no-untyped-def]
    world,  # noqa: F811
    employee_of_a,
    hr_wim,
    casemanager_carla,
    doctor_bram,
    fg_piet,
) -> None:
    urls = _urls(world)
    assert len(urls) >= 20
    assert {"report_sick", "case_detail", "document_detail", "uwv_sheet_pdf"} <= {n for n, _u in urls}
    clients = [(u, logged_in(u)) for u in (hr_wim, casemanager_carla, doctor_bram)]
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, tzinfo=dt.UTC), tick=False):
        rights.restrict(employee_of_a, by=fg_piet, reason="Betwist de juistheid van het verzuimdossier.")
        assert is_restricted(employee_of_a)
        changed, exported = _try_all(urls, clients, world)
        assert sorted(changed) == []
        assert sorted(exported) == []

        rights.lift_restriction(employee_of_a, by=fg_piet)
        changed, exported = _try_all(urls, clients, world)
    # Usable again: the same requests change the file and hand out its documents.
    assert len(changed) >= 5, changed
    assert exported, exported
