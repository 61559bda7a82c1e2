"""Who may do what in the medical app, on top of :mod:`arbo.access.policy` (the one check).

Every predicate reduces to ``can()``, ``employees_visible_to()`` or ``can_receive_release()``;
these names only say which category a medical record belongs to:

- planning data of a consultation (time, place, doctor, kind, status) is category D: whoever may
  change D of the employee may plan (the planner has D only), whoever may read D sees the agenda;
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
    employers_visible_to,
    served_employer_ids,
)
from arbo.identity.models import User
from arbo.medical.models import Consultation, ConsultationAdvice
from arbo.registry.models import Employee


def is_own(user: User, employee: Employee) -> bool:
    return user.kind == User.Kind.EMPLOYEE and user.is_active and employee.user_id == user.pk


def may_plan(user: User, employee: Employee | None = None) -> bool:
    """Plan, reschedule or cancel consultations (and manage slots when ``employee`` is None)."""
    return user.kind == User.Kind.STAFF and can(user, Action.CHANGE, Category.D, employee)


def may_manage_slots_of(user: User, doctor: User) -> bool:
    """Open or remove consultation hours of ``doctor``: the doctor, or a planner serving at least one
    employer the doctor serves (the agenda is the team's, not everyone's)."""
    if user.kind != User.Kind.STAFF:
        return False
    if user == doctor:
        return True
    return may_plan(user) and employers_visible_to(user).filter(pk__in=served_employer_ids(doctor)).exists()


def may_see_agenda(user: User) -> bool:
    return user.kind == User.Kind.STAFF and can(user, Action.READ, Category.D)


def may_see_appointment(user: User, consultation: Consultation) -> bool:
    """Staff who may read D of the employee see the appointment (not its reason)."""
    return user.kind == User.Kind.STAFF and can(user, Action.READ, Category.D, consultation.employee)


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
