"""The doctor's medical file: notes, letters, information requests, the FML.

Thin views: fetch the employee through visibility (404), check through :mod:`arbo.medical.policies`,
bind a form, call one domain function, redirect. Agenda and consultations are in
``consultations.views``, advice and what employer and employee receive in ``advice.views``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import policy
from arbo.access.policy import can_file_medical_correspondence, employees_visible_to, require_unrestricted
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib import confirm
from arbo.lib.errors import DomainError
from arbo.medical import domain, queries
from arbo.medical.consultations import queries as consultation_queries
from arbo.medical.forms import (
    AnswerForm,
    FmlForm,
    IncomingDocumentForm,
    InformationConsentForm,
    InformationRequestForm,
    MedicalNoteForm,
    PaperDestroyedForm,
)
from arbo.medical.policies import may_plan, may_read_medical, may_treat, may_write_fml
from arbo.medical.records import confirmations
from arbo.medical.records import domain as records
from arbo.medical.records import queries as record_queries
from arbo.privacy.rights import queries as rights_queries

if TYPE_CHECKING:  # type hints only: the employee is read through the visibility queryset
    from arbo.registry.models import Employee

__all__ = ["MedicalNoteForm"]  # file.py and older callers import the form from here


def _employee(request: AuthenticatedHttpRequest, employee_id: int) -> Employee:
    return get_object_or_404(employees_visible_to(request.user), pk=employee_id)


def _file_url(employee: Employee) -> str:
    return reverse("medical:file", args=[employee.pk])


@login_required
def medical_file(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """Everything of the medical file, for staff who read category C of this employee.

    Not for the employee: it holds drafts (advice not yet released); the employee reads their
    notes on their own page and what was released to them under ``medical:mine``.
    """
    employee = _employee(request, employee_id)
    if not policy.is_staff_user(request.user) or not may_read_medical(request.user, employee):
        raise Http404
    file = queries.medical_file_for(request.user, employee)
    writable = may_treat(request.user, employee)
    # WGBO 7:454: the person's own statement stands next to the judgement they contest.
    statements = rights_queries.own_statements(request.user, employee)
    noted = {note.key for note in file.notes}
    context = {
        "employee": employee,
        "file": file,
        "notes": [(note, statements.get(note.key, [])) for note in file.notes],
        "other_statements": [s for key, rows in statements.items() if key not in noted for s in rows],
        "can_write": writable,
        "can_plan": may_plan(request.user, employee),
        "can_write_fml": may_write_fml(request.user, employee),
        "note_form": MedicalNoteForm(consultations=consultation_queries.note_consultations(employee))
        if writable
        else None,
        "consent_form": InformationConsentForm(initial={"given_by": employee.full_name})
        if writable
        else None,
        "request_form": InformationRequestForm() if writable else None,
        "answer_form": AnswerForm() if writable else None,
    }
    return render(request, "medical/file.html", context)


@login_required
@require_POST
def add_note(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    if not may_treat(request.user, employee):
        raise Http404
    form = MedicalNoteForm(request.POST, consultations=consultation_queries.note_consultations(employee))
    if not form.is_valid():
        messages.error(
            request, _("De medische notitie is niet opgeslagen: kies een soort en schrijf een tekst.")
        )
        return _back(request, employee)
    consultation = None
    if form.cleaned_data["consultation"]:
        consultation = consultation_queries.consultation_of(employee, form.cleaned_data["consultation"])
    try:
        domain.add_medical_note(
            employee,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            cas_code=form.cleaned_data["cas_code"],
            icd10_code=form.cleaned_data["icd10_code"],
            consultation=consultation,
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De medische notitie is opgeslagen."))
    return _back(request, employee)


def _back(request: AuthenticatedHttpRequest, employee: Employee) -> HttpResponse:
    """Back to the medical file page or the employee file's medical tab, wherever the form was."""
    return redirect(
        _file_url(employee)
        if request.POST.get("next") == "file"
        else reverse("registry:employee_medical", args=[employee.pk])
    )


# --- Incoming correspondence ---------------------------------------------------------------------


@login_required
def file_letter(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """Upload a scanned letter: the secretariat may, without reading it back afterwards."""
    employee = _employee(request, employee_id)
    if not can_file_medical_correspondence(request.user, employee):
        raise Http404
    form = IncomingDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records.file_incoming_document(
                employee,
                upload=data["file"],
                received_on=data["received_on"],
                sender=data["sender"],
                description=data["description"],
                paper_destroyed_on=timezone.localdate() if data["paper"] == "destroyed" else None,
                paper_retained=data["paper"] == "retained",
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("De brief is in het medisch dossier opgeborgen."))
            return redirect(employee)
    return render(request, "medical/letter_form.html", {"employee": employee, "form": form})


@login_required
def letters_pending(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The letters this user filed whose paper still has to be destroyed (no content shown)."""
    documents = record_queries.documents_awaiting_paper_destruction(request.user)
    return render(
        request, "medical/letters_pending.html", {"documents": documents, "form": PaperDestroyedForm()}
    )


@login_required
@require_POST
def paper_destroyed(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = record_queries.incoming_document_for(request.user, document_id, with_content=False)
    if not can_file_medical_correspondence(request.user, document.employee):
        raise Http404
    form = PaperDestroyedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef de datum waarop het papier is vernietigd."))
    else:
        try:
            records.record_paper_destroyed(
                document, destroyed_on=form.cleaned_data["destroyed_on"], by=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Vastgelegd dat het papier is vernietigd."))
    return redirect("medical:letters_pending")


@login_required
def letter_download(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = record_queries.incoming_document_for(request.user, document_id)
    require_unrestricted(document.employee, request.user)
    _filename, content_type, content = record_queries.document_content(request.user, document)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="ingekomen-stuk-{document.pk}{_extension(content_type)}"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _extension(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif"}.get(
        content_type, ""
    )


# --- Information requests ------------------------------------------------------------------------


@login_required
@require_POST
def add_information_consent(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    if not may_treat(request.user, employee):
        raise Http404
    form = InformationConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("De toestemming is niet vastgelegd: vul alle velden in."))
        return redirect(_file_url(employee))
    if not confirm.confirmed(request):  # issue 18: who will see what, before anything is written
        confirmation = confirmations.information_consent(employee, form)
        return render(request, "confirm.html", {"confirmation": confirmation})
    try:
        records.record_information_consent(employee, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De toestemming is vastgelegd."))
    return redirect(_file_url(employee))


@login_required
@require_POST
def withdraw_information_consent(request: AuthenticatedHttpRequest, consent_id: int) -> HttpResponse:
    consent = record_queries.information_consent_for(request.user, consent_id)
    if not may_treat(request.user, consent.employee):
        raise Http404
    if not confirm.confirmed(request) and consent.is_active:  # issue 18: the second step first
        confirmation = confirmations.withdraw_information_consent(consent)
        return render(request, "confirm.html", {"confirmation": confirmation})
    try:
        records.withdraw_information_consent(consent, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De toestemming is ingetrokken."))
    return redirect(_file_url(consent.employee))


@login_required
@require_POST
def add_information_request(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    if not may_treat(request.user, employee):
        raise Http404
    form = InformationRequestForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Het verzoek is niet vastgelegd: kies een behandelaar en schrijf de vraag.")
        )
        return redirect(_file_url(employee))
    try:
        records.create_information_request(employee, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het informatieverzoek is vastgelegd."))
    return redirect(_file_url(employee))


@login_required
@require_POST
def answer_information_request(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    info_request = record_queries.information_request_for(request.user, request_id)
    if not may_treat(request.user, info_request.employee):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf het antwoord."))
    else:
        try:
            records.record_information_answer(
                info_request, answer=form.cleaned_data["answer"], by=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het antwoord is vastgelegd."))
    return redirect(_file_url(info_request.employee))


# --- FML -----------------------------------------------------------------------------------------


@login_required
def add_fml(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    if not may_write_fml(request.user, employee):
        raise Http404
    form = FmlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            records.record_functional_abilities(
                employee,
                assessed_on=form.cleaned_data["assessed_on"],
                rubrics=form.rubrics(),
                remarks=form.cleaned_data["remarks"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De functionele mogelijkhedenlijst is vastgelegd."))
            return redirect(_file_url(employee))
    return render(request, "medical/fml_form.html", {"employee": employee, "form": form})
