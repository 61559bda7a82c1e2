from __future__ import annotations

from arbo.access.auditing import record_access
from arbo.access.matrix import Action
from arbo.access.policy import can, is_employee_user, is_staff_user, readable_categories
from arbo.access.subjects import Rows, collect
from arbo.audit import log
from arbo.identity.models import User
from arbo.journal.models import PERSONAL_DATA_CATEGORIES, JournalEntry
from arbo.lib.subject import SubjectRecord
from arbo.registry.models import Employee


def entries_for(user: User, employee: Employee) -> list[JournalEntry]:
    """The journal entries ``user`` may read, audited as one read per category shown.

    The journal is the arbodienst's working file: staff read it by category, the employee reads
    all of it (right of access), employer users never (they receive reports, not the file).
    """
    if not (is_staff_user(user) or is_employee_user(user)):
        return []
    categories = sorted(readable_categories(user, employee) & set(JournalEntry.Category.values))
    if not categories:
        return []
    entries = list(
        JournalEntry.objects.filter(employee=employee, category__in=categories).select_related("author")
    )
    if entries:
        record_access(
            user,
            log.Action.READ,
            "journal.entries_viewed",
            employee,
            category="".join(sorted({e.category for e in entries})),
            data={"count": len(entries)},
        )
    return entries


def writable_categories(user: User, employee: Employee) -> list[str]:
    """The journal categories ``user`` may write about ``employee`` (staff only)."""
    if not is_staff_user(user):
        return []
    return [c for c in JournalEntry.Category.values if can(user, Action.CHANGE, c, employee)]


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """Every journal entry of ``employee`` that ``reader`` may read (``None``: the person's own package)."""
    return collect(
        "journal",
        employee,
        reader,
        [
            Rows(
                JournalEntry.objects.filter(employee=employee).select_related("author"),
                row_category="category",
            )
        ],
        classification=PERSONAL_DATA_CATEGORIES,
    )
