"""Pages of the WvP documents and of the UWV 42nd-week data sheet.

Thin: fetch through visibility (``cases_visible_to``, ``documents_visible_to``: invisible is 404),
check, bind a form, call one domain function in :mod:`arbo.absence.documents.domain`, render or redirect.
One document page serves three readers: staff (every version, actions), the employee (the final
text, read and respond) and the employer (released documents only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arbo.absence.documents import domain, kinds, queries
from arbo.absence.documents.uwv_sheet import uwv_sheet_for
from arbo.absence.medical_terms import find_medical_terms
from arbo.access import policy
from arbo.access.policy import require_unrestricted
from arbo.access.recipients import describe, employer_recipients
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib import confirm
from arbo.lib.confirm import Confirmation
from arbo.lib.errors import DomainError
from arbo.lib.pdf import pdf_response, render_pdf

if TYPE_CHECKING:  # type hints only: documents are read through absence.documents.queries
    from arbo.absence.models import AbsenceCase, CaseDocument

# --- Forms --------------------------------------------------------------------------------------


class DocumentForm(forms.Form):
    """One textarea per section of the kind; ``base_version`` guards against saving over a newer one."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in kinds.SECTIONS[kind]:
            self.fields[section.key] = forms.CharField(
                label=section.label,
                help_text=section.help,
                required=False,
                max_length=domain.MAX_SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self.section_keys = [s.key for s in kinds.SECTIONS[kind]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any((cleaned.get(key) or "").strip() for key in self.section_keys):
            raise forms.ValidationError(_("Vul ten minste één onderdeel in."))
        return cleaned

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in self.section_keys}


class NewDocumentForm(DocumentForm):
    employee_review = forms.BooleanField(
        label=gettext_lazy("De werknemer leest het document eerst, voordat de werkgever het krijgt"),
        required=False,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        del self.fields["base_version"]
        if kind in kinds.REVIEW_REQUIRED:
            # Always reviewed first: nothing to choose (create_document applies the rule).
            del self.fields["employee_review"]


class ReviewForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("Reactie (niet verplicht)"),
        required=False,
        max_length=domain.MAX_RESPONSE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- Helpers ------------------------------------------------------------------------------------


def _case(request: AuthenticatedHttpRequest, case_id: int) -> AbsenceCase:
    return queries.case_for_documents(request.user, case_id)


def _document(request: AuthenticatedHttpRequest, document_id: int) -> CaseDocument:
    return queries.document_for(request.user, document_id)


def _case_url(case: AbsenceCase) -> str:
    # The case page belongs to the case views; until it exists the documents page stands in.
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return reverse("absence:case_documents", args=[case.pk])


def _version_number(request: AuthenticatedHttpRequest) -> int | None:
    raw = request.GET.get("version")
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _warn_on_medical_terms(request: AuthenticatedHttpRequest, sections: dict[str, str]) -> None:
    # A word list cannot judge a doctor's text, so this warns rather than refuses: the author
    # decides, and a new version replaces the text before it is final.
    terms: list[str] = []
    for text in sections.values():
        terms += [t for t in find_medical_terms(text) if t not in terms]
    if terms:
        messages.warning(
            request,
            _(
                "Let op: de tekst bevat woorden die op medische gegevens lijken (%(terms)s). Dit document kan naar de werkgever: haal diagnose en klachten eruit en sla een nieuwe versie op."
            )
            % {"terms": ", ".join(terms)},
        )


def _detail(document: CaseDocument) -> HttpResponse:
    return redirect("absence:document_detail", document.pk)


# --- Pages --------------------------------------------------------------------------------------


@login_required
def case_documents(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    staff = policy.is_staff_user(request.user)
    context = queries.documents_context(request.user, case, with_versions=staff)
    return render(request, "absence/documents/case_documents.html", {**context, "case_url": _case_url(case)})


@login_required
def document_new(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    if kind not in dict(domain.creatable_kinds(request.user, case)):
        raise Http404
    initial = {
        "employee_review": kind in kinds.REVIEW_REQUIRED,
        **domain.initial_sections(case, kind, by=request.user),
    }
    form = NewDocumentForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = domain.create_document(
                case,
                kind=kind,
                sections=form.sections(),
                by=request.user,
                employee_review=form.cleaned_data.get("employee_review"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het concept is opgeslagen als versie 1."))
            _warn_on_medical_terms(request, form.sections())
            return _detail(document)
    context = {
        "case": case,
        "form": form,
        "kind": kind,
        "kind_label": queries.kind_label(kind),
        "doctor_kind": kind in kinds.DOCTOR_KINDS,
        "case_url": _case_url(case),
    }
    return render(request, "absence/documents/document_form.html", context)


@login_required
def document_detail(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    role = queries.viewer_role(request.user, document)
    readable = queries.read_document(request.user, document, number=_version_number(request))
    case = document.case
    may_write = role == "staff" and domain.may_write(request.user, case, document.kind)
    context = {
        "document": document,
        "readable": readable,
        "case": case,
        "role": role,
        "may_write": may_write,
        "versions": (
            document.versions.defer("content").select_related("author").order_by("-number")
            if role == "staff"
            else []
        ),
        "is_latest": readable.version is None or readable.version.number == document.versions.count(),
        "review_form": ReviewForm()
        if not document.employee_response and role in ("employee", "staff")
        else None,
        "case_url": _case_url(case),
    }
    return render(request, "absence/documents/document_detail.html", context)


@login_required
def document_edit(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if not domain.may_write(request.user, document.case, document.kind):
        raise Http404
    if not document.is_draft:
        messages.error(
            request,
            _(
                "Dit document is definitief en verandert niet meer. Leg een wijziging vast met een bijstelling."
            ),
        )
        return _detail(document)
    if request.method == "POST":
        form = DocumentForm(request.POST, kind=document.kind)
        if form.is_valid():
            try:
                version = domain.save_version(
                    document,
                    sections=form.sections(),
                    by=request.user,
                    base_version=form.cleaned_data["base_version"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Opgeslagen als versie %(number)s.") % {"number": version.number})
                _warn_on_medical_terms(request, form.sections())
                return _detail(document)
    else:
        readable = queries.read_document(request.user, document)
        number = readable.version.number if readable.version else 0
        form = DocumentForm(kind=document.kind, initial={"base_version": number, **readable.texts})
    context = {
        "case": document.case,
        "document": document,
        "form": form,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "doctor_kind": document.kind in kinds.DOCTOR_KINDS,
        "case_url": _case_url(document.case),
    }
    return render(request, "absence/documents/document_form.html", context)


def _confirmation(
    request: AuthenticatedHttpRequest,
    document: CaseDocument,
    *,
    title: str,
    intro: str,
    action: str,
    button: str,
    recipients: list[str],
    check_terms: bool = False,
) -> Confirmation:
    """The second step before finalising or releasing a document (issue 18): who sees what."""
    readable = queries.read_document(request.user, document)
    version = readable.version
    contents = [
        (_("Document"), f"{document.get_kind_display()} — {document.case.employee.full_name}"),
        (_("Versie"), str(version.number) if version else "—"),
        *readable.sections,
    ]
    return Confirmation(
        title=title,
        intro=intro,
        action=reverse(action, args=[document.pk]),
        button=button,
        back=reverse("absence:document_detail", args=[document.pk]),
        recipients=recipients,
        contents=contents,
        medical_terms=find_medical_terms(" ".join(t for _l, t in readable.sections)) if check_terms else [],
    )


def _confirm_page(
    request: AuthenticatedHttpRequest, document: CaseDocument, build: Callable[[], Confirmation]
) -> HttpResponse | None:
    """The confirmation page while the POST lacks the confirmation (or the "release anyway" box
    when medical terms were found); ``None`` once everything is confirmed, or when the user may
    not do this at all (the domain function then refuses, as before)."""
    if not domain.may_write(request.user, document.case, document.kind):
        return None
    confirmation = build()
    if confirm.confirmed(request) and (not confirmation.medical_terms or confirm.terms_accepted(request)):
        return None
    if confirm.confirmed(request):
        confirmation.error = _("Vink aan dat je de tekst hebt nagekeken, of pas het document eerst aan.")
    return render(request, "confirm.html", {"confirmation": confirmation})


@login_required
@require_POST
def document_finalise(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    employee = document.case.employee
    page = _confirm_page(
        request,
        document,
        lambda: _confirmation(
            request,
            document,
            title=_("Definitief maken: bevestigen"),
            intro=_("Daarna verandert de tekst niet meer; een wijziging wordt een bijstelling."),
            action="absence:document_finalise",
            button=_("Ja, definitief maken"),
            recipients=[
                _("%(name)s (de werknemer), nu, in het portaal") % {"name": employee.full_name},
                _("De werkgever nog niet: pas na vrijgeven"),
            ],
        ),
    )
    if page is not None:
        return page
    try:
        domain.finalise_document(document, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het document is definitief. De werknemer kan het nu lezen."))
    return _detail(document)


@login_required
@require_POST
def document_release(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    names = describe(employer_recipients(document.case.employee)) or _("nog niemand met een account")
    page = _confirm_page(
        request,
        document,
        lambda: _confirmation(
            request,
            document,
            title=_("Vrijgeven aan de werkgever: bevestigen"),
            intro=_("Vrijgeven kan niet worden teruggedraaid: de werkgever kan het document blijven lezen."),
            action="absence:document_release",
            button=_("Ja, vrijgeven aan de werkgever"),
            recipients=[
                _("De werkgever %(employer)s: %(names)s")
                % {"employer": document.case.employer.name, "names": names}
            ],
            check_terms=True,
        ),
    )
    if page is not None:
        return page
    try:
        domain.release_to_employer(document, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het document is vrijgegeven aan de werkgever."))
    return _detail(document)


@login_required
@require_POST
def document_review(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if queries.viewer_role(request.user, document) == "employer":
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("De reactie is te lang (hoogstens 10.000 tekens)."))
        return _detail(document)
    try:
        domain.record_employee_review(document, by=request.user, response=form.cleaned_data["response"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vastgelegd dat de werknemer het document heeft gezien."))
    return _detail(document)


@login_required
def document_pdf(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    require_unrestricted(document.case.employee, request.user)
    readable = queries.read_document(request.user, document, number=_version_number(request), export=True)
    if readable.version is None:
        raise Http404
    pdf = render_pdf(
        "absence/pdf/document.html", {"readable": readable, "document": document, "case": document.case}
    )
    filename = f"{document.get_kind_display()} {document.case.employee.surname} v{readable.version.number}"
    return pdf_response(pdf, filename)


@login_required
def uwv_sheet(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    sheet = uwv_sheet_for(request.user, case)
    return render(
        request,
        "absence/documents/uwv_sheet.html",
        {"sheet": sheet, "case": case, "case_url": _case_url(case)},
    )


@login_required
def uwv_sheet_pdf(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    require_unrestricted(case.employee, request.user)
    sheet = uwv_sheet_for(request.user, case, export=True)
    pdf = render_pdf("absence/pdf/uwv_sheet.html", {"sheet": sheet, "case": case})
    return pdf_response(pdf, f"42e-weeksmelding {case.employee.surname}")
