"""Demo: decisions waiting on the directeur and the medisch manager, so their home pages
(issue 18) show work: a requested change of the authorisation matrix, a requested function and
a request to change an employee's treating doctor. Idempotent: nothing is asked twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from arbo.access import care, care_requests
from arbo.access.domain import request_matrix_change
from arbo.access.matrix import Category
from arbo.access.models_care import CareRequest
from arbo.access.models_matrix import Level, MatrixChangeRequest
from arbo.identity.domain import request_function
from arbo.identity.models import FunctionAssignment, User
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Employee


def seed_work_demo(users: dict[str, User], out: Any) -> None:
    admin = users["anna.beheer"]
    if not MatrixChangeRequest.objects.filter(status=MatrixChangeRequest.Status.PENDING).exists():
        request_matrix_change(
            StaffFunction.PLANNER,
            Category.A,
            Level.READ,
            reason="Planners willen zien wie ziek is om spreekuren op tijd te plannen (demo).",
            by=admin,
        )
    if not FunctionAssignment.objects.filter(status=FunctionAssignment.Status.REQUESTED).exists():
        request_function(
            users["vera.vm"],
            StaffFunction.CASEMANAGER,
            starts_on=timezone.localdate() + dt.timedelta(days=7),
            reason="Vera neemt de casemanagement van de bakkerij over tijdens verlof (demo).",
            by=admin,
        )
    if not CareRequest.objects.filter(status=CareRequest.Status.REQUESTED).exists():
        doctor = users["bram.arts"]
        for employee in Employee.objects.filter(user__isnull=True).order_by("pk")[:20]:
            if care.treating_doctor_of(employee) != doctor and (
                care_requests.candidates_for(employee).filter(pk=doctor.pk).exists()
            ):
                care_requests.request_treating_doctor(
                    employee,
                    doctor,
                    reason="Vaste arts van dit team vanaf volgende maand (demo).",
                    by=users["mia.mm"],
                )
                break
    out.write("Demo: decisions waiting for the directeur and the medisch manager.\n")
