"""What the employee page shows about care relationships, decided in one place."""

from __future__ import annotations

from typing import Any

from arbo.access import care
from arbo.access.forms_care import ConsultForm
from arbo.access.matrix import Action, Category
from arbo.access.policy import can
from arbo.identity.models import User
from arbo.registry.models import Employee


def care_context(user: User, employee: Employee) -> dict[str, Any]:
    if user.kind != User.Kind.STAFF:
        return {}
    treating = care.treating_doctor_of(employee)
    context: dict[str, Any] = {"treating_doctor": treating, "show_care": True}
    if can(user, Action.CHANGE, Category.D, employee):
        context["doctor_choices"] = care.doctors()
    if treating == user:
        context["consult_form"] = ConsultForm()
    return context
