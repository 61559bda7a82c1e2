"""Writes on care relationships and break-the-glass. Each writes its audit record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.matrix import Category
from arbo.access.models_care import (
    EMERGENCY_ACCESS_MAX,
    EMERGENCY_ACCESSES_PER_DAY,
    WIDENING_MAX,
    WIDENING_MAX_USES,
    CareRelationship,
    DoctorTeamMember,
    EmergencyAccess,
    EmergencyWidening,
)
from arbo.access.policy import is_doctor as is_doctor
from arbo.access.policy import is_staff_user, served_employer_ids
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.rights import DERIVED_SECRECY_FUNCTIONS, holders_of, staff_functions, staff_holding
from arbo.identity.roles import DOCTOR_FUNCTIONS, StaffFunction
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee

MIN_REASON_LENGTH = 20
MAX_CONSULTATION = timedelta(days=30)


def doctors() -> QuerySet[User]:
    """Active staff members holding a doctor function (as every check counts it)."""
    return holders_of(DOCTOR_FUNCTIONS).order_by("last_name")


def treating_doctor_of(employee: Employee) -> User | None:
    relation = (
        CareRelationship.objects.current()
        .filter(employee=employee, kind=CareRelationship.Kind.TREATING_DOCTOR)
        .select_related("user")
        .first()
    )
    return relation.user if relation else None


def treating_doctors_of(employee_ids: Iterable[int]) -> dict[int, User]:
    """:func:`treating_doctor_of` for many employees in one query: employee id → doctor."""
    doctors: dict[int, User] = {}
    relations = (
        CareRelationship.objects.current()
        .filter(employee_id__in=set(employee_ids), kind=CareRelationship.Kind.TREATING_DOCTOR)
        .select_related("user")
        .order_by("pk")  # the first, as treating_doctor_of's .first()
    )
    for relation in relations:
        doctors.setdefault(relation.employee_id, relation.user)
    return doctors


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
def assign_treating_doctor(employee: Employee, doctor: User, *, by: User) -> CareRelationship:
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
        data={"colleague": colleague.pk, "days": days},
    )
    return relation


@transaction.atomic
def assign_case_handler(employee: Employee, handler: User, *, by: User) -> CareRelationship:
    """Assign ``handler`` (a casemanager) to the employee's absence; ends the previous assignment.

    The relationship opens the employee to the handler even outside the employer's team; what the
    handler may read on top is still the matrix (a casemanager has no category C).
    """
    if not is_staff_user(handler) or not handler.is_active:
        raise DomainError(_("Kies een medewerker van de arbodienst."), field="casemanager")
    relation = _hand_over(employee, handler, CareRelationship.Kind.CASE_HANDLER, by=by)
    log.record(
        by,
        log.Action.UPDATE,
        "access.case_handler_assigned",
        subject=employee,
        obj=relation,
        category=Category.A,
        data={"handler": handler.pk},
    )
    return relation


def check_doctor_team_member(doctor: User, member: User, kind: str) -> None:
    """Raise unless ``member`` may hold ``kind`` in ``doctor``'s team: a fixed substitute is a
    doctor, someone under the doctor's responsibility holds a derived-secrecy function (which counts
    only with its signed declaration)."""
    if not is_doctor(doctor):
        raise DomainError(_("Alleen een arts heeft een artsenteam."), field="doctor")
    if kind == DoctorTeamMember.Kind.SUBSTITUTE and not is_doctor(member):
        raise DomainError(_("Een vaste vervanger is zelf arts."), field="member")
    if kind == DoctorTeamMember.Kind.DELEGATE and not staff_functions(member) & DERIVED_SECRECY_FUNCTIONS:
        raise DomainError(
            _(
                "Onder verantwoordelijkheid van de arts werkt alleen een casemanager taakdelegatie, POB of "
                "verzuimmedewerker met afgeleid beroepsgeheim, met getekende verklaring."
            ),
            field="member",
        )
    if kind not in DoctorTeamMember.Kind.values or member == doctor:
        raise DomainError(_("Kies een andere medewerker of rol."), field="member")
    if (
        DoctorTeamMember.objects.filter(doctor=doctor, member=member, kind=kind)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
        .exists()
    ):
        raise DomainError(_("Deze medewerker staat al zo in het team van de arts."), field="member")


@transaction.atomic
def add_doctor_team_member(doctor: User, member: User, *, kind: str, by: User) -> DoctorTeamMember:
    """Record a doctor's fixed substitute (a doctor) or someone working under the doctor's
    responsibility (:func:`check_doctor_team_member`). They share the doctor's treatment
    relationships, so category C: only on an approved request (four eyes: called by
    ``care_requests.approve_care_request``; ``by`` is who approved), audited, ended by
    :func:`end_doctor_team_member`, listed in the access review."""
    check_doctor_team_member(doctor, member, kind)
    today = timezone.localdate()
    team_member = (
        DoctorTeamMember.objects.select_for_update().filter(doctor=doctor, member=member, kind=kind).first()
    )
    if team_member is not None and (team_member.ends_on is None or team_member.ends_on >= today):
        raise DomainError(_("Deze medewerker staat al zo in het team van de arts."), field="member")
    if team_member is None:
        team_member = DoctorTeamMember.objects.create(
            doctor=doctor, member=member, kind=kind, starts_on=today
        )
    else:
        team_member.starts_on, team_member.ends_on = today, None
        team_member.save(update_fields=["starts_on", "ends_on"])
    log.record(
        by,
        log.Action.UPDATE,
        "access.doctor_team_member_added",
        obj=team_member,
        data={"doctor": doctor.pk, "member": member.pk, "kind": kind},
    )
    return team_member


@transaction.atomic
def end_doctor_team_member(team_member: DoctorTeamMember, *, by: User) -> DoctorTeamMember:
    """End a doctor-team role today (its access to the doctor's patients ends tonight)."""
    if not by.is_user_admin:
        raise DomainError(_("Alleen de applicatiebeheerder legt het team van een arts vast."))
    team_member = DoctorTeamMember.objects.select_for_update().get(pk=team_member.pk)
    team_member.ends_on = timezone.localdate()
    team_member.save(update_fields=["ends_on"])
    log.record(
        by,
        log.Action.UPDATE,
        "access.doctor_team_member_ended",
        obj=team_member,
        data={"doctor": team_member.doctor_id, "member": team_member.member_id, "kind": team_member.kind},
    )
    return team_member


def _within_own_teams(doctor: User, employee: Employee) -> bool:
    return Employee.objects.filter(
        pk=employee.pk, employments__employer__in=served_employer_ids(doctor)
    ).exists()


def active_widening(doctor: User) -> EmergencyWidening | None:
    """The doctor's current widening with uses left, if any (the oldest first: it ends first)."""
    now = timezone.now()
    for widening in (
        EmergencyWidening.objects.filter(doctor=doctor, starts_at__lte=now, ends_at__gt=now)
        .annotate(used=Count("accesses"))
        .order_by("ends_at")
    ):
        if widening.used < widening.max_uses:  # type: ignore[attr-defined]  # annotated
            return widening
    return None


@transaction.atomic
def break_the_glass(employee: Employee, *, reason: str, by: User) -> EmergencyAccess:
    """Open ``employee``'s file to a doctor outside their relationships for at most three hours.

    Limits (issue 9): only employees of employers the doctor's teams serve, unless a medical manager
    widened it (:func:`widen_break_the_glass`; one use of it); at most
    :data:`EMERGENCY_ACCESSES_PER_DAY` per doctor in 24 hours. The access is marked in every audit
    record it produces (basis "emergency"), lands on the privacy officer's review list and shows in
    the employee's "who saw my file" with its reason and, once reviewed, the verdict.
    """
    if not is_doctor(by):
        raise DomainError(_("Alleen artsen kunnen noodtoegang gebruiken."))
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Geef een reden van minstens %(n)d tekens.") % {"n": MIN_REASON_LENGTH}, field="reason"
        )
    now = timezone.now()
    # Serialise one doctor's attempts, so two at once cannot both pass the count.
    User.objects.select_for_update().filter(pk=by.pk).first()
    recent = EmergencyAccess.objects.filter(user=by, started_at__gt=now - timedelta(hours=24)).count()
    if recent >= EMERGENCY_ACCESSES_PER_DAY:
        raise DomainError(
            _("Je hebt in 24 uur al %(n)d keer noodtoegang gebruikt; vraag de medisch manager.")
            % {"n": EMERGENCY_ACCESSES_PER_DAY}
        )
    widening = None
    if not _within_own_teams(by, employee):
        widening = active_widening(by)
        if widening is None:
            raise DomainError(
                _(
                    "Deze werknemer valt buiten de werkgevers van je teams. Noodtoegang daarbuiten "
                    "kan alleen met toestemming van de medisch manager."
                )
            )
    access = EmergencyAccess.objects.create(
        user=by,
        employee=employee,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + EMERGENCY_ACCESS_MAX,
        widening=widening,
    )
    log.record(
        by,
        log.Action.EXECUTE,
        "access.break_the_glass",
        subject=employee,
        obj=access,
        basis=log.Basis.EMERGENCY,
        data={"expires_at": access.expires_at.isoformat(), "widened": widening is not None},
    )
    return access


@transaction.atomic
def widen_break_the_glass(
    doctor: User,
    *,
    days: int,
    max_uses: int,
    reason: str,
    by: User,
) -> EmergencyWidening:
    """A medical manager lets ``doctor`` break the glass outside the doctor's teams' employers for
    ``days`` days (1–7) and ``max_uses`` uses (1–5). Never for oneself."""
    if not staff_holding(by, StaffFunction.MEDISCH_MANAGER):
        raise DomainError(_("Alleen de medisch manager kan noodtoegang verruimen."))
    if not is_doctor(doctor) or doctor == by:
        raise DomainError(_("Kies een andere arts."), field="doctor")
    duration = timedelta(days=days)
    if not timedelta(0) < duration <= WIDENING_MAX:
        raise DomainError(_("Een verruiming duurt 1 tot 7 dagen."), field="days")
    if not 1 <= max_uses <= WIDENING_MAX_USES:
        raise DomainError(
            _("Een verruiming geldt 1 tot %(n)d keer.") % {"n": WIDENING_MAX_USES}, field="max_uses"
        )
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Geef een reden van minstens %(n)d tekens.") % {"n": MIN_REASON_LENGTH}, field="reason"
        )
    now = timezone.now()
    widening = EmergencyWidening.objects.create(
        doctor=doctor,
        granted_by=by,
        reason=reason.strip(),
        starts_at=now,
        ends_at=now + duration,
        max_uses=max_uses,
    )
    log.record(
        by,
        log.Action.CREATE,
        "access.break_the_glass_widened",
        obj=widening,
        data={"doctor": doctor.pk, "days": days, "max_uses": max_uses},
    )
    return widening


@transaction.atomic
def review_emergency_access(access: EmergencyAccess, *, verdict: str, note: str, by: User) -> EmergencyAccess:
    """The privacy officer's verdict on one break-the-glass access: justified or not (with a note)."""
    if verdict not in EmergencyAccess.Verdict.values:
        raise DomainError(_("Kies een oordeel: terecht of onterecht."), field="verdict")
    note = note.strip()
    if verdict == EmergencyAccess.Verdict.UNJUSTIFIED and not note:
        raise DomainError(_("Licht toe waarom de noodtoegang onterecht was."), field="note")
    access = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
    if access.reviewed_at is not None:
        raise DomainError(_("Deze noodtoegang is al beoordeeld."))
    access.reviewed_by = by
    access.reviewed_at = timezone.now()
    access.verdict = verdict
    access.review_note = note[:2000]
    access.save(update_fields=["reviewed_by", "reviewed_at", "verdict", "review_note"])
    log.record(
        by,
        log.Action.UPDATE,
        "access.emergency_access_reviewed",
        subject=access.employee,
        obj=access,
        data={"verdict": verdict},
    )
    return access


def record_break_the_glass_not_found(by: User) -> None:
    """A doctor tried emergency access with a BSN of nobody known: refused, and audited as such."""
    log.record(
        by,
        log.Action.EXECUTE,
        "access.break_the_glass_not_found",
        basis=log.Basis.EMERGENCY,
        outcome=log.Outcome.DENIED,
    )
