"""The register of processors and supplier support windows (the FG); the supplier's own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import policy
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError
from arbo.privacy.policies import require_privacy_officer
from arbo.privacy.processors import domain, queries
from arbo.privacy.processors.forms import ProcessorForm, WindowForm
from arbo.privacy.register import statement


@login_required
def processor_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    processors = queries.processors_for(request.user)
    return render(
        request, "privacy/processors/list.html", {"processors": processors, "today": timezone.localdate()}
    )


@login_required
def processor_edit(request: AuthenticatedHttpRequest, processor_id: int | None = None) -> HttpResponse:
    require_privacy_officer(request.user)
    processor = queries.processor_for(request.user, processor_id) if processor_id else None
    initial = ProcessorForm.initial_for(processor) if processor else {"active": True}
    form = ProcessorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            processor = domain.save_processor(processor, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            version = statement.publish(by=request.user, reason=_("Verwerkers gewijzigd"))
            messages.success(
                request, _("Opgeslagen (privacyverklaring versie %(number)s).") % {"number": version.number}
            )
            return redirect("privacy:processor_detail", processor.pk)
    context: dict[str, Any] = {"form": form, "processor": processor}
    if processor is not None:
        context["windows"] = queries.windows_of(request.user, processor)
        context["window_form"] = WindowForm(processor=processor)
    return render(request, "privacy/processors/edit.html", context)


@login_required
@require_POST
def grant_window(request: AuthenticatedHttpRequest, processor_id: int) -> HttpResponse:
    processor = queries.processor_for(request.user, processor_id)
    form = WindowForm(request.POST, processor=processor)
    if form.is_valid():
        try:
            window, password = domain.grant_support_window(processor, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, _("Niet opgeslagen: %(errors)s") % {"errors": error.message})
        else:
            messages.success(
                request, _("Ondersteuningsvenster %(ticket)s geopend.") % {"ticket": window.ticket}
            )
            if password:
                messages.warning(
                    request,
                    _(
                        "Eenmalig wachtwoord voor %(user)s: %(password)s — geef het veilig door; bij de eerste keer inloggen stelt de leverancier tweestapsverificatie in."
                    )
                    % {"user": window.engineer.user.username, "password": password},
                )
    else:
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Niet opgeslagen: %(errors)s") % {"errors": errors})
    return redirect("privacy:processor_detail", processor.pk)


@login_required
@require_POST
def revoke_window(request: AuthenticatedHttpRequest, window_id: int) -> HttpResponse:
    window = queries.window_for(request.user, window_id)
    try:
        domain.revoke_support_window(window, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het venster is gesloten."))
    return redirect("privacy:processor_detail", window.engineer.processor_id)


@login_required
def support_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What a supplier's engineer sees inside a window: the window and nothing of anyone's data."""
    if not policy.is_supplier_user(request.user):
        raise Http404
    window = domain.support_home_window(request.user)
    return render(request, "privacy/processors/support_home.html", {"window": window})
