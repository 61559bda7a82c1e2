"""Roster import pages: upload, preview with every row's problems, commit with progress.

The check and the commit run in a worker (``arbo.registry.tasks.check_roster`` and
``commit_roster``): the upload request only keeps the file and the commit request only queues
the commit; both answer at once, and the page polls the progress until the preview (after the
check) or the result (after the commit) replaces the bar.

Access: the employer must be visible to the user and the user may change categories A and D; an
employer user must moreover be HR for the whole employer (see :func:`arbo.access.policy.may_import_roster`). A batch is
only ever shown to the user who uploaded it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arbo.access import policy
from arbo.access.matrix import Action, Category
from arbo.access.policy import employers_visible_to, require
from arbo.identity.models import User
from arbo.lib.htmx import is_htmx
from arbo.registry import roster
from arbo.registry.models import Employer
from arbo.registry.queries import roster_import_for
from arbo.registry.tasks import check_progress_key, progress_key

if TYPE_CHECKING:  # type hints only: the batch is read through registry.queries
    from arbo.registry.models_roster import RosterImport

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class AuthenticatedRequest(HttpRequest):
    """What ``login_required`` guarantees, spelled out for the type checker."""

    user: User


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Personeelsbestand (CSV of XLSX)"),
        help_text=gettext_lazy(
            "Eerste rij: kolomnamen. Verplicht: personeelsnummer, achternaam, "
            "geboortedatum, in_dienst. Hoogstens 50 MB."
        ),
        error_messages={
            "required": gettext_lazy("Kies een bestand om in te lezen."),
            "empty": gettext_lazy("Het gekozen bestand is leeg."),
            "invalid": gettext_lazy("Er is geen bestand ontvangen. Kies het bestand opnieuw."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            message = _("Alleen CSV- en XLSX-bestanden kunnen worden ingelezen. Sla Excel op als .xlsx.")
            raise ValidationError(message, code="extension")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Het bestand is groter dan 50 MB."), code="too_large")
        # The header, or an XLSX's zip directory, is checked in the view (roster.check_file); the
        # rows are read by the worker.
        return upload


def _employer(request: AuthenticatedRequest, employer_id: int) -> Employer:
    employer = get_object_or_404(employers_visible_to(request.user), pk=employer_id)
    require(request.user, Action.CHANGE, Category.A)
    require(request.user, Action.CHANGE, Category.D)
    if not policy.may_import_roster(request.user, employer):
        raise Http404
    return employer


def _batch(request: AuthenticatedRequest, employer: Employer, import_id: int) -> RosterImport:
    return roster_import_for(request.user, employer, import_id)


@login_required
def roster_upload(request: AuthenticatedRequest, employer_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster.check_file(upload, upload.name)
        except roster.RosterFileError as exc:  # nothing was kept
            form.add_error("file", ValidationError(str(exc), code="unreadable"))
        else:
            batch = roster.receive_upload(employer, upload, filename=upload.name, by=request.user)
            return redirect("registry:roster_preview", employer.pk, batch.pk)
    return render(
        request,
        "registry/roster_upload.html",
        {"employer": employer, "form": form, "columns": roster.COLUMNS, "required": roster.REQUIRED},
    )


@login_required
def roster_preview(request: AuthenticatedRequest, employer_id: int, import_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    batch = _batch(request, employer, import_id)
    context: dict[str, Any] = {"employer": employer, "batch": batch}
    if batch.is_previewed:
        validation = roster.stored_preview(batch)
        context.update(validation=validation, shown=validation.shown())
    else:
        context.update(progress_context(employer, batch))
    return render(request, "registry/roster_preview.html", context)


@login_required
@require_POST
def roster_commit(request: AuthenticatedRequest, employer_id: int, import_id: int) -> HttpResponse:
    """Queue the commit for a worker and answer at once; the page then polls the progress."""
    employer = _employer(request, employer_id)
    batch = _batch(request, employer, import_id)
    try:
        roster.queue_commit(batch, by=request.user)
    except roster.RosterNotPending:
        if not is_htmx(request):
            messages.error(request, _("Dit bestand is al verwerkt."))
    if is_htmx(request):
        return _progress(request, employer, batch)
    return redirect("registry:roster_preview", employer.pk, batch.pk)


@login_required
def roster_progress(request: AuthenticatedRequest, employer_id: int, import_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    return _progress(request, employer, _batch(request, employer, import_id))


def _progress(request: AuthenticatedRequest, employer: Employer, batch: RosterImport) -> HttpResponse:
    """While checked or committed: the progress bar, polled; once the check is done, the whole page
    again (it shows the preview); once the commit is done (or the file refused): the result, which
    ends the polling."""
    if batch.is_previewed:
        preview = reverse("registry:roster_preview", args=[employer.pk, batch.pk])
        if not is_htmx(request):
            return redirect(preview)
        response = HttpResponse()
        response["HX-Redirect"] = preview  # htmx loads the page anew
        return response
    context = progress_context(employer, batch)
    if context["running"]:
        return render(request, "registry/roster_preview.html#progress", context)
    return render(request, "registry/roster_preview.html#result", context)


def progress_context(employer: Employer, batch: RosterImport) -> dict[str, Any]:
    checking = batch.is_checking
    key = check_progress_key(batch.pk) if checking else progress_key(batch.pk)
    state = caches["progress"].get(key) or {}
    done, total = state.get("done", 0), state.get("total", 0)
    return {
        "employer": employer,
        "batch": batch,
        "running": checking or batch.is_queued,
        "checking": checking,
        "error": roster.file_error(batch),
        "total": total,
        "percent": done * 100 // total if total else 0,
        "progress_url": reverse("registry:roster_progress", args=[employer.pk, batch.pk]),
    }
