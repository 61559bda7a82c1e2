from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from arbo.access.auditing import record_access
from arbo.access.matrix import Action
from arbo.access.policy import require
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
    record_access(by, log.Action.CREATE, "journal.entry_added", employee, obj=entry, category=category)
    return entry
