"""Writes on care relationships and break-the-glass. Each writes its audit record."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.matrix import Category
from arbo.access.models_care import EMERGENCY_ACCESS_MAX, CareRelationship, DoctorTeamMember, EmergencyAccess
from arbo.audit import log
from arbo.identity.models import FunctionAssignment, User, in_force
from arbo.identity.roles import DOCTOR_FUNCTIONS
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee

MIN_REASON_LENGTH = 20
MAX_CONSULTATION = timedelta(days=30)


def is_doctor(user: User) -> bool:
    return user.kind == User.Kind.STAFF and bool(user.functions_on() & DOCTOR_FUNCTIONS)


def doctors() -> QuerySet[User]:
    """Active staff members holding a doctor function."""
    in_force_doctor = FunctionAssignment.objects.filter(in_force(), function__in=DOCTOR_FUNCTIONS)
    doctor_ids = in_force_doctor.values("user_id")
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True, pk__in=doctor_ids).order_by("last_name")


def treating_doctor_of(employee: Employee) -> User | None:
    relation = (
        CareRelationship.objects.current()
        .filter(employee=employee, kind=CareRelationship.Kind.TREATING_DOCTOR)
        .select_related("user")
        .first()
    )
    return relation.user if relation else None


def _hand_over(employee: Employee, user: User, kind: str, *, by: User) -> CareRelationship:
    """Make ``user`` the one current relationship of ``kind`` with the employee: others of that
    kind end now; a current one with ``user`` stays as it is."""
    now = timezone.now()
    current = CareRelationship.objects.current().filter(employee=employee, kind=kind)
    current.exclude(user=user).update(ends_at=now)
    relation = current.filter(user=user).first()
    if relation is None:
        relation = CareRelationship.objects.create(
            employee=employee, user=user, kind=kind, granted_by=by, starts_at=now
        )
    return relation


@transaction.atomic
def assign_treating_doctor(
    employee: Employee, doctor: User, *, by: User, request: HttpRequest | None = None
) -> CareRelationship:
    """Make ``doctor`` the treating doctor, ending the previous treating relationship now."""
    if not is_doctor(doctor):
        raise DomainError(_("Alleen een arts kan behandelend arts zijn."), field="doctor")
    relation = _hand_over(employee, doctor, CareRelationship.Kind.TREATING_DOCTOR, by=by)
    log.record(
        by,
        log.Action.UPDATE,
        "access.treating_doctor_assigned",
        subject=employee,
        obj=relation,
        category=Category.D,
        request=request,
        data={"doctor": doctor.pk},
    )
    return relation


@transaction.atomic
def consult_colleague(
    employee: Employee,
    colleague: User,
    *,
    days: int,
    reason: str,
    by: User,
    request: HttpRequest | None = None,
) -> CareRelationship:
    """The treating doctor lets a colleague doctor into the file for at most 30 days."""
    if treating_doctor_of(employee) != by:
        raise DomainError(_("Alleen de behandelend arts kan een collega consulteren."))
    if not is_doctor(colleague) or colleague == by:
        raise DomainError(_("Kies een andere arts om te consulteren."), field="colleague")
    duration = timedelta(days=days)
    if not timedelta(0) < duration <= MAX_CONSULTATION:
        raise DomainError(_("Een consultatie duurt 1 tot 30 dagen."), field="days")
    now = timezone.now()
    relation = CareRelationship.objects.create(
        employee=employee,
        user=colleague,
        kind=CareRelationship.Kind.CONSULTED,
        granted_by=by,
        reason=reason,
        starts_at=now,
        ends_at=now + duration,
    )
    log.record(
        by,
        log.Action.UPDATE,
        "access.colleague_consulted",
        subject=employee,
        obj=relation,
        category=Category.C,
        basis=log.Basis.TREATMENT,
        request=request,
        data={"colleague": colleague.pk, "days": days},
    )
    return relation


@transaction.atomic
def assign_case_handler(
    employee: Employee, handler: User, *, by: User, request: HttpRequest | None = None
) -> CareRelationship:
    """Assign ``handler`` (a casemanager) to the employee's absence; ends the previous assignment.

    The relationship opens the employee to the handler even outside the employer's team; what the
    handler may read on top is still the matrix (a casemanager has no category C).
    """
    if handler.kind != User.Kind.STAFF or not handler.is_active:
        raise DomainError(_("Kies een medewerker van de arbodienst."), field="casemanager")
    relation = _hand_over(employee, handler, CareRelationship.Kind.CASE_HANDLER, by=by)
    log.record(
        by,
        log.Action.UPDATE,
        "access.case_handler_assigned",
        subject=employee,
        obj=relation,
        category=Category.A,
        request=request,
        data={"handler": handler.pk},
    )
    return relation


def add_doctor_team_member(doctor: User, member: User, *, kind: str, by: User) -> DoctorTeamMember:
    """Record a fixed substitute or someone working under the doctor's responsibility."""
    team_member, _created = DoctorTeamMember.objects.get_or_create(doctor=doctor, member=member, kind=kind)
    log.record(
        by,
        log.Action.UPDATE,
        "access.doctor_team_member_added",
        obj=team_member,
        data={"doctor": doctor.pk, "member": member.pk, "kind": kind},
    )
    return team_member


@transaction.atomic
def break_the_glass(
    employee: Employee, *, reason: str, by: User, request: HttpRequest | None = None
) -> EmergencyAccess:
    """Open ``employee``'s file to a doctor outside their relationships for at most three hours.

    The access is marked in every audit record it produces (basis "emergency") and lands on the
    privacy officer's review list.
    """
    if not is_doctor(by):
        raise DomainError(_("Alleen artsen kunnen noodtoegang gebruiken."))
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Geef een reden van minstens %(n)d tekens.") % {"n": MIN_REASON_LENGTH}, field="reason"
        )
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        user=by,
        employee=employee,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + EMERGENCY_ACCESS_MAX,
    )
    log.record(
        by,
        log.Action.EXECUTE,
        "access.break_the_glass",
        subject=employee,
        obj=access,
        basis=log.Basis.EMERGENCY,
        request=request,
        data={"expires_at": access.expires_at.isoformat()},
    )
    return access


@transaction.atomic
def review_emergency_access(
    access: EmergencyAccess, *, note: str, by: User, request: HttpRequest | None = None
) -> EmergencyAccess:
    access.reviewed_by = by
    access.reviewed_at = timezone.now()
    access.review_note = note
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    log.record(by, log.Action.UPDATE, "access.emergency_access_reviewed", obj=access, request=request)
    return access
