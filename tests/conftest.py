"""Shared fixtures and the persona cast every access test reuses.

The cast (each comment says what the persona may see):
- ``employer_a`` / ``employer_b``: two client employers, each with employees.
- ``casemanager_carla``: casemanager on employer A's team: A, B, D of A's employees; nothing of B's.
- ``doctor_bram``: bedrijfsarts on A's and B's teams: A–D of both.
- ``secretary_sara``: secretariaat on A's team: only D (names, addresses) of A's employees.
- ``hr_wim``: HR user of employer A: A and D of A's employees only.
- ``outsider_olaf``: HR user of employer B: nothing of A's employees.
- ``employee_eva``: an employee of A with a portal account: only herself.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.utils import translation

from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Throttling and TOTP replay protection live in the cache; tests must not share them.
    cache.clear()
    caches["progress"].clear()


@pytest.fixture(autouse=True)
def _dutch_first():  # type: ignore[no-untyped-def]
    # A request in English leaves English active in the thread; each test starts in Dutch.
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Each test its own register of destructions (arbo.retention.register), outside the database.
    settings.RETENTION_REGISTER_PATH = str(tmp_path / "destruction-register.jsonl")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: serve from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def employer_a(db):  # type: ignore[no-untyped-def]
    employer = f.EmployerFactory(name="Bakkerij Aalbers BV")
    f.ContractFactory(employer=employer)
    f.EmploymentFactory.create_batch(3, employer=employer)
    return employer


@pytest.fixture
def employer_b(db):  # type: ignore[no-untyped-def]
    employer = f.EmployerFactory(name="Bouwbedrijf Brinkman BV")
    f.ContractFactory(employer=employer)
    f.EmploymentFactory.create_batch(2, employer=employer)
    return employer


@pytest.fixture
def employee_of_a(employer_a):  # type: ignore[no-untyped-def]
    return employer_a.employments.first().employee


@pytest.fixture
def employee_of_b(employer_b):  # type: ignore[no-untyped-def]
    return employer_b.employments.first().employee


def _staff(function: str, *employers, username: str) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username=username, kind=User.Kind.STAFF)
    f.give_function(user, function)
    for employer in employers:
        f.join_team(user, employer)
    return user


@pytest.fixture
def casemanager_carla(employer_a) -> User:  # type: ignore[no-untyped-def]
    return _staff(StaffFunction.CASEMANAGER, employer_a, username="carla")


@pytest.fixture
def doctor_bram(employer_a, employer_b) -> User:  # type: ignore[no-untyped-def]
    return _staff(StaffFunction.BEDRIJFSARTS, employer_a, employer_b, username="bram")


@pytest.fixture
def secretary_sara(employer_a) -> User:  # type: ignore[no-untyped-def]
    return _staff(StaffFunction.SECRETARIAAT, employer_a, username="sara")


@pytest.fixture
def admin_anna(db) -> User:  # type: ignore[no-untyped-def]
    return _staff(StaffFunction.APPLICATIEBEHEERDER, username="anna")


@pytest.fixture
def hr_wim(employer_a) -> User:  # type: ignore[no-untyped-def]
    return f.make_employer_user(employer_a, username="wim")


@pytest.fixture
def outsider_olaf(employer_b) -> User:  # type: ignore[no-untyped-def]
    return f.make_employer_user(employer_b, username="olaf")


@pytest.fixture
def employee_eva(employee_of_a) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="eva", kind=User.Kind.EMPLOYEE)
    employee_of_a.user = user
    employee_of_a.save(update_fields=["user"])
    return user


@pytest.fixture
def mfa_client(client):  # type: ignore[no-untyped-def]
    """A test client factory: logs a user in with a TOTP authenticator already enrolled.

    Use for views; the login flow itself is tested in tests/identity through real HTTP.
    """

    def login(user: User):  # type: ignore[no-untyped-def]
        if not f.has_totp(user):
            f.enrol_totp(user)
        client.force_login(user)
        return client

    return login
