from __future__ import annotations

import pytest

from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f


@pytest.fixture
def fg_piet(db) -> User:  # type: ignore[no-untyped-def]
    """The privacy officer (FG): no team, no category in the matrix."""
    user = f.UserFactory(username="piet", kind=User.Kind.STAFF, email="piet@example.org")
    f.give_function(user, StaffFunction.PRIVACY_OFFICER)
    return user


@pytest.fixture
def portal_employees(employer_a):  # type: ignore[no-untyped-def]
    """Every employee of employer A with a portal account."""
    people = []
    for i, employment in enumerate(employer_a.employments.select_related("employee")):
        employee = employment.employee
        employee.user = f.UserFactory(username=f"werknemer{i}", kind=User.Kind.EMPLOYEE)
        employee.save(update_fields=["user"])
        people.append(employee)
    return people
