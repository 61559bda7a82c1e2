"""The agenda: a doctor's day or week, slots, planning and the consultation page, invitations.

A free slot is category D; that a named employee sees the doctor is category B (a regular
consultation) or C (preventive, other). The planner books, reschedules and cancels and sees the
bookings in the agenda as "bezet", without the employee's name; the consultation page is for those
who may read the appointment, and adds the medical parts only for those who may read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access.care import doctors, is_doctor
from arbo.access.policy import employees_visible_to, require_unrestricted
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.lib.http import base_url
from arbo.medical import queries as medical_queries
from arbo.medical.advice import domain as advice_domain
from arbo.medical.advice import queries as advice_queries
from arbo.medical.consultations import domain, invitations, queries
from arbo.medical.forms import (
    AdviceForm,
    MedicalNoteForm,
    PastConsultationForm,
    PlanConsultationForm,
    ReasonForm,
    ReportConsentForm,
    RescheduleForm,
    SlotsForm,
)
from arbo.medical.policies import (
    may_manage_slots_of,
    may_plan,
    may_see_agenda,
    may_see_appointment,
    may_treat,
)

if TYPE_CHECKING:  # type hints only: consultations are read through medical.queries
    from arbo.medical.models import Consultation


def _consultation(request: AuthenticatedHttpRequest, consultation_id: int) -> Consultation:
    return get_object_or_404(queries.consultations_visible_to(request.user), pk=consultation_id)


def _booking(request: AuthenticatedHttpRequest, consultation_id: int) -> Consultation:
    """A consultation the user sees by name, or (the planner) as a booking it may move or cancel."""
    user = request.user
    visible = queries.consultations_visible_to(user).filter(pk=consultation_id).first()
    return visible or get_object_or_404(queries.bookings_manageable_by(user), pk=consultation_id)


def _after_planning(request: AuthenticatedHttpRequest, consultation: Consultation) -> HttpResponse:
    """The consultation page, or for the planner (who may not read it) the doctor's agenda."""
    if may_see_appointment(request.user, consultation):
        return redirect(consultation)
    day = timezone.localtime(consultation.starts_at).date().isoformat()
    return redirect(f"{reverse('medical:agenda')}?doctor={consultation.doctor_id}&date={day}")


# --- The agenda ----------------------------------------------------------------------------------


def _agenda_doctor(request: AuthenticatedHttpRequest) -> User:
    doctor_id = request.GET.get("doctor")
    if doctor_id:
        return get_object_or_404(doctors(), pk=doctor_id)
    if is_doctor(request.user):
        return request.user
    first = doctors().first()
    if first is None:
        raise Http404
    return first


def _agenda_period(request: AuthenticatedHttpRequest) -> tuple[dt.date, dt.date, str]:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    view = "day" if request.GET.get("view") == "day" else "week"
    if view == "day":
        return day, day + dt.timedelta(days=1), view
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7), view


@login_required
def agenda(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A doctor's slots and appointments for a day or a week (planning data only)."""
    if not may_see_agenda(request.user):
        raise Http404
    doctor = _agenda_doctor(request)
    start, end, view = _agenda_period(request)
    step = end - start
    context = {
        "agenda": queries.agenda_for(request.user, doctor, start, end),
        "doctors": doctors(),
        "doctor": doctor,
        "view": view,
        "previous": (start - step).isoformat(),
        "next": end.isoformat() if view == "week" else (start + step).isoformat(),
        "can_plan": may_manage_slots_of(request.user, doctor),
        "slots_form": SlotsForm(initial={"doctor": doctor, "day": start}),
    }
    return render(request, "medical/agenda.html", context)


@login_required
@require_POST
def add_slots(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SlotsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Er zijn geen tijdvakken gemaakt: controleer datum, tijden en lengte."))
        return redirect("medical:agenda")
    data = form.cleaned_data
    try:
        with transaction.atomic():
            for starts_at, ends_at in form.periods():
                domain.create_slot(
                    doctor=data["doctor"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    mode=data["mode"],
                    location=data["location"],
                    by=request.user,
                )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s tijdvakken gemaakt.") % {"count": len(form.periods())})
    url = reverse("medical:agenda")
    return redirect(f"{url}?doctor={data['doctor'].pk}&date={data['day'].isoformat()}")


@login_required
@require_POST
def delete_slot(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    slot = queries.slot_for(request.user, slot_id)
    try:
        domain.delete_slot(slot, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het tijdvak is verwijderd."))
    return redirect(
        f"{reverse('medical:agenda')}?doctor={slot.doctor_id}&date={timezone.localtime(slot.starts_at).date().isoformat()}"
    )


# --- Planning ------------------------------------------------------------------------------------


@login_required
def plan(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    if not may_plan(request.user, employee):
        raise Http404
    form = PlanConsultationForm(
        request.POST or None,
        slots=queries.free_slots(request.user, employee),
        with_reason=may_treat(request.user, employee),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = domain.plan_consultation(
                employee,
                by=request.user,
                kind=data["kind"],
                slot=data["slot"],
                doctor=None if data["slot"] else data["doctor"],
                starts_at=None if data["slot"] else data["starts_at"],
                ends_at=None if data["slot"] else data["ends_at"],
                mode=data["mode"] or None,
                location=data["location"] or None,
                video_link=data["video_link"],
                reason=data.get("reason", ""),
                base_url=base_url(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("De afspraak is gepland; de uitnodiging is verstuurd."))
            return _after_planning(request, consultation)
    return render(request, "medical/plan.html", {"employee": employee, "form": form})


@login_required
def record_past(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    """The doctor records a consultation that already happened (issue 18): a phone call a minute
    ago, a walk-in. Nobody is invited; the consultation is held (or a no-show) from the start."""
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    if not (is_doctor(request.user) and may_treat(request.user, employee)):
        raise Http404
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = PastConsultationForm(request.POST or None, initial={"starts_at": now - dt.timedelta(minutes=15)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = domain.record_past_consultation(
                employee,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                kind=data["kind"],
                status=data["status"],
                mode=data["mode"],
                location=data["location"],
                reason=data["reason"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Het consult is vastgelegd. Schrijf nu je notities en advies."))
            return redirect(consultation)
    return render(request, "medical/record_past.html", {"employee": employee, "form": form})


@login_required
def consultation_detail(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    view = medical_queries.consultation_view(request.user, consultation)
    treating = may_treat(request.user, consultation.employee)
    advice = view.advice
    context = {
        "consultation": consultation,
        "view": view,
        "can_plan": may_plan(request.user, consultation.employee),
        "can_treat": treating,
        "reason_form": ReasonForm(initial={"reason": view.reason or ""}) if treating else None,
        "note_form": MedicalNoteForm(initial={"consultation": consultation.pk}, consultations=[consultation])
        if treating
        else None,
        "advice_form": AdviceForm(initial=_advice_initial(advice))
        if treating and consultation.is_held and (advice is None or advice.employer_released_at is None)
        else None,
        "consent_form": ReportConsentForm()
        if treating
        and advice
        and advice.employee_released_at
        and not advice.reaches_employer
        and not advice.employer_released_at
        else None,
    }
    return render(request, "medical/consultation_detail.html", context)


def _advice_initial(advice: advice_queries.AdviceView | None) -> dict[str, object]:
    if advice is None:
        return {"based_on": advice_domain.NEW_ADVICE}
    return {
        "based_on": advice_domain.advice_version(advice.updated_at),
        "can_do": advice.can_do,
        "cannot_do": advice.cannot_do,
        "expected_duration": advice.expected_duration,
        "adjustments": advice.adjustments,
        "reintegration": advice.reintegration,
        "employee_review_requested": advice.review_requested,
    }


@login_required
def reschedule(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _booking(request, consultation_id)
    if not may_plan(request.user, consultation.employee):
        raise Http404
    form = RescheduleForm(request.POST or None, slots=queries.free_slots(request.user, consultation.employee))
    if request.method == "POST" and form.is_valid():
        try:
            domain.reschedule_consultation(
                consultation, slot=form.cleaned_data["slot"], by=request.user, base_url=base_url(request)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De afspraak is verzet; de nieuwe uitnodiging is verstuurd."))
            return _after_planning(request, consultation)
    named = may_see_appointment(request.user, consultation)
    queries.record_booking_read(request.user, consultation, named=named)
    context = {
        "consultation": consultation,
        "item": queries.appointment(consultation, reveal_kind=False, reveal_employee=named),
        "form": form,
    }
    return render(request, "medical/reschedule.html", context)


def _act(
    request: AuthenticatedHttpRequest,
    consultation: Consultation,
    function: Callable[..., Consultation],
    success: str,
) -> HttpResponse:
    try:
        function(consultation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _after_planning(request, consultation)


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    return _act(
        request,
        _booking(request, consultation_id),
        partial(domain.cancel_consultation, base_url=base_url(request)),
        _("De afspraak is geannuleerd."),
    )


@login_required
@require_POST
def held(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    return _act(
        request,
        _consultation(request, consultation_id),
        domain.record_consultation_held,
        _("Vastgelegd: het spreekuur is gehouden."),
    )


@login_required
@require_POST
def no_show(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    return _act(
        request,
        _consultation(request, consultation_id),
        domain.record_no_show,
        _("Vastgelegd: de werknemer is niet verschenen."),
    )


@login_required
@require_POST
def set_reason(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, consultation_id)
    if not may_treat(request.user, consultation.employee):
        raise Http404
    form = ReasonForm(request.POST)
    if form.is_valid():
        domain.set_consultation_reason(consultation, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("De reden is opgeslagen."))
    return redirect(consultation)


# --- Invitations ---------------------------------------------------------------------------------


def _invitation_consultation(request: AuthenticatedHttpRequest, consultation_id: int) -> Consultation:
    """Staff who see the appointment, or the employee it is for."""
    consultation = queries.invitation_consultation(request.user, consultation_id)
    require_unrestricted(consultation.employee, request.user)
    return consultation


@login_required
def invitation_pdf(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _invitation_consultation(request, consultation_id)
    base_url = request.build_absolute_uri("/")[:-1]
    content = invitations.pdf(invitations.invitation_for(consultation, base_url=base_url))
    queries.record_invitation_read(request.user, consultation, export=False)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="uitnodiging-{consultation.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def invitation_ics(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _invitation_consultation(request, consultation_id)
    base_url = request.build_absolute_uri("/")[:-1]
    content = invitations.ics(invitations.invitation_for(consultation, base_url=base_url))
    queries.record_invitation_read(request.user, consultation, export=True)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{consultation.pk}.ics"'
    response["Cache-Control"] = "no-store"
    return response
