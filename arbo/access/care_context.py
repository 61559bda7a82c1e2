"""What the employee page shows about care relationships, decided in one place."""

from __future__ import annotations

from typing import Any

from arbo.access import care, care_requests
from arbo.access.forms_care import ConsultForm, TreatingDoctorRequestForm
from arbo.access.policy import is_staff_user
from arbo.access.scope import memo
from arbo.identity.models import User
from arbo.registry.models import Employee


def care_context(user: User, employee: Employee) -> dict[str, Any]:
    """Decided once per request (the file's summary and its overview tab both show it)."""
    return memo(("care_context", user.pk, employee.pk), lambda: _care_context(user, employee))


def _care_context(user: User, employee: Employee) -> dict[str, Any]:
    if not is_staff_user(user):
        return {}
    treating = care.treating_doctor_of(employee)
    context: dict[str, Any] = {"treating_doctor": treating, "show_care": True}
    context["open_care_request"] = care_requests.open_request_of(employee)
    if care_requests.may_request_treating_doctor(user, employee):
        context["care_request_form"] = TreatingDoctorRequestForm(employee=employee)
    if treating == user:
        context["consult_form"] = ConsultForm()
    return context
