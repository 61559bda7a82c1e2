"""A restricted person's prevention records cannot be changed or exported through any prevention
URL (issue 13).

The prevention URL scan's world (tests/prevention/test_every_url_is_scoped.py: a PMO and an
exposure record of A's employee, by the treating doctor) is reused. The person is restricted;
every URL of the ``prevention`` namespace that names the employee (read from the URLconf) is
requested with GET and POST by the treating doctor and A's HR user: no prevention row may change,
no export is handed out. The control: once lifted, the doctor's same POSTs change the register.
Applicants are not employees and have no restriction of their own here (their URLs are scanned
for scope by the prevention scan).
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from arbo.access.policy import is_restricted
from arbo.privacy.rights import domain as rights
from tests.prevention.test_every_url_is_scoped import _login, _post_data, _snapshot, world  # noqa: F401
from tests.privacy.test_restricted_urls import _is_export

pytestmark = pytest.mark.django_db


def _try_all(urls, clients) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    changed, exported = set(), set()
    before = _snapshot()
    for (name, url), client in itertools.product(urls, clients):
        if _is_export(client.get(url)):
            exported.add(name)
        with transaction.atomic():
            client.post(url, _post_data(name))
            if _snapshot() != before:
                changed.add(name)
            transaction.set_rollback(True)
    return changed, exported


def test_nothing_of_the_prevention_records_changes_or_leaves_while_restricted(  # type: ignore[no-untyped-def]
    world,  # noqa: F811
    employee_of_a,
    hr_wim,
    fg_piet,
) -> None:
    urls = [(name, url) for name, url in world.urls() if str(employee_of_a.pk) in url and "employee" in url]
    assert {"employee", "add_periodic_exam", "add_exposure"} <= {name for name, _u in urls}
    clients = [_login(world.doctor), _login(hr_wim)]
    rights.restrict(employee_of_a, by=fg_piet, reason="Betwist de juistheid van het blootstellingsregister.")
    assert is_restricted(employee_of_a)
    changed, exported = _try_all(urls, clients)
    assert sorted(changed) == []
    assert sorted(exported) == []

    rights.lift_restriction(employee_of_a, by=fg_piet)
    changed, _exported = _try_all(urls, clients)
    assert {"add_periodic_exam", "add_exposure"} <= changed  # usable again
