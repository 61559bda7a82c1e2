"""Treating doctor by request (seed 000 §7, seed 003 §6): ask, then the candidate or a medical
manager decides. Each write checks who may, validates, writes and audits in one transaction.

- who may ask: staff who may change category D of the employee (the team's planner, secretariat,
  casemanager, the doctor themself ...) and a medical manager who reaches the employee;
- the candidate: a doctor on the team of one of the employee's employers;
- who decides: the candidate doctor (accepts or declines), or a medical manager who reaches the
  employee; never the one who asked (four eyes, also a database constraint);
- on approval ``care.assign_treating_doctor`` makes the candidate the treating doctor (and ends the
  previous one): the only way category C of an employee opens to a doctor outside break-the-glass
  and a consultation by the treating doctor.

A doctor's team (a fixed substitute, or someone working under the doctor's responsibility) shares
the doctor's patients, so it goes the same way (seed 003 §6, four eyes like matrix changes and
function grants): the functional administrator, the doctor or a medical manager asks; the doctor
or a medical manager who did not ask decides; only then ``care.add_doctor_team_member`` records it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access import care
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRequest
from arbo.access.policy import can, employees_visible_to, is_staff_user, staff_holding
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee

MIN_REASON_LENGTH = 10


def _is_medical_manager_of(user: User, employee: Employee) -> bool:
    return staff_holding(user, StaffFunction.MEDISCH_MANAGER) and can(user, Action.READ, Category.D, employee)


def may_request_treating_doctor(user: User, employee: Employee) -> bool:
    return is_staff_user(user) and (
        can(user, Action.CHANGE, Category.D, employee) or _is_medical_manager_of(user, employee)
    )


def candidates_for(employee: Employee) -> QuerySet[User]:
    """Doctors on the current team of one of the employee's employers."""
    today = timezone.localdate()
    serving = Q(
        team_memberships__employer__employments__employee=employee,
        team_memberships__starts_on__lte=today,
    ) & (Q(team_memberships__ends_on__isnull=True) | Q(team_memberships__ends_on__gte=today))
    return care.doctors().filter(pk__in=User.objects.filter(serving).values("pk"))


TEAM_KINDS = (CareRequest.Kind.SUBSTITUTE, CareRequest.Kind.DELEGATE)


def _is_medical_manager(user: User) -> bool:
    return staff_holding(user, StaffFunction.MEDISCH_MANAGER)


def may_request_doctor_team(user: User, doctor: User) -> bool:
    """The functional administrator, the doctor themself or a medical manager asks."""
    return is_staff_user(user) and (user.is_user_admin or user.pk == doctor.pk or _is_medical_manager(user))


def may_decide(user: User, care_request: CareRequest) -> bool:
    if care_request.status != CareRequest.Status.REQUESTED or user.pk == care_request.requested_by_id:
        return False
    if care_request.kind in TEAM_KINDS:
        # The doctor whose patients it opens, or a medical manager; never the candidate.
        if user.pk == care_request.candidate_id:
            return False
        return (user.pk == care_request.doctor_id and care.is_doctor(user)) or _is_medical_manager(user)
    if user.pk == care_request.candidate_id:
        return care.is_doctor(user)
    return care_request.employee is not None and _is_medical_manager_of(user, care_request.employee)


def requests_for(user: User) -> QuerySet[CareRequest]:
    """The requests ``user`` asked, is the candidate of, or may decide as medical manager."""
    if not is_staff_user(user):
        return CareRequest.objects.none()
    mine = Q(requested_by=user) | Q(candidate=user) | Q(doctor=user)
    if _is_medical_manager(user):
        mine |= Q(employee__in=employees_visible_to(user)) | Q(kind__in=TEAM_KINDS)
    return CareRequest.objects.filter(mine).select_related(
        "employee", "doctor", "candidate", "requested_by", "decided_by"
    )


def open_team_requests_of(doctor: User) -> QuerySet[CareRequest]:
    return CareRequest.objects.filter(
        doctor=doctor, kind__in=TEAM_KINDS, status=CareRequest.Status.REQUESTED
    ).select_related("candidate", "requested_by")


def open_request_of(employee: Employee) -> CareRequest | None:
    return (
        CareRequest.objects.filter(employee=employee, status=CareRequest.Status.REQUESTED)
        .select_related("candidate", "requested_by")
        .first()
    )


def _audit(by: User, step: str, care_request: CareRequest) -> None:
    """``step``: requested, request_approved, request_rejected or request_withdrawn."""
    team = care_request.kind in TEAM_KINDS
    log.record(
        by,
        log.Action.UPDATE if care_request.decided_at else log.Action.CREATE,
        f"access.{'doctor_team' if team else 'treating_doctor'}_{step}",
        subject=care_request.employee,
        obj=care_request,
        category="" if team else Category.D,
        data={
            "candidate": care_request.candidate_id,
            "status": care_request.status,
            **({"doctor": care_request.doctor_id, "kind": care_request.kind} if team else {}),
        },
    )


@transaction.atomic
def request_treating_doctor(employee: Employee, candidate: User, *, reason: str, by: User) -> CareRequest:
    """Ask that ``candidate`` becomes the employee's treating doctor. Opens nothing yet."""
    if not may_request_treating_doctor(by, employee):
        raise Http404
    if not candidates_for(employee).filter(pk=candidate.pk).exists():
        raise DomainError(_("Kies een arts van het team van de werkgever."), field="candidate")
    if care.treating_doctor_of(employee) == candidate:
        raise DomainError(_("Deze arts is al de behandelend arts."), field="candidate")
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Geef een reden van minstens %(n)d tekens.") % {"n": MIN_REASON_LENGTH}, field="reason"
        )
    try:
        with transaction.atomic():
            care_request = CareRequest.objects.create(
                employee=employee, candidate=candidate, reason=reason, requested_by=by
            )
    except IntegrityError as error:
        raise DomainError(
            _("Er loopt al een aanvraag voor de behandelend arts van deze werknemer."), field="candidate"
        ) from error
    _audit(by, "requested", care_request)
    return care_request


@transaction.atomic
def request_doctor_team_member(
    doctor: User, member: User, *, kind: str, reason: str, by: User
) -> CareRequest:
    """Ask that ``member`` joins ``doctor``'s team as ``kind``. Opens nothing yet."""
    if not may_request_doctor_team(by, doctor):
        raise Http404
    care.check_doctor_team_member(doctor, member, kind)
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Geef een reden van minstens %(n)d tekens.") % {"n": MIN_REASON_LENGTH}, field="reason"
        )
    try:
        with transaction.atomic():
            care_request = CareRequest.objects.create(
                kind=kind, doctor=doctor, candidate=member, reason=reason, requested_by=by
            )
    except IntegrityError as error:
        raise DomainError(_("Voor deze rol loopt al een aanvraag."), field="member") from error
    _audit(by, "requested", care_request)
    return care_request


def _decide(care_request: CareRequest, status: str, *, by: User, note: str) -> CareRequest:
    locked = (
        CareRequest.objects.select_for_update(of=("self",)).select_related("employee").get(pk=care_request.pk)
    )
    if not may_decide(by, locked):
        raise Http404
    locked.status = status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return locked


@transaction.atomic
def approve_care_request(care_request: CareRequest, *, by: User, note: str = "") -> CareRequest:
    """The candidate accepts (or a medical manager approves): the candidate becomes treating. For
    a doctor's team: the doctor or a medical manager approves, and the role is recorded."""
    decided = _decide(care_request, CareRequest.Status.APPROVED, by=by, note=note)
    if decided.kind in TEAM_KINDS:
        _audit(by, "request_approved", decided)
        doctor = User.objects.get(pk=decided.doctor_id)  # type: ignore[misc]  # set for team kinds (a constraint)
        care.add_doctor_team_member(doctor, decided.candidate, kind=decided.kind, by=by)
        return decided
    employee = decided.employee
    assert employee is not None  # a treating-doctor request names the employee (a constraint)
    if not candidates_for(employee).filter(pk=decided.candidate_id).exists():
        raise DomainError(_("De arts hoort niet meer bij het team van de werkgever."))
    _audit(by, "request_approved", decided)
    care.assign_treating_doctor(employee, decided.candidate, by=by)
    return decided


@transaction.atomic
def reject_care_request(care_request: CareRequest, *, by: User, note: str = "") -> CareRequest:
    decided = _decide(care_request, CareRequest.Status.REJECTED, by=by, note=note)
    _audit(by, "request_rejected", decided)
    return decided


@transaction.atomic
def withdraw_care_request(care_request: CareRequest, *, by: User) -> CareRequest:
    """The one who asked takes the request back."""
    locked = (
        CareRequest.objects.select_for_update(of=("self",)).select_related("employee").get(pk=care_request.pk)
    )
    if locked.requested_by_id != by.pk or locked.status != CareRequest.Status.REQUESTED:
        raise Http404
    locked.status = CareRequest.Status.WITHDRAWN
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(by, "request_withdrawn", locked)
    return locked
