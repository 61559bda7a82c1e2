"""The register of processing (the FG edits it, exports it) and the public privacy statement."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError
from arbo.lib.pdf import pdf_response, render_pdf
from arbo.privacy.policies import require_privacy_officer
from arbo.privacy.register import domain, statement
from arbo.privacy.register.forms import ActivityForm
from arbo.privacy.register.models import LegalGround, ProcessingActivity, StatementVersion

CSV_FIELDS = (
    "code",
    "name",
    "purpose",
    "legal_ground",
    "legal_basis",
    "data_subjects",
    "data_description",
    "categories",
    "origin",
    "recipients",
    "retention",
    "retention_rule",
    "security_measures",
)


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_privacy_officer(request.user)
    activities = ProcessingActivity.objects.all()
    latest = StatementVersion.objects.order_by("-number").only("number", "effective_on").first()
    return render(request, "privacy/register/list.html", {"activities": activities, "latest": latest})


@login_required
def edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    require_privacy_officer(request.user)
    activity = get_object_or_404(ProcessingActivity, code=code)
    form = ActivityForm(request.POST or None, instance=activity, initial={"categories": activity.categories})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        # ModelForm.is_valid() wrote the values onto the instance: compare against a fresh copy.
        fresh = ProcessingActivity.objects.get(pk=activity.pk)
        try:
            _activity, version = domain.update_activity(fresh, by=request.user, reason=reason, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if version is None:
                messages.info(request, _("Er is niets gewijzigd."))
            else:
                messages.success(
                    request,
                    _("Opgeslagen; versie %(number)s van de privacyverklaring is gepubliceerd.")
                    % {"number": version.number},
                )
            return redirect("privacy:register")
    history = activity.changes.select_related("changed_by")[:50]
    return render(
        request, "privacy/register/edit.html", {"form": form, "activity": activity, "history": history}
    )


def _rows() -> list[dict[str, str]]:
    grounds = dict(LegalGround.choices)
    return [
        {
            **{f: str(getattr(a, f)) for f in CSV_FIELDS},
            "legal_ground": str(grounds.get(a.legal_ground, a.legal_ground)),
            "categories": ", ".join(a.categories),
        }
        for a in ProcessingActivity.objects.all()
    ]


@login_required
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_privacy_officer(request.user)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows(_rows())
    domain.record_export(request.user, fmt="csv")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verwerkingsregister.csv"'
    return response


@login_required
def export_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_privacy_officer(request.user)
    pdf = render_pdf("privacy/register/register_pdf.html", {"rows": _rows()})
    domain.record_export(request.user, fmt="pdf")
    return pdf_response(pdf, "verwerkingsregister")


def privacy_statement(request: HttpRequest, number: int | None = None) -> HttpResponse:
    """The public privacy statement (no login): the newest version, or an older one by number."""
    versions = StatementVersion.objects.only("number", "effective_on").order_by("-number")
    if number is None:
        version = versions.first()
        if version is None:
            raise Http404
        version = StatementVersion.objects.get(pk=version.pk)
    else:
        version = get_object_or_404(StatementVersion, number=number)
    content = statement.localise(version.snapshot, translation.get_language() or "nl")
    context = {
        "version": version,
        "content": content,
        "versions": versions,
        "grounds": dict(LegalGround.choices),
        "is_latest": version.number == versions.first().number,  # type: ignore[union-attr]
    }
    return render(request, "privacy/register/statement.html", context)
