"""The privacy officer's audit viewer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("audit:viewer")


@pytest.fixture
def officer() -> User:
    user = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.PRIVACY_OFFICER)
    return user


def test_filters_by_subject_bsn_emergency_and_denied(
    mfa_client, officer, casemanager_carla, employee_of_a, employee_of_b
) -> None:
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    log.record(
        casemanager_carla,
        log.Action.READ,
        "registry.employee_viewed",
        subject=employee_of_b,
        basis=log.Basis.EMERGENCY,
    )
    log.record(None, log.Action.LOGIN, "identity.login_failed", outcome=log.Outcome.DENIED)
    client = mfa_client(officer)

    by_bsn = client.get(URL, {"subject": employee_of_a.bsn}).content.decode()
    emergency = client.get(URL, {"emergency": "on"}).content.decode()
    denied = client.get(URL, {"denied": "on"}).content.decode()

    assert by_bsn.count("bekeek je persoonsgegevens") == 1
    assert f"<td>{employee_of_a.pk}</td>" in by_bsn
    assert f"<td>{employee_of_b.pk}</td>" in emergency
    assert f"<td>{employee_of_a.pk}</td>" not in emergency
    assert "identity.login_failed" in denied
    assert "bekeek je persoonsgegevens" not in denied


def test_only_the_privacy_officer_opens_it(mfa_client, casemanager_carla, admin_anna) -> None:
    assert mfa_client(casemanager_carla).get(URL).status_code == 404
    assert mfa_client(admin_anna).get(URL).status_code == 404
