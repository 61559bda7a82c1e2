from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from arbo.access.matrix import Action, Category
from arbo.access.policy import access_basis, require
from arbo.audit import log
from arbo.identity.models import User
from arbo.medical import keys
from arbo.medical.models import MedicalNote
from arbo.registry.models import Employee


@transaction.atomic
def add_medical_note(
    employee: Employee, *, kind: str, body: str, by: User, request: HttpRequest | None = None
) -> MedicalNote:
    """Write an encrypted note in the medical file (404 unless ``by`` may change category C here)."""
    require(by, Action.CHANGE, Category.C, employee)
    note = MedicalNote.objects.create(
        employee=employee, kind=kind, body_encrypted=keys.encrypt_for(employee, body), author=by
    )
    log.record(
        by,
        log.Action.CREATE,
        "medical.note_added",
        subject=employee,
        obj=note,
        category=Category.C,
        basis=access_basis(by, employee),
        request=request,
    )
    return note
