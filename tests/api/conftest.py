"""API fixtures: an API client of employer A (created the way HR creates one) and HTTP clients."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from arbo.api import domain
from arbo.api.models import ApiToken
from tests import factories as f


@pytest.fixture
def token_a(hr_wim) -> tuple[ApiToken, str]:  # type: ignore[no-untyped-def]
    """Employer A's API client: ``(token, plaintext)``."""
    return domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR-systeem A", by=hr_wim
    )


@pytest.fixture
def token_b(outsider_olaf) -> tuple[ApiToken, str]:  # type: ignore[no-untyped-def]
    return domain.create_api_client(
        outsider_olaf.employer_memberships.get().employer, name="HR-systeem B", by=outsider_olaf
    )


def bearer(plaintext: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.fixture
def api_a(token_a) -> APIClient:  # type: ignore[no-untyped-def]
    return bearer(token_a[1])


@pytest.fixture
def api_b(token_b) -> APIClient:  # type: ignore[no-untyped-def]
    return bearer(token_b[1])


@pytest.fixture
def department_a(employer_a):  # type: ignore[no-untyped-def]
    return f.DepartmentFactory(employer=employer_a, name="Bakkerij")
