"""Writes on accounts and on the rights that come with them (seed 000 §7, seed 003 §6).

The authorisation lifecycle:

- a staff member reaches personal data only with a recorded, signed confidentiality declaration
  (:func:`record_declaration`; enforced in ``arbo.access.policy.staff_functions``);
- a function is granted per person on a manager's request (:func:`request_function`) and counts
  only once an applicatiebeheerder or directeur who is neither the requester nor that person has
  approved it (:func:`approve_function`), and only between its dates;
- it ends on its end date, when revoked (:func:`revoke_function`), when the account is blocked
  (:func:`deactivate_user`) and on the person's last working day (:func:`offboard_user`; the day
  after, ``manage.py end_leavers`` blocks the account).

Every write is audited next to the change. Audit data names accounts, functions and dates, never a
reason: free text may mention people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.audit import log
from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User

# Who may request, decide on and review functions: defined with the one definition of a user's
# functions (identity.rights) and re-exported by access.policy (issue 10); here by name.
from arbo.identity.rights import (
    ACCESS_REVIEWERS as ACCESS_REVIEWERS,
)
from arbo.identity.rights import (
    FUNCTION_DECIDERS as FUNCTION_DECIDERS,
)
from arbo.identity.rights import (
    FUNCTION_REQUESTERS as FUNCTION_REQUESTERS,
)
from arbo.identity.rights import MANAGERS as MANAGERS
from arbo.identity.rights import can_decide_functions as can_decide_functions
from arbo.identity.rights import can_request_functions as can_request_functions
from arbo.identity.rights import can_review_access as can_review_access
from arbo.identity.rights import can_see_staff_accounts as can_see_staff_accounts
from arbo.identity.roles import StaffFunction
from arbo.lib import four_eyes
from arbo.lib.errors import DomainError

Status = FunctionAssignment.Status


def _basis(by: User | None) -> str:
    return log.Basis.SYSTEM if by is None else log.Basis.AUTHORISATION


def _forget(user: Any) -> None:
    if isinstance(user, User):
        user.forget_rights()


def _assignment_data(assignment: FunctionAssignment) -> dict[str, Any]:
    return {
        "user_id": assignment.user_id,
        "function": assignment.function,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": assignment.ends_on.isoformat() if assignment.ends_on else None,
    }


# --- Accounts ------------------------------------------------------------------------------------


def deactivate_user(user: User, *, by: User | None) -> bool:
    """Block the account, end its rights and every session it has, on every device.

    Returns ``False`` (and changes nothing) when the account was blocked already: the block is a
    conditional update, so two processes blocking the same account write one audit record.
    ``by`` is ``None`` for the system (``manage.py end_leavers``).

    The row stays (audit records point at it). Two mechanisms log the account out everywhere:
    every session allauth tracks for it (``allauth.usersessions``, one row per logged-in device) is
    deleted from the session store, whatever the session backend; and ``is_active`` false makes
    the authentication backend refuse the account on its next request even for a session that was
    somehow not tracked. Approved functions that have not ended are revoked (ending today) and open
    requests rejected, so a blocked account keeps no rights should it ever be unblocked.
    """
    with transaction.atomic():
        now = timezone.now()
        blocked = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False, deactivated_at=now)
        user.is_active = False
        if not blocked:
            return False
        user.deactivated_at = now
        rights = _end_functions(user, today=timezone.localdate(), by=by, reason=_("Account geblokkeerd."))
        ended = end_sessions(user)
        _forget(user)
        log.record(
            by,
            log.Action.UPDATE,
            "identity.user_deactivated",
            basis=_basis(by),
            data={"user_id": user.pk, "sessions_ended": ended, **rights},
        )
    return True


def end_sessions(user: User) -> int:
    """Log ``user`` out on every device; returns how many sessions were ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended


@transaction.atomic
def reset_mfa(user: User, *, by: User) -> None:
    """Remove the account's second factors (lost phone) and log it out everywhere.

    On the next login the password is enough to reach TOTP enrolment (``RequireMFAMiddleware``),
    exactly as on the very first login, so only do this after checking who asked for it.
    """
    types = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    Authenticator.objects.filter(user=user).delete()
    ended = end_sessions(user)
    log.record(
        by,
        log.Action.DELETE,
        "identity.mfa_reset_by_admin",
        data={"user_id": user.pk, "authenticators": types, "sessions_ended": ended},
    )


# --- Confidentiality declarations ----------------------------------------------------------------


def record_declaration(
    user: User,
    *,
    signed_on: dt.date,
    version: str,
    by: User,
    kind: str = ConfidentialityDeclaration.Kind.GENERAL,
) -> ConfidentialityDeclaration:
    """Record that ``user`` signed the declaration ``version`` of ``kind`` on ``signed_on``: the
    general confidentiality declaration, or the derived-secrecy one (``arbo.identity.rights``)."""
    if not by.is_user_admin:
        raise DomainError(_("Alleen de applicatiebeheerder kan een geheimhoudingsverklaring vastleggen."))
    if user.pk == by.pk:
        raise DomainError(_("Je kunt dit niet bij je eigen account doen."))
    if user.kind != User.Kind.STAFF:
        raise DomainError(_("Een geheimhoudingsverklaring is er alleen voor medewerkers van de arbodienst."))
    if kind not in ConfidentialityDeclaration.Kind.values:
        raise DomainError(_("Kies de soort verklaring."), field="kind")
    if signed_on > timezone.localdate():
        raise DomainError(_("De datum van ondertekening ligt in de toekomst."), field="signed_on")
    version = (version or "").strip()
    if not version:
        raise DomainError(_("Vul de versie van de verklaring in."), field="version")
    with transaction.atomic():
        declaration = ConfidentialityDeclaration.objects.create(
            user=user, kind=kind, signed_on=signed_on, version=version, recorded_by=by
        )
        log.record(
            by,
            log.Action.CREATE,
            "identity.declaration_recorded",
            obj=declaration,
            data={"user_id": user.pk, "kind": kind, "signed_on": signed_on.isoformat(), "version": version},
        )
    _forget(user)
    return declaration


# --- Function requests and decisions -------------------------------------------------------------


def request_function(
    user: User,
    function: str,
    *,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    reason: str,
    by: User,
) -> FunctionAssignment:
    """Ask for ``function`` for ``user`` (one person). Nothing changes until :func:`approve_function`.

    An end date after the person's last working day is brought back to that day.
    """
    if not can_request_functions(by):
        raise DomainError(_("Alleen een leidinggevende of de applicatiebeheerder kan een functie aanvragen."))
    if user.kind != User.Kind.STAFF or not user.is_active:
        raise DomainError(_("Een functie kan alleen worden aangevraagd voor een actieve medewerker."))
    if function not in StaffFunction.values:
        raise DomainError(_("Kies een bestaande functie."), field="function")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden voor de aanvraag."), field="reason")
    today = timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("De einddatum ligt vóór de ingangsdatum."), field="ends_on")
    if ends_on is not None and ends_on < today:
        raise DomainError(_("De einddatum ligt in het verleden."), field="ends_on")
    if user.leaves_on is not None:
        if starts_on > user.leaves_on:
            raise DomainError(
                _("De ingangsdatum ligt na de laatste werkdag (%(date)s).") % {"date": _date(user.leaves_on)},
                field="starts_on",
            )
        if ends_on is None or ends_on > user.leaves_on:
            ends_on = user.leaves_on
    open_request = _("Voor deze functie loopt al een aanvraag.")
    with transaction.atomic():
        overlapping = FunctionAssignment.objects.filter(
            user=user, function=function, status=Status.APPROVED
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            raise DomainError(
                _("Deze medewerker heeft deze functie al in (een deel van) die periode."), field="function"
            )
        if FunctionAssignment.objects.filter(user=user, function=function, status=Status.REQUESTED).exists():
            raise DomainError(open_request, field="function")
        try:
            with transaction.atomic():  # a concurrent request for the same function: one wins
                assignment = FunctionAssignment.objects.create(
                    user=user,
                    function=function,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    status=Status.REQUESTED,
                    requested_by=by,
                    request_reason=reason,
                )
        except IntegrityError:
            raise DomainError(open_request, field="function") from None
        log.record(
            by,
            log.Action.CREATE,
            "identity.function_requested",
            obj=assignment,
            data=_assignment_data(assignment),
        )
    return assignment


#: A function request, open until someone else decides (arbo.lib.four_eyes).
FLOW = four_eyes.Flow(
    open_status=Status.REQUESTED,
    approved_status=Status.APPROVED,
    rejected_status=Status.REJECTED,
    already_decided=gettext_lazy("Over deze aanvraag is al besloten."),
)


def _refusal_recorder(assignment: FunctionAssignment, by: User, event: str) -> Any:
    """Log the refused decision (outside the refused transaction, so the record stays)."""

    def record_refusal(_message: str) -> None:
        log.record(
            by,
            log.Action.UPDATE,
            event,
            obj=assignment,
            outcome=log.Outcome.DENIED,
            data=_assignment_data(assignment),
        )

    return record_refusal


def _approval_refusal(assignment: FunctionAssignment, by: User) -> str | None:
    message = four_eyes.refusal(
        assignment,
        by,
        approve=True,
        may_decide=can_decide_functions(by),
        not_a_decider=_("Alleen de applicatiebeheerder of een directeur kan een functie goedkeuren."),
        own_request=_("Je kunt je eigen aanvraag niet goedkeuren: iemand anders moet dat doen."),
    )
    if message is None and assignment.user_id == by.pk:
        return _("Je kunt geen functie voor jezelf goedkeuren: iemand anders moet dat doen.")
    return message


def _copy_state(target: FunctionAssignment, source: FunctionAssignment) -> None:
    for field in (
        "status",
        "ends_on",
        "decided_by_id",
        "decided_at",
        "revoked_by_id",
        "revoked_at",
        "revoke_reason",
    ):
        setattr(target, field, getattr(source, field))


def _record(by: User, event: str) -> Any:
    return lambda locked: log.record(by, log.Action.UPDATE, event, obj=locked, data=_assignment_data(locked))


def approve_function(assignment: FunctionAssignment, *, by: User) -> FunctionAssignment:
    """Approve a request (four eyes: not the requester, not the person): it counts from now on."""
    event = "identity.function_approved"

    def apply(locked: FunctionAssignment) -> None:
        person = User.objects.get(pk=locked.user_id)
        if not person.is_active:
            raise DomainError(_("Dit account is geblokkeerd; wijs de aanvraag af."))
        if locked.ends_on is not None and locked.ends_on < timezone.localdate():
            raise DomainError(_("De periode van deze aanvraag is al voorbij; wijs de aanvraag af."))

    locked = four_eyes.decide(
        assignment,
        by=by,
        approve=True,
        flow=FLOW,
        refuse=lambda request: _approval_refusal(request, by),
        on_refused=_refusal_recorder(assignment, by, event),
        apply=apply,
        record=_record(by, event),
    )
    _copy_state(assignment, locked)
    _forget(assignment._state.fields_cache.get("user"))
    return locked


def reject_function(assignment: FunctionAssignment, *, by: User) -> FunctionAssignment:
    """Reject a request; the requester may withdraw their own this way."""
    event = "identity.function_rejected"

    def refuse(request: FunctionAssignment) -> str | None:
        if can_decide_functions(by) or request.requested_by_id == by.pk:
            return None
        return _("Alleen de applicatiebeheerder of een directeur kan een aanvraag afwijzen.")

    locked = four_eyes.decide(
        assignment,
        by=by,
        approve=False,
        flow=FLOW,
        refuse=refuse,
        on_refused=_refusal_recorder(assignment, by, event),
        record=_record(by, event),
    )
    _copy_state(assignment, locked)
    return locked


def revoke_function(assignment: FunctionAssignment, *, by: User, reason: str) -> FunctionAssignment:
    """Withdraw an approved function now: it ends today and no longer counts."""
    event = "identity.function_revoked"
    if not can_decide_functions(by):
        message = _("Alleen de applicatiebeheerder of een directeur kan een functie intrekken.")
        _refusal_recorder(assignment, by, event)(message)
        raise DomainError(message)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden voor het intrekken."), field="reason")
    today = timezone.localdate()
    with transaction.atomic():
        locked = FunctionAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != Status.APPROVED or (locked.ends_on is not None and locked.ends_on < today):
            raise DomainError(_("Deze functie is niet (meer) van kracht."))
        locked.status = Status.REVOKED
        locked.ends_on = max(today, locked.starts_on)
        locked.revoked_by = by
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason
        locked.save(update_fields=["status", "ends_on", "revoked_by", "revoked_at", "revoke_reason"])
        log.record(by, log.Action.UPDATE, event, obj=locked, data=_assignment_data(locked))
    _copy_state(assignment, locked)
    _forget(assignment._state.fields_cache.get("user"))
    return locked


def _end_functions(user: User, *, today: dt.date, by: User | None, reason: str) -> dict[str, int]:
    """Revoke ``user``'s approved functions that have not ended (ending today) and reject open
    requests. Conditional updates: a second run finds nothing left to end."""
    now = timezone.now()
    live = FunctionAssignment.objects.filter(user=user, status=Status.APPROVED).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    revoked = 0
    for rows, ends_on in (
        (live.filter(starts_on__lte=today), today),
        (live.filter(starts_on__gt=today), F("starts_on")),
    ):
        revoked += rows.update(
            status=Status.REVOKED, ends_on=ends_on, revoked_by=by, revoked_at=now, revoke_reason=reason
        )
    rejected = FunctionAssignment.objects.filter(user=user, status=Status.REQUESTED).update(
        status=Status.REJECTED, decided_by=by, decided_at=now
    )
    return {"functions_revoked": revoked, "requests_rejected": rejected}


# --- Leaving -------------------------------------------------------------------------------------


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (local time): a relationship ending on ``day`` ends here."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _end_relationships(user: User, leaves_on: dt.date, *, by: User | None) -> dict[str, int]:
    """End on ``leaves_on`` every function, team membership, doctor-team role and care relationship
    of ``user`` that runs past it. Conditional updates: running it again changes nothing."""
    from arbo.access.models_care import CareRelationship, DoctorTeamMember  # noqa: PLC0415 — identity sits below access (offboarding ends its relationships)
    from arbo.registry.models import TeamMembership  # noqa: PLC0415 — identity sits below the registry (offboarding ends team memberships)

    now = timezone.now()
    past = Q(ends_on__isnull=True) | Q(ends_on__gt=leaves_on)
    live = FunctionAssignment.objects.filter(
        user=user, status__in=[Status.REQUESTED, Status.APPROVED]
    ).filter(past)
    functions = live.filter(starts_on__lte=leaves_on).update(ends_on=leaves_on)
    # Rows that would only start after the last working day never take effect.
    functions += live.filter(starts_on__gt=leaves_on, status=Status.REQUESTED).update(
        status=Status.REJECTED, decided_by=by, decided_at=now
    )
    functions += live.filter(starts_on__gt=leaves_on, status=Status.APPROVED).update(
        status=Status.REVOKED, revoked_by=by, revoked_at=now, revoke_reason=_("Uit dienst.")
    )
    teams = TeamMembership.objects.filter(user=user).filter(past).update(ends_on=leaves_on)
    doctor_team = (
        DoctorTeamMember.objects.filter(Q(member=user) | Q(doctor=user))
        .filter(past)
        .update(ends_on=leaves_on)
    )
    cutoff = _end_of(leaves_on)
    care = list(
        CareRelationship.objects.filter(user=user).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=cutoff))
    )
    for relation in care:
        # One that began after the last working day (it should not exist) ends now, or just after it began.
        relation.ends_at = (
            cutoff
            if relation.starts_at < cutoff
            else max(now, relation.starts_at + dt.timedelta(microseconds=1))
        )
    CareRelationship.objects.bulk_update(care, ["ends_at"])
    return {
        "functions": functions,
        "teams": teams,
        "doctor_team": doctor_team,
        "care_relationships": len(care),
    }


def offboard_user(user: User, *, leaves_on: dt.date, by: User | None) -> dict[str, int]:
    """Record ``user``'s last working day and end every right on it.

    Functions, team memberships (the employers served), doctor-team roles (both sides) and care
    relationships end on ``leaves_on``; the day after, ``manage.py end_leavers`` blocks the account
    (at once when that day has passed already). A leaving date can be brought forward, not moved
    later: rights that were ended are not restored. Returns how many rows were ended, per kind.
    """
    if by is not None and not by.is_user_admin:
        raise DomainError(_("Alleen de applicatiebeheerder kan een laatste werkdag vastleggen."))
    if by is not None and by.pk == user.pk:
        raise DomainError(_("Je kunt dit niet bij je eigen account doen."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.leaves_on is not None and leaves_on > locked.leaves_on:
            raise DomainError(
                _(
                    "De laatste werkdag is al vastgelegd op %(date)s. Een latere datum herstelt geen "
                    "beëindigde rechten: vraag die zo nodig opnieuw aan."
                )
                % {"date": _date(locked.leaves_on)},
                field="leaves_on",
            )
        locked.leaves_on = user.leaves_on = leaves_on
        locked.save(update_fields=["leaves_on"])
        ended = _end_relationships(locked, leaves_on, by=by)
        _forget(user)
        log.record(
            by,
            log.Action.UPDATE,
            "identity.user_offboarded",
            basis=_basis(by),
            data={"user_id": user.pk, "leaves_on": leaves_on.isoformat(), **ended},
        )
        if leaves_on < timezone.localdate() and locked.is_active:
            deactivate_user(user, by=by)
    return ended


def end_leavers(*, today: dt.date | None = None) -> list[int]:
    """Block every active account whose last working day has passed; returns their ids.

    Meant for a daily cron and safe to run twice or on two machines at once: each account is
    claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL) and blocked with a conditional
    update, so one run does it and the others find nothing to do.
    """
    today = today or timezone.localdate()
    blocked = []
    candidates = User.objects.filter(is_active=True, leaves_on__lt=today).order_by("pk")
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            user = candidates.select_for_update(skip_locked=True).filter(pk=pk).first()
            if user is None or user.leaves_on is None:
                continue
            ended = _end_relationships(user, user.leaves_on, by=None)  # whatever was added since
            if any(ended.values()):
                log.record(
                    None,
                    log.Action.UPDATE,
                    "identity.leaver_rights_ended",
                    basis=log.Basis.SYSTEM,
                    data={"user_id": pk, "leaves_on": user.leaves_on.isoformat(), **ended},
                )
            if deactivate_user(user, by=None):
                blocked.append(pk)
    return blocked


def _date(day: dt.date) -> str:

    return date_format(day, "j F Y")
