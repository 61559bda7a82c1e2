"""Breach register pages: report (every staff member), the register and the incident (the FG)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access.policy import employers_visible_to
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError
from arbo.lib.pdf import pdf_response, render_pdf
from arbo.privacy.breaches import domain, queries
from arbo.privacy.breaches.ap_form import affected_counts, ap_notification, printable
from arbo.privacy.breaches.clock import clock_of
from arbo.privacy.breaches.forms import (
    AffectedForm,
    AssessForm,
    DecideForm,
    LettersForm,
    MeasuresForm,
    NoticeForm,
    ReportForm,
)
from arbo.privacy.policies import can_report_breach, is_privacy_officer, require_privacy_officer
from arbo.privacy.steps import run_step


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_report_breach(request.user):
        raise Http404
    form = ReportForm(request.POST or None, employers=employers_visible_to(request.user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breach = domain.report_breach(by=request.user, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Dank je. Het datalek is gemeld (%(ref)s); de privacy officer beoordeelt het.")
                % {"ref": breach.reference},
            )
            return redirect("privacy:breach_detail", breach.pk)
    return render(request, "privacy/breaches/report.html", {"form": form})


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_privacy_officer(request.user)
    show = request.GET.get("show", "open")
    rows = queries.register(request.user, open_only=show == "open")
    now = timezone.now()
    breaches = [(b, clock_of(b, now)) for b in rows]
    queries.register_read(request.user)
    return render(request, "privacy/breaches/register.html", {"breaches": breaches, "show": show})


@login_required
def detail(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    breach = queries.breach_for_officer(request.user, breach_id)
    now = timezone.now()
    officer = is_privacy_officer(request.user)
    context: dict[str, Any] = {"breach": breach, "clock": clock_of(breach, now), "officer": officer}
    if officer:
        affected = list(breach.affected.all())
        context.update(
            affected=affected,
            counts=affected_counts(breach),
            assess_form=AssessForm(initial=AssessForm.initial_for(breach)),
            decide_form=DecideForm(initial=DecideForm.initial_for(breach)),
            notice_form=NoticeForm(
                initial={
                    "notified_at": now.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M")
                }
            ),
            affected_form=AffectedForm(
                initial={
                    "employer": breach.employer_id,
                    "data_categories": breach.data_categories,
                    "language": "nl",
                }
            ),
            letters_form=LettersForm(
                initial={"letter_text": breach.letter_text, "letter_text_en": breach.letter_text_en}
            ),
            measures_form=MeasuresForm(initial={"measures": breach.measures}),
            pending_letters=sum(1 for a in affected if a.letter_sent_at is None),
        )
        queries.breach_read(request.user, breach, affected)
    return render(request, "privacy/breaches/detail.html", context)


def _step(
    request: AuthenticatedHttpRequest,
    breach_id: int,
    form_class: type,
    action: Callable[[Any, dict[str, Any]], str],
) -> HttpResponse:
    """A POST step on an incident: validate the form, run the domain function, say what happened."""
    breach = queries.breach_for_step(request.user, breach_id)
    run_step(request, form_class(request.POST), lambda data: action(breach, data))
    return redirect("privacy:breach_detail", breach.pk)


@login_required
@require_POST
def assess(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        domain.assess_breach(breach, by=request.user, **data)
        return _("De risicobeoordeling is vastgelegd.")

    return _step(request, breach_id, AssessForm, act)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        domain.decide_breach(
            breach,
            by=request.user,
            notify_ap=data["notify_ap"] == "yes",
            notify_ap_reason=data["notify_ap_reason"],
            notify_subjects=data["notify_subjects"] == "yes",
            notify_subjects_reason=data["notify_subjects_reason"],
        )
        return _("Het besluit is vastgelegd.")

    return _step(request, breach_id, DecideForm, act)


@login_required
@require_POST
def notice(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        domain.record_ap_notice(breach, by=request.user, **data)
        return _("De melding aan de AP is vastgelegd.")

    return _step(request, breach_id, NoticeForm, act)


@login_required
@require_POST
def affected(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        people = domain.affected_people(
            data["employer"], everyone=data["everyone"], numbers=AffectedForm.numbers_of(data)
        )
        count = domain.link_affected(
            breach,
            by=request.user,
            employees=people,
            data_categories=data["data_categories"],
            language=data["language"],
        )
        return _("%(count)d betrokkenen gekoppeld.") % {"count": count}

    return _step(request, breach_id, AffectedForm, act)


@login_required
@require_POST
def letters(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        portal, post = domain.send_letters(breach, by=request.user, **data)
        return _("%(portal)d brieven in het portaal bezorgd; %(post)d per post te versturen.") % {
            "portal": portal,
            "post": post,
        }

    return _step(request, breach_id, LettersForm, act)


@login_required
@require_POST
def posted(request: AuthenticatedHttpRequest, breach_id: int, row_id: int) -> HttpResponse:
    breach = queries.breach_for_step(request.user, breach_id)
    row = queries.letter_to_post(breach, row_id)
    domain.mark_posted(breach, row, by=request.user)
    messages.success(request, _("Vastgelegd dat de brief per post is verstuurd."))
    return redirect("privacy:breach_detail", breach.pk)


@login_required
@require_POST
def measures(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        domain.record_measures(breach, by=request.user, **data)
        return _("De maatregelen zijn vastgelegd.")

    return _step(request, breach_id, MeasuresForm, act)


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    def act(breach: Any, data: dict[str, Any]) -> str:
        domain.close_breach(breach, by=request.user)
        return _("Het datalek is afgesloten en blijft in het register.")

    return _step(request, breach_id, forms.Form, act)


@login_required
def ap_form_json(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    require_privacy_officer(request.user)
    breach = queries.breach_for_officer(request.user, breach_id)
    queries.ap_form_exported(request.user, breach, fmt="json")
    response = HttpResponse(
        json.dumps(ap_notification(breach), indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{breach.reference}-ap.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def ap_form_pdf(request: AuthenticatedHttpRequest, breach_id: int) -> HttpResponse:
    require_privacy_officer(request.user)
    breach = queries.breach_for_officer(request.user, breach_id)
    sections = printable(ap_notification(breach))
    pdf = render_pdf("privacy/breaches/ap_form_pdf.html", {"breach": breach, "sections": sections})
    queries.ap_form_exported(request.user, breach, fmt="pdf")
    return pdf_response(pdf, f"{breach.reference}-ap")
