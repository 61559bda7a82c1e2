"""API tokens: shown once, stored hashed, revocable; bearer authentication over real HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from arbo.api import domain
from arbo.api.models import ApiToken
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.registry.models import EmployerMembership
from tests.api.conftest import bearer

LIST_URL = "/api/v1/employees/"


def _raw_rows(model) -> str:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - table name from the model
        return repr(cursor.fetchall())


def test_create_api_client_returns_plaintext_once_and_stores_only_its_hash(employer_a, hr_wim):
    token, plaintext = domain.create_api_client(employer_a, name="Nmbrs", by=hr_wim)

    assert re.fullmatch(r"arbo_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", plaintext)
    assert plaintext.split("_")[1] == token.prefix
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    secret = plaintext.removeprefix(f"arbo_{token.prefix}_")
    for model in (ApiToken, User, AuditEvent, EmployerMembership):
        raw = _raw_rows(model)
        assert plaintext not in raw
        assert secret not in raw
    assert not hasattr(stored, "plaintext")


def test_api_client_is_a_passwordless_user_with_hr_membership_of_one_employer(employer_a, hr_wim):
    token, _ = domain.create_api_client(employer_a, name="Nmbrs", by=hr_wim)

    client_user = token.user
    assert client_user.kind == User.Kind.API_CLIENT
    assert client_user.username == f"api-{token.prefix}"
    assert client_user.has_usable_password() is False
    memberships = list(client_user.employer_memberships.values_list("employer_id", "role"))
    assert memberships == [(employer_a.pk, EmployerMembership.Role.HR)]
    assert token.created_by == hr_wim


def test_creating_a_client_is_audited(employer_a, hr_wim):
    token, _ = domain.create_api_client(employer_a, name="Nmbrs", by=hr_wim)

    event = AuditEvent.objects.get(event="api.client_created")
    assert event.actor == hr_wim
    assert event.action == AuditEvent.Action.CREATE
    assert event.object_type == "api.apitoken"
    assert event.object_id == str(token.pk)
    assert event.data == {"employer": employer_a.pk, "prefix": token.prefix, "client_user": token.user_id}


def test_valid_token_authenticates_as_the_api_client(api_a, token_a):
    response = api_a.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    token = ApiToken.objects.get(pk=token_a[0].pk)
    assert token.last_used_at is not None


def test_no_token_is_401_with_bearer_challenge(employer_a):
    response = APIClient().get(LIST_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "Authenticatiegegevens zijn niet opgegeven."}


def test_unknown_token_is_401(token_a):
    _, plaintext = token_a
    response = bearer(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")).get(LIST_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Ongeldig token."}


def test_malformed_authorization_header_is_401(token_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_a[1]} extra")

    response = client.get(LIST_URL)

    assert response.status_code == 401
    assert "Bearer <token>" in response.json()["detail"]


def test_revoked_token_is_401_and_its_user_blocked(api_a, token_a, hr_wim):
    token, _ = token_a
    assert api_a.get(LIST_URL).status_code == 200

    assert domain.revoke_api_token(token, by=hr_wim) is True

    response = api_a.get(LIST_URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Dit token is ingetrokken."}
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.user.is_active is False
    assert (
        AuditEvent.objects.filter(event="api.token_revoked", actor=hr_wim, object_id=str(token.pk)).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(event="identity.user_deactivated", data__user_id=token.user_id).count() == 1
    )


def test_revoking_twice_changes_nothing_the_second_time(token_a, hr_wim):
    token, _ = token_a
    domain.revoke_api_token(token, by=hr_wim)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    assert domain.revoke_api_token(token, by=hr_wim) is False

    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(event="api.token_revoked").count() == 1


def test_blocked_api_user_is_401_even_with_unrevoked_token(api_a, token_a):
    User.objects.filter(pk=token_a[0].user_id).update(is_active=False)

    response = api_a.get(LIST_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Deze API-koppeling is geblokkeerd."}


def test_last_used_at_is_written_at_most_once_a_minute(api_a, token_a):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api_a.get(LIST_URL)
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        api_a.get(LIST_URL)
    assert ApiToken.objects.get(pk=token_a[0].pk).last_used_at == start

    later = start + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        api_a.get(LIST_URL)
    assert ApiToken.objects.get(pk=token_a[0].pk).last_used_at == later


@pytest.mark.parametrize("persona", ["hr_wim", "casemanager_carla"])
def test_web_session_does_not_open_the_api(persona, request, employer_a, mfa_client):
    client = mfa_client(request.getfixturevalue(persona))

    response = client.get(reverse("api:employee_list"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Authenticatiegegevens zijn niet opgegeven."}
