"""Who may do what in the privacy office, on top of ``arbo.access.policy``.

The privacy officer (FG) runs the office: the breach register, complaints, the registers. The
matrix gives the FG no category (annex 2 has no row for the function): what the FG learns here is
what the office needs (who is affected by an incident, who complained), reached only through these
pages and audited. Any staff member may report an incident.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from arbo.access.policy import is_staff_user, staff_functions
from arbo.identity.roles import StaffFunction


def is_privacy_officer(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and is_staff_user(user)
        and StaffFunction.PRIVACY_OFFICER in staff_functions(user)
    )


def require_privacy_officer(user: Any) -> None:
    if not is_privacy_officer(user):
        raise Http404


def can_report_breach(user: Any) -> bool:
    """Every staff member with a function in force (and a declaration) may report an incident."""
    return getattr(user, "is_authenticated", False) and is_staff_user(user) and bool(staff_functions(user))
