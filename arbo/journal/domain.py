from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from arbo.access.matrix import Action
from arbo.access.policy import access_basis, require
from arbo.audit import log
from arbo.identity.models import User
from arbo.journal.models import JournalEntry
from arbo.registry.models import Employee


@transaction.atomic
def add_journal_entry(
    employee: Employee, *, category: str, text: str, by: User, request: HttpRequest | None = None
) -> JournalEntry:
    """Write a note of ``category`` on the employee's file (404 unless the author may change it)."""
    require(by, Action.CHANGE, category, employee)
    entry = JournalEntry.objects.create(employee=employee, category=category, text=text, author=by)
    log.record(
        by,
        log.Action.CREATE,
        "journal.entry_added",
        subject=employee,
        obj=entry,
        category=category,
        basis=access_basis(by, employee),
        request=request,
    )
    return entry
