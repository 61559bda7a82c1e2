"""What the employee page shows of the file beyond the registry: journal and the medical app.

Each part is fetched through its own access function, which checks the category and audits the
read; a part the user may not read is simply absent from the context (and from the page):

- staff who read category B (regular consultations) or C of the employee: the appointments (never
  a reason); links to plan one (the planner too) and to file a letter when allowed;
- staff who read category B: released advice and the current FML;
- those with category C: the medical notes (and a link to the whole medical file);
- employer users: only what was released to them (advice, no-show notices, regular appointments);
- the employee: their notes and a link to their own page.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from arbo.access.care import is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_file_medical_correspondence,
    can_receive_release,
    is_employer_user,
    is_staff_user,
)
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.journal.forms import JournalEntryForm
from arbo.journal.queries import entries_for, writable_categories
from arbo.medical import queries
from arbo.medical.advice import queries as advice_queries
from arbo.medical.consultations import queries as consultation_queries
from arbo.medical.forms import MedicalNoteForm
from arbo.medical.models import Consultation
from arbo.medical.policies import may_plan, may_read_medical, may_treat
from arbo.medical.records import queries as record_queries
from arbo.registry.models import Employee

#: How many appointments the employee page lists (the agenda and the medical file have all).
APPOINTMENTS_SHOWN = 10


def _appointments(
    request: AuthenticatedHttpRequest, employee: Employee
) -> list[consultation_queries.Appointment]:
    consultations = list(
        consultation_queries.consultations_visible_to(request.user)
        .filter(employee=employee)
        .exclude(status=Consultation.Status.CANCELLED)
        .order_by("-starts_at")[:APPOINTMENTS_SHOWN]
    )
    if consultations:
        consultation_queries.record_appointments_read(request.user, employee, consultations)
    medical = may_read_medical(request.user, employee)
    return [consultation_queries.appointment(c, reveal_kind=medical) for c in consultations]


def _staff_context(request: AuthenticatedHttpRequest, employee: Employee) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {}
    # That the employee sees the doctor is B or C: readers of D only (the planner too) get no list.
    if can(user, Action.READ, Category.B, employee) or may_read_medical(user, employee):
        context["medical_appointments"] = _appointments(request, employee)
    context["medical_can_plan"] = may_plan(user, employee)
    context["medical_can_file_letter"] = can_file_medical_correspondence(user, employee)
    # Issue 18: a consultation that already happened (a phone call) is recorded afterwards.
    context["medical_can_record_past"] = is_doctor(user) and may_treat(user, employee)
    if can(user, Action.READ, Category.B, employee):
        context["medical_advice"] = advice_queries.staff_advice_for(user, employee)
        fml = record_queries.fml_for(user, employee)
        context["medical_fml"] = fml[0] if fml else None
    return context


def file_context(request: AuthenticatedHttpRequest, employee: Employee) -> dict[str, Any]:
    return {**journal_context(request.user, employee), **medical_context(request, employee)}


def journal_context(user: User, employee: Employee) -> dict[str, Any]:
    """The journal entries ``user`` may read (audited by the journal's gateway) and its form."""
    context: dict[str, Any] = {"journal": entries_for(user, employee)}
    writable = writable_categories(user, employee)
    if writable:
        context["journal_form"] = JournalEntryForm(categories=writable)
    return context


def medical_context(request: AuthenticatedHttpRequest, employee: Employee) -> dict[str, Any]:
    """What the employee file's medical tab shows (issue 18): each part through its gateway; a part
    the user may not read is absent. Empty when the user may see nothing of the medical file."""
    user = request.user
    context: dict[str, Any] = {}
    if is_staff_user(user):
        context.update(_staff_context(request, employee))
    if is_employer_user(user) and can_receive_release(user, employee):
        context["medical_release"] = advice_queries.released_for_employer(user, employee)
    if may_read_medical(user, employee):
        context["medical_notes"] = queries.notes_for(user, employee)
        context["medical_file_link"] = is_staff_user(user)
        if may_treat(user, employee):
            context["medical_form"] = MedicalNoteForm(
                consultations=list(
                    Consultation.objects.filter(employee=employee, starts_at__lte=timezone.now())
                    .exclude(status=Consultation.Status.CANCELLED)
                    .order_by("-starts_at")[:10]
                )
            )
    return context
