"""Who receives what the arbodienst releases about an employee: the names a confirmation step
shows before a release (issue 18). The same rule as :func:`arbo.access.policy.can_receive_release`."""

from __future__ import annotations

from arbo.access.policy import can_receive_release
from arbo.identity.models import User
from arbo.registry.models import Employee


def employer_recipients(employee: Employee) -> list[User]:
    """Active employer users who will be able to read a release about ``employee``."""
    candidates = (
        User.objects.filter(
            kind=User.Kind.EMPLOYER,
            is_active=True,
            employer_memberships__employer__employments__employee=employee,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    return [user for user in candidates if can_receive_release(user, employee)]


def describe(users: list[User]) -> str:
    return ", ".join(u.get_full_name() or u.username for u in users)
