"""Who may do what in the medical app, on top of :mod:`arbo.access.policy` (the one check).

Every predicate reduces to ``can()``, ``employees_visible_to()`` or ``can_receive_release()``;
these names only say which category a medical record belongs to:

- a free slot (time, place, doctor) is category D; but *that a named employee has an appointment
  with the doctor* is care data: category B for a consultation in the absence process (kind
  regular), category C for a preventive or other consultation. Only readers of that category of
  the employee see the appointment with the name (:func:`may_see_appointment`);
- the planner (D only) plans: books a consultation for an employee of a team it is on, and sees
  and manages the bookings in the agenda of the doctors of its teams as "bezet", without the
  employee's name (:func:`may_manage_slots_of`, ``queries.bookings_manageable_by``). Other
  functions with D only (directeur, secretariaat, financieel medewerker, arbeidshygiënist ...)
  see no appointment at all and no agenda;
- the reason for a consultation, notes, letters and information requests are category C: the
  treating doctor and those working under the doctor, a consulted colleague, break-the-glass;
- advice after a consultation and the FML are category B: staff with B read them, the doctor's
  team writes them. Advice of a consultation that does not reach the employer (preventive,
  other) is read by those with C only: that such a consultation took place is itself confidential;
- employer users read only what was released to them (``can_receive_release``), the employee
  reads their own records once released to them.
"""

from __future__ import annotations

from arbo.access.care import is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_receive_release,
    employees_visible_to,
    served_employer_ids,
    staff_holding,
)
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.medical.models import Consultation, ConsultationAdvice
from arbo.registry.models import Employee


def is_own(user: User, employee: Employee) -> bool:
    return user.kind == User.Kind.EMPLOYEE and user.is_active and employee.user_id == user.pk


def is_planner(user: User) -> bool:
    return user.kind == User.Kind.STAFF and staff_holding(user, StaffFunction.PLANNER)


def appointment_category(consultation: Consultation) -> str:
    """The category of the fact that the employee has this appointment with the doctor."""
    return Category.B if consultation.reaches_employer else Category.C


def may_plan(user: User, employee: Employee) -> bool:
    """Book, reschedule or cancel a consultation of ``employee``: the planner (who changes D of the
    employee, on the employer's team), or staff who change category B of the employee (doctor,
    casemanager ...). Other D-only functions do not plan: the booking itself says who sees the
    doctor."""
    if user.kind != User.Kind.STAFF:
        return False
    if is_planner(user) and can(user, Action.CHANGE, Category.D, employee):
        return True
    return can(user, Action.CHANGE, Category.B, employee)


def may_manage_slots_of(user: User, doctor: User) -> bool:
    """Open or remove consultation hours of ``doctor``: the doctor, or a planner on the team of at
    least one employer the doctor serves. Organisation-wide functions (directeur, functioneel
    beheerder) serve no employer and do not manage anyone's agenda."""
    if user.kind != User.Kind.STAFF or not user.is_active:
        return False
    if user == doctor:
        return is_doctor(user)
    return (
        is_planner(user)
        and served_employer_ids(user).filter(pk__in=served_employer_ids(doctor)).exists()
        and is_doctor(doctor)
    )


def may_see_agenda(user: User) -> bool:
    """A doctor's agenda: doctors, planners, and staff who read category B (they see the
    appointments of the employees whose B they read; the rest of the agenda only as free slots)."""
    return user.kind == User.Kind.STAFF and (
        is_doctor(user) or is_planner(user) or can(user, Action.READ, Category.B)
    )


def may_see_appointment(user: User, consultation: Consultation) -> bool:
    """Staff who read the appointment's category (B or C) of the employee see it with the name
    (never the reason: that is :func:`may_read_medical`)."""
    return user.kind == User.Kind.STAFF and (
        can(user, Action.READ, appointment_category(consultation), consultation.employee)
        or (consultation.doctor_id == user.pk and is_doctor(user))
    )


def may_read_medical(user: User, employee: Employee) -> bool:
    return can(user, Action.READ, Category.C, employee)


def may_treat(user: User, employee: Employee) -> bool:
    """Write category C (notes, reasons, letters, information requests) and the advice."""
    return user.kind == User.Kind.STAFF and can(user, Action.CHANGE, Category.C, employee)


def may_be_consultation_doctor(doctor: User, employee: Employee) -> bool:
    return is_doctor(doctor) and employees_visible_to(doctor).filter(pk=employee.pk).exists()


def staff_may_read_advice(user: User, consultation: Consultation) -> bool:
    if user.kind != User.Kind.STAFF:
        return False
    category = Category.B if consultation.reaches_employer else Category.C
    return can(user, Action.READ, category, consultation.employee) and can(
        user, Action.READ, Category.B, consultation.employee
    )


def employer_may_read_advice(user: User, advice: ConsultationAdvice) -> bool:
    return (
        user.kind == User.Kind.EMPLOYER
        and advice.employer_released_at is not None
        and can_receive_release(user, advice.employee)
    )


def may_write_fml(user: User, employee: Employee) -> bool:
    """The FML is the doctor's judgement: a doctor with the treatment relationship writes it."""
    return is_doctor(user) and may_treat(user, employee) and can(user, Action.CHANGE, Category.B, employee)


def may_read_fml(user: User, employee: Employee) -> bool:
    if user.kind == User.Kind.EMPLOYEE:
        return is_own(user, employee)
    return user.kind == User.Kind.STAFF and can(user, Action.READ, Category.B, employee)
