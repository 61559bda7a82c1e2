"""The agenda: consultation slots, planning (booking), rescheduling, cancelling, held / no-show.

A free slot is category D; an appointment of a named employee is category B (regular) or C
(preventive, other: ``policies.appointment_category``), and so is the audit record of planning it.
The planner books without reading either (it sees its bookings as "bezet"). The
reason for a consultation is category C and only the doctor's team records it. Invitations leave
after the transaction commits (:mod:`arbo.medical.consultations.invitations`), never with medical content.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.care import is_doctor
from arbo.access.matrix import Category
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.medical.consultations import invitations
from arbo.medical.domain import seal
from arbo.medical.models import Consultation, ConsultationSlot, Mode
from arbo.medical.policies import (
    appointment_category,
    may_be_consultation_doctor,
    may_manage_slots_of,
    may_plan,
    may_treat,
)
from arbo.registry.models import Employee

MAX_DURATION = dt.timedelta(hours=4)


def _fact_category(consultation: Consultation, reason: str) -> str:
    """The categories an audit record of planning states: the appointment's, and C for a reason."""
    return "".join(sorted({str(appointment_category(consultation)), *(["C"] if reason else [])}))


def _check_period(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError(_("Het einde moet na het begin liggen."), field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(_("Een afspraak duurt hoogstens vier uur."), field="ends_at")
    if starts_at < timezone.now():
        raise DomainError(_("Plan in de toekomst."), field="starts_at")


def _doctor_is_free(
    doctor: User, starts_at: dt.datetime, ends_at: dt.datetime, *, exclude: Consultation | None = None
) -> None:
    overlapping = Consultation.objects.filter(
        doctor=doctor,
        status=Consultation.Status.PLANNED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    if overlapping.exists():
        raise DomainError(_("De arts heeft op dat moment al een afspraak."), field="starts_at")


def _check_mode(mode: str, video_link: str) -> None:
    if mode not in Mode.values:
        raise DomainError(_("Kies hoe het consult plaatsvindt."), field="mode")
    if mode == Mode.VIDEO and not video_link:
        raise DomainError(_("Geef de link naar de videoverbinding."), field="video_link")
    if mode != Mode.VIDEO and video_link:
        raise DomainError(_("Een link hoort alleen bij een videoconsult."), field="video_link")


def _slot_is_free(slot: ConsultationSlot, *, exclude: Consultation | None = None) -> bool:
    live = slot.consultations.exclude(status=Consultation.Status.CANCELLED)
    if exclude is not None:
        live = live.exclude(pk=exclude.pk)
    return not live.exists()


# --- Slots ---------------------------------------------------------------------------------------


@transaction.atomic
def create_slot(
    *,
    doctor: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    mode: str = Mode.IN_PERSON,
    location: str = "",
    by: User,
) -> ConsultationSlot:
    """Open consultation hours for ``doctor``: by the doctor, or by staff who plan (category D)."""
    if not (by == doctor and is_doctor(by)) and not may_manage_slots_of(by, doctor):
        raise Http404
    if not is_doctor(doctor):
        raise DomainError(_("Alleen een arts houdt spreekuur."), field="doctor")
    _check_period(starts_at, ends_at)
    if mode not in Mode.values:
        raise DomainError(_("Kies hoe het consult plaatsvindt."), field="mode")
    if ConsultationSlot.objects.filter(doctor=doctor, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise DomainError(_("Dit tijdvak overlapt met een ander tijdvak van deze arts."), field="starts_at")
    slot = ConsultationSlot.objects.create(
        doctor=doctor, starts_at=starts_at, ends_at=ends_at, mode=mode, location=location, created_by=by
    )
    log.record(by, log.Action.CREATE, "medical.slot_created", obj=slot, data={"doctor": doctor.pk})
    return slot


@transaction.atomic
def delete_slot(slot: ConsultationSlot, *, by: User) -> None:
    """Remove a slot nobody booked (a cancelled booking leaves it free)."""
    if not may_manage_slots_of(by, slot.doctor):
        raise Http404
    if not _slot_is_free(slot):
        raise DomainError(_("Dit tijdvak is geboekt; annuleer of verzet eerst de afspraak."))
    log.record(
        by,
        log.Action.DELETE,
        "medical.slot_deleted",
        obj=slot,
        data={"doctor": slot.doctor_id},
    )
    slot.consultations.update(slot=None)
    slot.delete()


# --- Planning ------------------------------------------------------------------------------------


@transaction.atomic
def plan_consultation(
    employee: Employee,
    *,
    by: User,
    kind: str = Consultation.Kind.REGULAR,
    slot: ConsultationSlot | None = None,
    doctor: User | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    mode: str | None = None,
    location: str | None = None,
    video_link: str = "",
    reason: str = "",
    base_url: str = "",
    notify: bool = True,
) -> Consultation:
    """Book a consultation: in a free ``slot`` (its doctor, time, mode and place), or at a given time.

    404 unless ``by`` may change category D of the employee. A reason (category C) may only be
    given by the doctor's team. After commit the invitation goes out (``notify``): to the employee,
    and for a regular consultation a copy to the employer; never any medical content.
    """
    if not may_plan(by, employee):
        raise Http404
    if reason and not may_treat(by, employee):
        raise DomainError(
            _(
                "Alleen de behandelend arts of wie onder diens verantwoordelijkheid werkt legt een medische reden vast."
            ),
            field="reason",
        )
    if kind not in Consultation.Kind.values:
        raise DomainError(_("Kies de soort afspraak."), field="kind")
    if slot is not None:
        slot = ConsultationSlot.objects.select_for_update().get(pk=slot.pk)
        if not _slot_is_free(slot):
            raise DomainError(_("Dit tijdvak is al geboekt."), field="slot")
        doctor, starts_at, ends_at = slot.doctor, slot.starts_at, slot.ends_at
        mode = mode or slot.mode
        location = slot.location if location is None else location
    if doctor is None or starts_at is None or ends_at is None:
        raise DomainError(_("Kies een tijdvak, of een arts met begin- en eindtijd."), field="slot")
    mode = mode or Mode.IN_PERSON
    _check_period(starts_at, ends_at)
    _check_mode(mode, video_link)
    if not may_be_consultation_doctor(doctor, employee):
        raise DomainError(_("Deze arts begeleidt deze werknemer niet."), field="doctor")
    _doctor_is_free(doctor, starts_at, ends_at)
    consultation = Consultation.objects.create(
        employee=employee,
        doctor=doctor,
        slot=slot,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location or "",
        video_link=video_link,
        reason_encrypted=seal(employee, reason),
        planned_by=by,
    )
    category = _fact_category(consultation, reason)
    record_access(
        by, log.Action.CREATE, "medical.consultation_planned", employee, obj=consultation, category=category
    )
    if notify:
        invitations.send_invitation_on_commit(consultation, base_url=base_url)
    return consultation


@transaction.atomic
def reschedule_consultation(
    consultation: Consultation,
    *,
    by: User,
    slot: ConsultationSlot | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    base_url: str = "",
    notify: bool = True,
) -> Consultation:
    """Move a planned consultation to another free slot (possibly another doctor's) or time."""
    employee = consultation.employee
    if not may_plan(by, employee):
        raise Http404
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.PLANNED:
        raise DomainError(_("Alleen een geplande afspraak kan worden verzet."))
    doctor = consultation.doctor
    if slot is not None:
        slot = ConsultationSlot.objects.select_for_update().get(pk=slot.pk)
        if not _slot_is_free(slot, exclude=consultation):
            raise DomainError(_("Dit tijdvak is al geboekt."), field="slot")
        doctor, starts_at, ends_at = slot.doctor, slot.starts_at, slot.ends_at
    if starts_at is None or ends_at is None:
        raise DomainError(_("Kies een nieuw tijdvak of een nieuwe tijd."), field="slot")
    _check_period(starts_at, ends_at)
    if not may_be_consultation_doctor(doctor, employee):
        raise DomainError(_("Deze arts begeleidt deze werknemer niet."), field="slot")
    _doctor_is_free(doctor, starts_at, ends_at, exclude=consultation)
    # The way of meeting (and a video link) stays; a slot brings its doctor, time and place.
    if slot is not None and slot.location and consultation.mode == Mode.IN_PERSON:
        consultation.location = slot.location
    consultation.slot, consultation.doctor = slot, doctor
    consultation.starts_at, consultation.ends_at = starts_at, ends_at
    consultation.sequence += 1
    consultation.save()
    record_access(
        by,
        log.Action.UPDATE,
        "medical.consultation_rescheduled",
        employee,
        obj=consultation,
        category=appointment_category(consultation),
    )
    if notify:
        invitations.send_invitation_on_commit(consultation, base_url=base_url)
    return consultation


@transaction.atomic
def cancel_consultation(
    consultation: Consultation, *, by: User, base_url: str = "", notify: bool = True
) -> Consultation:
    """Cancel a planned consultation; its slot becomes free. The invitees get a cancellation."""
    employee = consultation.employee
    if not may_plan(by, employee):
        raise Http404
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.PLANNED:
        raise DomainError(_("Alleen een geplande afspraak kan worden geannuleerd."))
    consultation.status = Consultation.Status.CANCELLED
    consultation.status_changed_at = timezone.now()
    consultation.sequence += 1
    consultation.save(update_fields=["status", "status_changed_at", "sequence"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.consultation_cancelled",
        employee,
        obj=consultation,
        category=appointment_category(consultation),
    )
    if notify:
        invitations.send_cancellation_on_commit(consultation, base_url=base_url)
    return consultation


@transaction.atomic
def record_past_consultation(
    employee: Employee,
    *,
    by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = Consultation.Kind.REGULAR,
    status: str = Consultation.Status.HELD,
    mode: str = Mode.IN_PERSON,
    location: str = "",
    reason: str = "",
) -> Consultation:
    """Record afterwards a consultation that was never planned here: a walk-in (inloopspreekuur),
    a phone call, or an appointment made by phone that the employee did not come to.

    Only the doctor's team (``by`` is the doctor). A regular no-show sends its short notice to
    employee and employer at once, as :func:`record_no_show` does.
    """
    if not may_treat(by, employee) or not is_doctor(by):
        raise Http404
    if status not in (Consultation.Status.HELD, Consultation.Status.NO_SHOW):
        raise DomainError(
            _("Leg een gehouden consult vast, of dat de werknemer niet verscheen."), field="status"
        )
    if kind not in Consultation.Kind.values:
        raise DomainError(_("Kies de soort afspraak."), field="kind")
    if not starts_at < ends_at <= timezone.now():
        raise DomainError(_("Een consult achteraf moet in het verleden liggen."), field="starts_at")
    _check_mode(mode, "")
    now = timezone.now()
    consultation = Consultation.objects.create(
        employee=employee,
        doctor=by,
        kind=kind,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location,
        reason_encrypted=seal(employee, reason),
        planned_by=by,
        status_changed_at=now,
        no_show_notified_at=now
        if status == Consultation.Status.NO_SHOW and kind == Consultation.Kind.REGULAR
        else None,
    )
    record_access(
        by,
        log.Action.CREATE,
        "medical.consultation_recorded",
        employee,
        obj=consultation,
        category=_fact_category(consultation, reason),
        data={"status": status},
    )
    return consultation


# --- After the appointment -----------------------------------------------------------------------


def _close(consultation: Consultation, status: str, by: User) -> Consultation:
    if not may_treat(by, consultation.employee):
        raise Http404
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.PLANNED:
        raise DomainError(_("Deze afspraak is al afgehandeld."))
    if consultation.starts_at > timezone.now():
        raise DomainError(_("Deze afspraak is nog niet begonnen."))
    consultation.status = status
    consultation.status_changed_at = timezone.now()
    return consultation


@transaction.atomic
def record_consultation_held(consultation: Consultation, *, by: User) -> Consultation:
    consultation = _close(consultation, Consultation.Status.HELD, by)
    consultation.save(update_fields=["status", "status_changed_at"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.consultation_held",
        consultation.employee,
        obj=consultation,
        category=appointment_category(consultation),
    )
    return consultation


@transaction.atomic
def record_no_show(consultation: Consultation, *, by: User) -> Consultation:
    """The employee did not come. For a regular consultation a short notice goes to employee and
    employer at the same moment (seed 004); for any other kind the employer learns nothing."""
    consultation = _close(consultation, Consultation.Status.NO_SHOW, by)
    if consultation.reaches_employer:
        consultation.no_show_notified_at = consultation.status_changed_at
    consultation.save(update_fields=["status", "status_changed_at", "no_show_notified_at"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.consultation_no_show",
        consultation.employee,
        obj=consultation,
        category="AB" if consultation.reaches_employer else Category.C,
        data={"employer_notified": consultation.reaches_employer},
    )
    return consultation


@transaction.atomic
def set_consultation_reason(consultation: Consultation, *, reason: str, by: User) -> Consultation:
    """Record (or change) the medical reason for the consultation: category C."""
    if not may_treat(by, consultation.employee):
        raise Http404
    consultation.reason_encrypted = seal(consultation.employee, reason.strip())
    consultation.save(update_fields=["reason_encrypted"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.consultation_reason_set",
        consultation.employee,
        obj=consultation,
        category=Category.C,
    )
    return consultation
