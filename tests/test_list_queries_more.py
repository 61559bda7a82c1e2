"""Issue 12: constant-query tests for the lists that had none (one object and three, the same count)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from arbo.api import domain as api_domain
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.get(url)  # the session's first request writes what later ones do not
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_employer_list_costs_the_same_for_three_employers(casemanager_carla, mfa_client) -> None:
    client = mfa_client(casemanager_carla)
    one, _ = _queries(client, reverse("registry:employer_list"))
    for name in ("Bakkerij Drie BV", "Bouw Vier BV"):
        f.join_team(casemanager_carla, f.EmployerFactory(name=name))
    three, page = _queries(client, reverse("registry:employer_list"))

    assert three == one
    assert "Bakkerij Drie BV" in page
    assert "Bouw Vier BV" in page


def test_the_audit_viewer_costs_the_same_for_three_more_actors(mfa_client, employee_of_a) -> None:
    officer = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(officer)
    readers = [f.UserFactory(kind=User.Kind.STAFF, username="lezer-1")]
    log.record(readers[0], log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    one, _ = _queries(client, reverse("audit:viewer"))
    for n in (2, 3, 4):
        readers.append(f.UserFactory(kind=User.Kind.STAFF, username=f"lezer-{n}"))
        log.record(readers[-1], log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    three, page = _queries(client, reverse("audit:viewer"))

    assert three == one
    assert all(escape(str(reader)) in page for reader in readers)


def test_the_api_client_list_costs_the_same_for_three_clients(employer_a, hr_wim, mfa_client) -> None:
    client = mfa_client(hr_wim)
    api_domain.create_api_client(employer_a, name="Systeem 1", by=hr_wim)
    one, _ = _queries(client, reverse("api:client_list"))
    for n in (2, 3):
        api_domain.create_api_client(employer_a, name=f"Systeem {n}", by=hr_wim)
    three, page = _queries(client, reverse("api:client_list"))

    assert three == one
    assert "Systeem 3" in page
