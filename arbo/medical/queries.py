"""The only way to read category C: checks the treatment relationship and audits the read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest

from arbo.access.matrix import Action, Category
from arbo.access.policy import access_basis, can
from arbo.audit import log
from arbo.identity.models import User
from arbo.medical import keys
from arbo.medical.models import MedicalNote
from arbo.registry.models import Employee


@dataclass(frozen=True)
class ReadableNote:
    kind: str
    body: str
    author: str
    created_at: datetime


def notes_for(user: User, employee: Employee, *, request: HttpRequest | None = None) -> list[ReadableNote]:
    """Decrypted medical notes, or :class:`Http404` when ``user`` may not read category C here."""
    if not can(user, Action.READ, Category.C, employee):
        raise Http404
    notes = list(MedicalNote.objects.filter(employee=employee).select_related("author"))
    log.record(
        user,
        log.Action.READ,
        "medical.notes_viewed",
        subject=employee,
        category=Category.C,
        basis=access_basis(user, employee),
        request=request,
        data={"count": len(notes)},
    )
    result = []
    for note in notes:
        try:
            body = keys.decrypt_for(employee, note.body_encrypted)
        except keys.MedicalDataUnavailable:
            body = ""
        result.append(ReadableNote(note.get_kind_display(), body, str(note.author), note.created_at))
    return result
