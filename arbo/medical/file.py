"""What the employee page shows of the file beyond the registry: journal and medical notes.

Each part is fetched through its own access function, which checks the category and audits the
read; a part the user may not read is simply absent from the context (and from the page).
"""

from __future__ import annotations

from typing import Any

from arbo.access.matrix import Action, Category
from arbo.access.policy import can
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.journal.forms import JournalEntryForm
from arbo.journal.queries import entries_for
from arbo.journal.views import writable_categories
from arbo.medical.queries import notes_for
from arbo.medical.views import MedicalNoteForm
from arbo.registry.models import Employee


def file_context(request: AuthenticatedHttpRequest, employee: Employee) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {"journal": entries_for(user, employee, request=request)}
    writable = writable_categories(user, employee)
    if writable:
        context["journal_form"] = JournalEntryForm(categories=writable)
    if can(user, Action.READ, Category.C, employee):
        context["medical_notes"] = notes_for(user, employee, request=request)
        if can(user, Action.CHANGE, Category.C, employee):
            context["medical_form"] = MedicalNoteForm()
    return context
