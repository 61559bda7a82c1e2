"""Web pages where employer HR manages API clients: list, create (token shown once), revoke."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from arbo.api import domain
from arbo.api.models import ApiToken, hash_token
from arbo.audit.models import AuditEvent
from arbo.registry.models import EmployerMembership
from tests import factories as f
from tests.api.conftest import bearer

REAUTH_URL = "/accounts/reauthenticate/"
TOKEN_PATTERN = re.compile(r"arbo_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def reauthenticate(client, response):  # type: ignore[no-untyped-def]
    """Follow allauth's reauthentication redirect with the password; returns the resumed response."""
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH_URL)
    return client.post(response["Location"], {"password": f.TEST_PASSWORD})


def test_hr_user_sees_own_employers_clients_only(mfa_client, hr_wim, token_a, token_b):
    response = mfa_client(hr_wim).get(reverse("api:client_list"))

    assert response.status_code == 200
    page = text(response)
    assert "HR-systeem A" in page
    assert f"arbo_{token_a[0].prefix}_…" in page
    assert "HR-systeem B" not in page
    assert token_b[0].prefix not in page
    assert token_a[1] not in page


def test_create_shows_the_token_once_and_it_works(mfa_client, hr_wim, employer_a):
    client = mfa_client(hr_wim)
    url = reverse("api:client_create")

    response = reauthenticate(client, client.post(url, {"name": "AFAS", "employer": employer_a.pk}))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = text(response)
    shown = TOKEN_PATTERN.findall(page)
    assert len(set(shown)) == 1
    plaintext = shown[0]
    assert "Het wordt hierna niet meer getoond" in page
    token = ApiToken.objects.get(name="AFAS")
    assert token.token_hash == hash_token(plaintext)
    assert token.user.employer_memberships.get().employer == employer_a
    assert len(bearer(plaintext).get("/api/v1/employees/").json()["results"]) == 3

    listing = text(client.get(reverse("api:client_list")))
    assert "AFAS" in listing
    assert plaintext not in listing
    assert TOKEN_PATTERN.search(listing) is None


def test_create_requires_recent_password(mfa_client, hr_wim, employer_a):
    response = mfa_client(hr_wim).post(
        reverse("api:client_create"), {"name": "AFAS", "employer": employer_a.pk}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH_URL)
    assert not ApiToken.objects.exists()


def test_create_for_another_employer_is_refused(mfa_client, hr_wim, employer_b):
    client = mfa_client(hr_wim)

    response = reauthenticate(
        client, client.post(reverse("api:client_create"), {"name": "Sluiproute", "employer": employer_b.pk})
    )

    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert TOKEN_PATTERN.search(text(response)) is None
    assert response.context["form"].errors["employer"]


def test_revoke_after_reauthentication(mfa_client, hr_wim, token_a):
    token, plaintext = token_a
    client = mfa_client(hr_wim)

    first = client.post(reverse("api:client_revoke", args=[token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    response = reauthenticate(client, first)

    assert response.status_code == 302
    assert response["Location"] == reverse("api:client_list")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(plaintext).get("/api/v1/employees/").status_code == 401
    assert AuditEvent.objects.filter(event="api.token_revoked", actor=hr_wim).count() == 1
    listing = text(client.get(reverse("api:client_list")))
    assert "ingetrokken op" in listing


def test_revoke_is_post_only(mfa_client, hr_wim, token_a):
    response = mfa_client(hr_wim).get(reverse("api:client_revoke", args=[token_a[0].pk]))

    assert response.status_code == 405
    assert ApiToken.objects.get(pk=token_a[0].pk).revoked_at is None


def test_other_employers_hr_cannot_revoke(mfa_client, outsider_olaf, token_a):
    client = mfa_client(outsider_olaf)

    response = reauthenticate(client, client.post(reverse("api:client_revoke", args=[token_a[0].pk])))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token_a[0].pk).revoked_at is None


@pytest.mark.parametrize("persona", ["casemanager_carla", "employee_eva"])
def test_pages_are_404_for_non_employer_users(mfa_client, request, persona):
    response = mfa_client(request.getfixturevalue(persona)).get(reverse("api:client_list"))

    assert response.status_code == 404


def test_department_limited_hr_may_not_manage_clients(mfa_client, employer_a, hr_wim, token_a):
    department = f.DepartmentFactory(employer=employer_a)
    EmployerMembership.objects.get(user=hr_wim).departments.add(department)

    response = mfa_client(hr_wim).get(reverse("api:client_list"))

    assert response.status_code == 404


def test_manager_may_not_manage_clients(mfa_client, employer_a):
    manager = f.make_employer_user(employer_a, username="mia")
    EmployerMembership.objects.filter(user=manager).update(role=EmployerMembership.Role.MANAGER)

    response = mfa_client(manager).get(reverse("api:client_list"))

    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("api:client_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_domain_revoke_keeps_other_clients_working(employer_a, hr_wim):
    first, first_plain = domain.create_api_client(employer_a, name="Een", by=hr_wim)
    _, second_plain = domain.create_api_client(employer_a, name="Twee", by=hr_wim)

    domain.revoke_api_token(first, by=hr_wim)

    assert bearer(first_plain).get("/api/v1/employees/").status_code == 401
    assert bearer(second_plain).get("/api/v1/employees/").status_code == 200
