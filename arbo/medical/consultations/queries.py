"""Reading consultations and the agenda: appointments as each reader may see them (never the
reason), the planner's bookings, a doctor's agenda, free slots, and the objects the agenda's pages act on.

Each function checks access through :mod:`arbo.access.policy` and audits what it shows; the view
objects hold only what the reader may see. The consultation page with its notes and advice is
:func:`arbo.medical.queries.consultation_view`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.care import is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    emergency_employee_ids,
    employees_visible_to,
    is_staff_user,
    team_colleague_ids,
    treated_employee_ids,
)
from arbo.audit import log
from arbo.identity.models import User
from arbo.medical.models import (
    Consultation,
    ConsultationSlot,
)
from arbo.medical.policies import (
    appointment_category,
    is_own,
    is_planner,
    may_manage_slots_of,
    may_see_agenda,
    may_see_appointment,
)
from arbo.registry.models import Employee


@dataclass(frozen=True)
class Appointment:
    """An appointment as a reader may see it: never its reason. ``employee`` is ``None`` for a
    booking shown to the planner, who sees that the time is taken ("bezet"), not by whom."""

    pk: int
    employee: Employee | None
    doctor: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    kind_label: str
    status: str
    status_label: str
    mode: str
    mode_label: str
    location: str
    video_link: str

    @property
    def is_planned(self) -> bool:
        return self.status == Consultation.Status.PLANNED


@dataclass(frozen=True)
class NoShowNotice:
    """The only thing the employer learns of a missed regular consultation."""

    consultation_date: dt.datetime
    notified_at: dt.datetime


def appointment(
    consultation: Consultation, *, reveal_kind: bool = True, reveal_employee: bool = True
) -> Appointment:
    """The view of a consultation. Without ``reveal_kind`` (readers without category C) every
    consultation is just "consult": that someone went to the preventive consultation on their own
    initiative is itself confidential. Without ``reveal_employee`` (the planner's booking) the
    employee is left out, and the kind with it."""
    reveal_kind = reveal_kind and reveal_employee
    return Appointment(
        pk=consultation.pk,
        employee=consultation.employee if reveal_employee else None,
        doctor=str(consultation.doctor),
        starts_at=consultation.starts_at,
        ends_at=consultation.ends_at,
        kind=consultation.kind if reveal_kind else "",
        kind_label=str(consultation.get_kind_display() if reveal_kind else _("consult")),
        status=consultation.status,
        status_label=str(consultation.get_status_display()),
        mode=consultation.mode,
        mode_label=str(consultation.get_mode_display()),
        location=consultation.location,
        video_link=consultation.video_link,
    )


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """Consultations whose appointment ``user`` may see with the employee's name: staff who read
    category B of the employee (regular consultations), who read C of the employee (every kind:
    the treatment relationship or break-the-glass), and the doctor holding the consultation.

    Employer users and employees are not served here (see :func:`released_for_employer` and
    :func:`own_overview`); the planner's bookings are :func:`bookings_manageable_by`.
    """
    if not is_staff_user(user):
        return Consultation.objects.none()
    scope = Q()
    if can(user, Action.READ, Category.B):
        scope |= Q(kind=Consultation.Kind.REGULAR)
    if can(user, Action.READ, Category.C):
        scope |= Q(employee__in=treated_employee_ids(user)) | Q(employee__in=emergency_employee_ids(user))
    if is_doctor(user):
        scope |= Q(doctor=user)
    if not scope:
        return Consultation.objects.none()
    return Consultation.objects.filter(scope, employee__in=employees_visible_to(user)).select_related(
        "employee", "doctor"
    )


def bookings_manageable_by(user: User) -> QuerySet[Consultation]:
    """Consultations the planner may move or cancel without learning who they are for: with a
    doctor on one of the planner's teams, of an employee of those teams."""
    if not is_planner(user):
        return Consultation.objects.none()
    return Consultation.objects.filter(
        doctor__in=team_colleague_ids(user), employee__in=employees_visible_to(user)
    ).select_related("employee", "doctor")


def booking_view(consultation: Consultation) -> Appointment:
    """A booking as the planner sees it ("bezet"): time, place, doctor and status only."""
    return appointment(consultation, reveal_employee=False)


def _medically_readable(user: User, employee_ids: list[int]) -> set[int]:
    """Which of these (visible) employees ``user`` reads category C of: ``may_read_medical`` for a
    list, in two queries however long."""
    if not employee_ids or not can(user, Action.READ, Category.C):
        return set()
    treated = treated_employee_ids(user).filter(employee_id__in=employee_ids)
    emergency = emergency_employee_ids(user).filter(employee_id__in=employee_ids)
    return {*treated.values_list("employee_id", flat=True), *emergency.values_list("employee_id", flat=True)}


@dataclass
class Agenda:
    doctor: User
    start: dt.date
    end: dt.date  # exclusive
    #: Per day: its appointments and free slots in one list, in time order.
    days: list[tuple[dt.date, list[Appointment | ConsultationSlot]]]


def agenda_for(user: User, doctor: User, start: dt.date, end: dt.date) -> Agenda:
    """A doctor's slots and appointments from ``start`` up to ``end``: planning data (category D)
    of the employees ``user`` may reach; nobody's reason or notes."""
    if not may_see_agenda(user):
        raise Http404
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    period = Q(doctor=doctor, starts_at__gte=since, starts_at__lt=until)
    consultations = list(
        consultations_visible_to(user)
        .filter(period)
        .exclude(status=Consultation.Status.CANCELLED)
        .order_by("starts_at")
    )
    named = {c.pk for c in consultations}
    bookings = [
        b
        for b in bookings_manageable_by(user).filter(period).exclude(status=Consultation.Status.CANCELLED)
        if b.pk not in named
    ]
    slots = list(
        ConsultationSlot.objects.filter(period)
        .exclude(consultations__status__in=Consultation.LIVE_STATUSES)
        .order_by("starts_at")
    )
    employees = list({c.employee_id: c.employee for c in consultations}.values())
    medical = _medically_readable(user, [e.pk for e in employees])
    items = sorted(
        [appointment(c, reveal_kind=c.employee_id in medical) for c in consultations]
        + [booking_view(b) for b in bookings],
        key=lambda item: item.starts_at,
    )
    days = []
    day = start
    while day < end:
        # Issue 18: one list per day in time order, free slots and appointments together.
        rows: list[Appointment | ConsultationSlot] = sorted(
            [item for item in items if timezone.localtime(item.starts_at).date() == day]
            + [s for s in slots if timezone.localtime(s.starts_at).date() == day],
            key=lambda row: row.starts_at,
        )
        days.append((day, rows))
        day += dt.timedelta(days=1)
    categories = "".join(sorted({appointment_category(c) for c in consultations}))
    log.record_many(user, log.Action.READ, "medical.agenda_viewed", employees, category=categories)
    return Agenda(doctor, start, end, days)


def free_slots(user: User, employee: Employee, *, days: int = 42) -> list[ConsultationSlot]:
    """Free future slots of doctors who may see ``employee`` (for booking)."""
    now = timezone.now()
    slots = (
        ConsultationSlot.objects.filter(starts_at__gt=now, starts_at__lt=now + dt.timedelta(days=days))
        .exclude(consultations__status__in=Consultation.LIVE_STATUSES)
        .select_related("doctor")
        .order_by("starts_at")
    )
    doctor_ids = {s.doctor_id for s in slots}
    allowed = {
        d for d in doctor_ids if employees_visible_to(User.objects.get(pk=d)).filter(pk=employee.pk).exists()
    }
    return [s for s in slots if s.doctor_id in allowed]


def record_appointments_read(user: User, employee: Employee, consultations: list[Consultation]) -> None:
    """The employee page listed ``consultations`` of ``employee`` (their categories, the reader's basis)."""
    record_access(
        user,
        log.Action.READ,
        "medical.appointments_viewed",
        employee,
        category="".join(sorted({str(appointment_category(c)) for c in consultations})),
        data={"count": len(consultations)},
    )


def record_booking_read(user: User, consultation: Consultation, *, named: bool) -> None:
    """The reschedule page showed ``consultation``: named to who may see the appointment, else a booking."""
    record_access(
        user,
        log.Action.READ,
        "medical.consultation_viewed" if named else "medical.booking_viewed",
        consultation.employee,
        obj=consultation,
        category=appointment_category(consultation) if named else Category.D,
    )


def record_invitation_read(user: User, consultation: Consultation, *, export: bool) -> None:
    """The invitation letter (PDF, printed) or its calendar file (ICS, exported) was made for ``user``."""
    record_access(
        user,
        log.Action.EXPORT if export else log.Action.PRINT,
        "medical.invitation_exported" if export else "medical.invitation_printed",
        consultation.employee,
        obj=consultation,
    )


def note_consultations(employee: Employee) -> list[Consultation]:
    """The employee's consultations a medical note may be attached to (the form's choices)."""
    return list(Consultation.objects.filter(employee=employee).exclude(status=Consultation.Status.CANCELLED))


def consultation_of(employee: Employee, consultation_id: int | str) -> Consultation:
    """One consultation of ``employee`` (whom the caller checked), else 404."""
    return get_object_or_404(Consultation, pk=consultation_id, employee=employee)


def slot_for(user: User, slot_id: int) -> ConsultationSlot:
    """A free slot in an agenda the user manages, else 404."""
    slot = get_object_or_404(ConsultationSlot.objects.select_related("doctor"), pk=slot_id)
    if not may_manage_slots_of(user, slot.doctor):
        raise Http404
    return slot


def invitation_consultation(user: User, consultation_id: int) -> Consultation:
    """A consultation whose invitation the user may print or mail: staff who see the appointment,
    or the employee it is for; else 404. The caller checks a restriction of processing."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("employee", "doctor"), pk=consultation_id
    )
    if not (may_see_appointment(user, consultation) or is_own(user, consultation.employee)):
        raise Http404
    return consultation
