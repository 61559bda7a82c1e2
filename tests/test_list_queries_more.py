"""Issue 12: constant-query tests for the lists that had none (one object and three, the same count)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from arbo.access.models_care import EmergencyAccess
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


def test_the_login_attempts_cost_the_same_for_three(casemanager_carla, admin_anna, mfa_client) -> None:
    def refused() -> None:
        data = {"username": casemanager_carla.username}
        log.record(None, log.Action.LOGIN, "identity.login_failed", outcome=log.Outcome.DENIED, data=data)

    own_url = reverse("identity:my_login_attempts")
    admin_url = reverse("identity:user_login_attempts", args=[casemanager_carla.pk])
    refused()
    own_one, _ = _queries(mfa_client(casemanager_carla), own_url)
    admin_one, before = _queries(mfa_client(admin_anna), admin_url)
    refused()
    refused()
    admin_three, page = _queries(mfa_client(admin_anna), admin_url)
    own_three, _ = _queries(mfa_client(casemanager_carla), own_url)

    assert (own_three, admin_three) == (own_one, admin_one)
    assert page.count("verkeerd wachtwoord") == before.count("verkeerd wachtwoord") + 2


def test_the_emergency_review_costs_the_same_for_three_accesses(mfa_client, employee_of_a) -> None:
    officer = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(officer)

    def broke_the_glass(n: int) -> None:
        doctor = f.UserFactory(kind=User.Kind.STAFF, username=f"arts-{n}")
        EmergencyAccess.objects.create(
            user=doctor,
            employee=employee_of_a,
            reason=f"Spoed {n}",
            expires_at=timezone.now() + dt.timedelta(hours=3),
        )

    broke_the_glass(1)
    one, _ = _queries(client, reverse("care:emergency_review"))
    broke_the_glass(2)
    broke_the_glass(3)
    three, page = _queries(client, reverse("care:emergency_review"))

    assert three == one
    assert all(f"Spoed {n}" in page for n in (1, 2, 3))
