"""A reporting book: an employer with departments, employments and sick periods (made directly:
the reporting app only reads them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from arbo.absence.models import AbsenceCase, Channel, RecoveryReport, SickPeriod
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f


def add_spell(employee, employer, first, last=None, *, by, partial=None, pregnancy=False):  # type: ignore[no-untyped-def]
    case = AbsenceCase.objects.create(
        employee=employee,
        employer=employer,
        first_sick_day=first,
        status=AbsenceCase.Status.OPEN if last is None else AbsenceCase.Status.RECOVERED,
    )
    SickPeriod.objects.create(
        case=case,
        first_sick_day=first,
        last_sick_day=last,
        reported_by=by,
        reported_via=Channel.STAFF,
        safety_net=pregnancy,
        safety_net_kind=SickPeriod.SafetyNet.PREGNANCY if pregnancy else "",
    )
    if partial:
        day, percentage = partial
        RecoveryReport.objects.create(
            case=case,
            kind=RecoveryReport.Kind.PARTIAL,
            recovered_on=day,
            percentage=percentage,
            reported_by=by,
            reported_via=Channel.STAFF,
        )
    return case


def make_book(sizes: dict[str, int], *, name: str = "Zuivelfabriek Zwolle BV", sick_every: int = 4):  # type: ignore[no-untyped-def]
    """An employer with departments of the given sizes; every ``sick_every``-th employee was sick
    ten days in March 2025 and every one employed since 2023."""
    employer = f.EmployerFactory(name=name)
    reporter = f.UserFactory(kind=User.Kind.STAFF)
    n = 0
    for department_name, size in sizes.items():
        department = f.DepartmentFactory(employer=employer, name=department_name) if department_name else None
        for _ in range(size):
            employment = f.EmploymentFactory(
                employer=employer,
                department=department,
                starts_on=dt.date(2023, 1, 1),
                hours_per_week=Decimal(38),
            )
            if n % sick_every == 0:
                add_spell(
                    employment.employee, employer, dt.date(2025, 3, 3), dt.date(2025, 3, 12), by=reporter
                )
            n += 1
    return employer


@pytest.fixture
def book(db):  # type: ignore[no-untyped-def]
    return make_book({"Productie": 14, "Logistiek": 12, "Kantoor": 11})


@pytest.fixture
def hr(book):  # type: ignore[no-untyped-def]
    return f.make_employer_user(book, username="hr-zuivel")


@pytest.fixture
def director(db):  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="dirk", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.DIRECTEUR)
    return user
