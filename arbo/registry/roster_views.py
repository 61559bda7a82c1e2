"""Roster import pages: upload, preview with every row's problems, commit with progress.

The commit runs in a worker (``arbo.registry.tasks.commit_roster``): the request that starts it
returns at once, and the page polls the progress until the result replaces the bar.

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
from arbo.registry.tasks import progress_key

if TYPE_CHECKING:  # type hints only: the batch is read through registry.queries
    from arbo.registry.models_roster import RosterImport

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: The preview table shows at most this many rows (rows with problems first); counts cover all.
PREVIEW_ROWS = 500


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
        try:
            self.roster = roster.parse_file(upload, upload.name)
        except roster.RosterFileError as exc:
            raise ValidationError(str(exc), code="unreadable") from exc
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
        batch = roster.store_upload(
            employer, form.roster, filename=form.cleaned_data["file"].name, by=request.user
        )
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
        validation = roster.validate(employer, roster.load_payload(batch.payload))
        context.update(validation=validation, shown=_rows_shown(validation))
    else:
        context.update(progress_context(employer, batch))
    return render(request, "registry/roster_preview.html", context)


def _rows_shown(validation: roster.Validation) -> list[roster.RowCheck]:
    """Rows with problems first, then the others, up to PREVIEW_ROWS, in file order."""
    bad = [row for row in validation.rows if row.problems][:PREVIEW_ROWS]
    good = [row for row in validation.rows if not row.problems][: PREVIEW_ROWS - len(bad)]
    return sorted(bad + good, key=lambda row: row.number)


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
    """While queued or running: the progress bar, polled; once done: the result, which ends the polling."""
    context = progress_context(employer, batch)
    if context["running"]:
        return render(request, "registry/roster_preview.html#progress", context)
    return render(request, "registry/roster_preview.html#result", context)


def progress_context(employer: Employer, batch: RosterImport) -> dict[str, Any]:
    state = caches["progress"].get(progress_key(batch.pk)) or {}
    running = batch.is_queued
    done, total = state.get("done", 0), state.get("total", 0)
    return {
        "employer": employer,
        "batch": batch,
        "running": running,
        "total": total,
        "percent": done * 100 // total if total else 0,
        "progress_url": reverse("registry:roster_progress", args=[employer.pk, batch.pk]),
    }
