"""Fixtures of the medical tests: a treated employee, logged-in clients, consultations in the past.

``held_consultation`` and friends write rows directly (the domain refuses to plan in the past);
everything under test goes through the domain functions or HTTP.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from arbo.access import care
from arbo.identity.models import User
from arbo.medical import keys
from arbo.medical.models import Consultation
from arbo.registry.models import Employee
from tests import factories as f


def login(user: User) -> Client:
    """A fresh client of ``user`` with TOTP enrolled (one client per person in a scenario)."""
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def dangerously_create_consultation(
    employee: Employee,
    doctor: User,
    *,
    kind: str = Consultation.Kind.REGULAR,
    status: str = Consultation.Status.HELD,
    starts_at: dt.datetime | None = None,
    reason: str = "",
) -> Consultation:
    """A consultation row as if planned and held earlier (bypasses the planning rules)."""
    starts_at = starts_at or timezone.now() - dt.timedelta(days=1)
    return Consultation.objects.create(
        employee=employee,
        doctor=doctor,
        kind=kind,
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=30),
        reason_encrypted=keys.seal(employee, reason),
        planned_by=doctor,
        status_changed_at=starts_at + dt.timedelta(minutes=30)
        if status != Consultation.Status.PLANNED
        else None,
    )


@pytest.fixture
def treated(doctor_bram, employee_of_a) -> Employee:  # type: ignore[no-untyped-def]
    """Employee of A whose treating doctor is Bram."""
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    return employee_of_a


@pytest.fixture
def treated_b(doctor_bram, employee_of_b) -> Employee:  # type: ignore[no-untyped-def]
    care.assign_treating_doctor(employee_of_b, doctor_bram, by=doctor_bram)
    return employee_of_b


@pytest.fixture
def planner_piet(employer_a) -> User:  # type: ignore[no-untyped-def]
    """A planner on A's team: category D only."""
    from arbo.identity.roles import StaffFunction

    user = f.UserFactory(username="piet-planner", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.PLANNER)
    f.join_team(user, employer_a)
    return user
