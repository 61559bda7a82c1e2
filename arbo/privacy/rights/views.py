"""Rights request pages: the portal (file, mine, letters, the package download), the privacy
officer's register and registration, the request with its steps, the doctor's review."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import policy
from arbo.access.policy import is_restricted
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.identity.rights import staff_holding
from arbo.identity.roles import StaffFunction
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.lib.pdf import pdf_response
from arbo.lib.subject import sources
from arbo.privacy.policies import is_privacy_officer, require_privacy_officer
from arbo.privacy.rights import clock, domain, erasure, fhir, letters, package, queries
from arbo.privacy.rights.forms import (
    DecideForm,
    ExtendForm,
    IdentityForm,
    PortalRequestForm,
    PostedForm,
    StaffRequestForm,
)
from arbo.privacy.rights.queries import register_rows, requests_visible_to
from arbo.privacy.steps import form_error, portal_intake, run_step

FORMATS = ("pdf", "json", "fhir")


# --- The portal ------------------------------------------------------------------------------------


@login_required
def file_from_portal(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employee asks for access, a correction, erasure ... of their own data."""
    return portal_intake(
        request,
        PortalRequestForm,
        template="privacy/rights/file.html",
        file=lambda employee, data: domain.file_request(by=request.user, employee=employee, **data),
        acknowledgement=lambda rights_request: (
            _("Je verzoek is ontvangen (%(ref)s). Je hoort uiterlijk op %(due)s van ons.")
            % {"ref": rights_request.reference, "due": show_date(rights_request.due_on)}
        ),
        detail="privacy:rights_detail",
    )


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.may_file_rights_request(request.user):
        raise Http404
    rows = requests_visible_to(request.user).order_by("-received_on", "-id")
    return render(request, "privacy/rights/mine.html", {"requests": rows})


@login_required
def letter_pdf(request: AuthenticatedHttpRequest, request_id: int, which: str) -> HttpResponse:
    rights_request = get_object_or_404(
        requests_visible_to(request.user).select_related("employee"), pk=request_id
    )
    if which not in letters.WHICH or (which == "decision" and rights_request.is_open):
        raise Http404
    if which == "extension" and rights_request.extended_on is None:
        raise Http404
    queries.letter_printed(request.user, rights_request, which)
    return pdf_response(letters.letter_pdf(rights_request, which), f"{rights_request.reference}-{which}")


def _own_with_token(request: AuthenticatedHttpRequest, request_id: int, token: str) -> Any:
    """The person's own request whose download link ``token`` is valid; 404 otherwise."""
    rights_request = get_object_or_404(
        queries.own_requests(request.user).select_related("employee"), pk=request_id
    )
    valid = (
        rights_request.download_token_hash
        and rights_request.download_token_hash == domain.token_hash(token)
        and rights_request.download_expires_at is not None
        and rights_request.download_expires_at > timezone.now()
    )
    if not valid:
        raise Http404
    return rights_request


@login_required
def download_page(request: AuthenticatedHttpRequest, request_id: int, token: str) -> HttpResponse:
    """Where the link in the decision letter leads: the package in its three forms."""
    rights_request = _own_with_token(request, request_id, token)
    return render(
        request,
        "privacy/rights/download.html",
        {"rights_request": rights_request, "token": token, "formats": FORMATS},
    )


@login_required
def download(request: AuthenticatedHttpRequest, request_id: int, token: str, fmt: str) -> HttpResponse:
    """The person's package, through the link in the decision letter, while it is valid."""
    if fmt not in FORMATS:
        raise Http404
    rights_request = _own_with_token(request, request_id, token)
    return _package_response(request, rights_request, fmt)


@login_required
def staff_package(request: AuthenticatedHttpRequest, request_id: int, fmt: str) -> HttpResponse:
    """The privacy officer downloads the package of a person without a portal account (an
    applicant) to post it with the decision letter; audited as an export."""
    require_privacy_officer(request.user)
    rights_request = get_object_or_404(
        requests_visible_to(request.user).select_related("employee", "applicant"), pk=request_id
    )
    if (
        fmt not in FORMATS
        or not rights_request.by_post
        or rights_request.is_open
        or rights_request.outcome == rights_request.Outcome.REFUSED
        or rights_request.kind not in (domain.Kind.ACCESS, domain.Kind.PORTABILITY)
    ):
        raise Http404
    return _package_response(request, rights_request, fmt)


def _package_response(request: AuthenticatedHttpRequest, rights_request: Any, fmt: str) -> HttpResponse:
    """Build the package in the person's language, audit the export, answer the file."""
    with translation.override(rights_request.language):
        built = package.build(rights_request.subject, withheld=rights_request.withheld)
        queries.package_exported(request.user, rights_request, built, fmt)
        name = f"{rights_request.reference}-gegevens"
        if fmt == "pdf":
            response = pdf_response(package.as_pdf(built), name)
            # A copy to keep: saved, not just shown (the letters stay inline, to print).
            response["Content-Disposition"] = response["Content-Disposition"].replace(
                "inline", "attachment", 1
            )
            return response
        body: dict[str, Any]
        if fmt == "json":
            body = package.as_json(built)
        else:
            body = fhir.as_bundle(built)
            fhir.validate(body)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    if fmt == "fhir":
        response["Content-Type"] = "application/fhir+json"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}.{"json" if fmt == "json" else "fhir.json"}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The privacy officer: register and registration ---------------------------------------------


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.is_staff_user(request.user):
        raise Http404
    rows = list(register_rows(request.user))
    if not rows and not is_privacy_officer(request.user):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "privacy/rights/register.html",
        {"requests": rows, "today": today, "officer": is_privacy_officer(request.user)},
    )


def _may_register(user: User) -> bool:
    """The privacy officer, and the secretariat (who opens the post) for the people the matrix
    lets them reach (``domain.may_register_for`` / ``may_register_for_applicant``)."""
    return is_privacy_officer(user) or (
        policy.is_staff_user(user) and staff_holding(user, StaffFunction.SECRETARIAAT)
    )


@login_required
def register_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff register a request that came by letter, e-mail or phone, about an employee, a former
    employee or an applicant."""
    if not _may_register(request.user):
        raise Http404
    form = StaffRequestForm(
        request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = applicant = None
        if data["person"] == StaffRequestForm.APPLICANT:
            applicant = queries.applicant_by_name(data["employer"], data["surname"], data["birth_date"])
            if applicant is None:
                form.add_error(
                    "surname",
                    _("Er is bij deze werkgever geen sollicitant met deze achternaam en geboortedatum."),
                )
        else:
            employee = queries.employee_by_personnel_number(data["employer"], data["personnel_number"])
            if employee is None:
                form.add_error("personnel_number", _("Dit personeelsnummer is bij deze werkgever onbekend."))
        if employee is not None or applicant is not None:
            upload = data["id_copy"]
            try:
                rights_request = domain.file_request(
                    by=request.user,
                    employee=employee,
                    applicant=applicant,
                    reply_address=data["reply_address"],
                    kind=data["kind"],
                    description=data["description"],
                    received_on=data["received_on"],
                    channel=data["channel"],
                    medical=data["medical"],
                    language=data["language"],
                    representative=data["representative"],
                    authorisation=data["authorisation"],
                    id_copy=upload.read(domain.MAX_ID_COPY + 1),
                    id_copy_type=upload.content_type or "",
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request, _("Het verzoek is geregistreerd (%(ref)s).") % {"ref": rights_request.reference}
                )
                if not requests_visible_to(request.user).filter(pk=rights_request.pk).exists():
                    return redirect("privacy:rights_new")  # the secretariat: the officer takes it on
                return redirect("privacy:rights_detail", rights_request.pk)
    return render(request, "privacy/rights/new.html", {"form": form})


# --- The request and its steps ---------------------------------------------------------------------


def _statement_choices(rights_request: Any, user: User) -> list[tuple[str, str]]:
    """The records a rectification may concern, as the decider may see them."""
    reader = user
    choices: list[tuple[str, str]] = []
    if rights_request.for_applicant:
        return choices  # no own statement for an applicant (``domain.decide``)
    for provider in sources().values():
        for record in provider(rights_request.employee, reader=reader):
            if record.source in ("medical", "journal", "absence"):
                created = f" ({show_date(record.created)})" if record.created else ""
                choices.append((package.record_key(record), f"{record.title}{created}"))
    return choices


@login_required
def detail(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    rights_request = get_object_or_404(
        requests_visible_to(request.user).select_related(
            "employee", "doctor", "registered_by", "identity_verified_by", "decided_by"
        ),
        pk=request_id,
    )
    user = request.user
    officer = is_privacy_officer(user)
    subject = rights_request.subject
    decides = domain.may_decide(user, rights_request)
    context: dict[str, Any] = {
        "rights_request": rights_request,
        "officer": officer,
        "decides": decides,
        "reviews": domain.may_review(user, rights_request),
        "today": timezone.localdate(),
        "is_subject": policy.is_employee_user(user),
        "report": letters.erasure_report(rights_request),
    }
    if rights_request.is_open and decides:
        records = (
            _statement_choices(rights_request, user)
            if rights_request.kind == domain.Kind.RECTIFICATION and rights_request.status != "identity"
            else []
        )
        decide_form = DecideForm(records=records)
        if rights_request.kind != domain.Kind.OBJECTION:
            del decide_form.fields["objection_purpose"]
        if rights_request.kind != domain.Kind.RECTIFICATION:
            del decide_form.fields["statement_about"]
        context.update(
            extend_form=ExtendForm(),
            decide_form=decide_form,
            may_extend=clock.may_extend(rights_request.received_on, timezone.localdate()),
            erasure_plan=erasure.plan(subject) if rights_request.kind == domain.Kind.ERASURE else None,
        )
    if officer:
        context.update(identity_form=IdentityForm())
        context["restricted"] = rights_request.employee is not None and is_restricted(rights_request.employee)
        if rights_request.by_post and not rights_request.is_open:
            context.update(
                posted_form=PostedForm(initial={"posted_on": timezone.localdate()}),
                package_formats=FORMATS
                if rights_request.kind in (domain.Kind.ACCESS, domain.Kind.PORTABILITY)
                and rights_request.outcome != rights_request.Outcome.REFUSED
                else (),
            )
    if context["is_subject"]:
        context["decision_letter"] = queries.decision_letter_in_inbox(user, rights_request)
    if not policy.is_employee_user(user):
        queries.request_viewed(user, rights_request)
    return render(request, "privacy/rights/detail.html", context)


def _step(
    request: AuthenticatedHttpRequest,
    request_id: int,
    form_class: type[forms.Form],
    action: Callable[[Any, dict[str, Any]], str],
    *,
    officer_only: bool = False,
) -> HttpResponse:
    rights_request = get_object_or_404(requests_visible_to(request.user), pk=request_id)
    if officer_only:
        require_privacy_officer(request.user)
    elif not (domain.may_decide(request.user, rights_request) or is_privacy_officer(request.user)):
        raise Http404
    run_step(request, form_class(request.POST), lambda data: action(rights_request, data))
    if not requests_visible_to(request.user).filter(pk=rights_request.pk).exists():
        return redirect("privacy:rights_register")
    return redirect("privacy:rights_detail", rights_request.pk)


@login_required
@require_POST
def identity(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    def act(rights_request: Any, data: dict[str, Any]) -> str:
        domain.record_identity_check(rights_request, by=request.user, document_kind=data["document_kind"])
        return _("De identiteit is gecontroleerd; de kopie is vernietigd.")

    return _step(request, request_id, IdentityForm, act, officer_only=True)


@login_required
@require_POST
def extend(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    def act(rights_request: Any, data: dict[str, Any]) -> str:
        if not domain.may_decide(request.user, rights_request):
            raise DomainError(_("Dit verzoek wordt door een ander beslist."))
        domain.extend(rights_request, by=request.user, reason=data["reason"])
        return _("De termijn is verlengd; de betrokkene krijgt een brief.")

    return _step(request, request_id, ExtendForm, act)


@login_required
@require_POST
def send_for_review(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    def act(rights_request: Any, data: dict[str, Any]) -> str:
        domain.send_for_review(rights_request, by=request.user)
        if rights_request.for_applicant:
            return _("Het medisch deel ligt ter beoordeling bij de keurend arts.")
        return _("Het medisch deel ligt ter beoordeling bij de behandelend arts.")

    return _step(request, request_id, forms.Form, act, officer_only=True)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    rights_request = get_object_or_404(requests_visible_to(request.user), pk=request_id)
    records = _statement_choices(rights_request, request.user) if request.POST.get("statement_about") else []

    def act(rr: Any, data: dict[str, Any]) -> str:
        domain.decide(
            rr,
            by=request.user,
            outcome=data["outcome"],
            text=data["text"],
            objection_purpose=data["objection_purpose"],
            statement_about=data["statement_about"],
            download_url=lambda token: request.build_absolute_uri(
                reverse("privacy:rights_download_page", args=[rr.pk, token])
            ),
        )
        return _("De beslissing is vastgelegd; de betrokkene krijgt een brief.")

    class BoundDecideForm(DecideForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, records=records, **kwargs)

    return _step(request, request_id, BoundDecideForm, act)


@login_required
@require_POST
def posted(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    def act(rights_request: Any, data: dict[str, Any]) -> str:
        domain.mark_posted(rights_request, by=request.user, posted_on=data["posted_on"])
        return _("Vastgelegd dat de brief per post is verstuurd.")

    return _step(request, request_id, PostedForm, act, officer_only=True)


@login_required
@require_POST
def lift(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    def act(rights_request: Any, data: dict[str, Any]) -> str:
        domain.lift_restriction(rights_request.employee, by=request.user)
        return _("De beperking is opgeheven.")

    return _step(request, request_id, forms.Form, act, officer_only=True)


@login_required
def review(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    """The treating doctor reviews the medical part of the package before release (WGBO 7:457)."""
    rights_request = get_object_or_404(
        requests_visible_to(request.user).select_related("employee"), pk=request_id
    )
    if not domain.may_review(request.user, rights_request):
        raise Http404
    records = package.review_records(rights_request.subject, reader=request.user)
    if request.method == "POST":
        withheld = {
            key: request.POST.get(f"reason:{key}", "")
            for key in request.POST.getlist("withhold")
            if key in {package.record_key(r) for r in records}
        }
        try:
            domain.review(rights_request, by=request.user, withheld=withheld)
        except DomainError as error:
            messages.error(request, _("Niet opgeslagen: %(errors)s") % {"errors": error.message})
        else:
            messages.success(request, _("De beoordeling is vastgelegd."))
            return redirect("privacy:rights_detail", rights_request.pk)
    rows = [
        (package.record_key(r), r, rights_request.withheld.get(package.record_key(r), "")) for r in records
    ]
    return render(
        request,
        "privacy/rights/review.html",
        {"rights_request": rights_request, "rows": rows, "json": json},
    )
