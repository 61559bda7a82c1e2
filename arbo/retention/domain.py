"""Changes to the schedule (four eyes) and legal holds.

The privacy officer asks for a change to a rule (or a new kind) with a reason; it takes effect
only when another privacy officer or a directeur approves it, never the requester (like the
authorisation matrix). Holds are placed and lifted by the privacy officer. Every step is audited;
audit data names the kind and the figures, never the reason or the note (free text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.access.policy import is_staff_user
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.rights import staff_functions
from arbo.identity.roles import StaffFunction
from arbo.lib import four_eyes
from arbo.lib.errors import DomainError
from arbo.registry.models import Applicant, Employee
from arbo.retention.models import Event, LegalHold, RetentionRule, RuleChange

#: The fields of a rule a change may set.
RULE_FIELDS = (
    "label",
    "years",
    "months",
    "days",
    "runs_from",
    "otherwise_from",
    "years_if_persistent",
    "until_age",
)
MAX_YEARS = 100


def is_privacy_officer(user: Any) -> bool:
    """The privacy officer (FG), read from identity: retention sits below the privacy office in the
    layers (``arbo.privacy`` erases through retention's destroyers), so it cannot ask
    ``arbo.privacy.policies``; this is the same predicate."""
    return (
        getattr(user, "is_authenticated", False)
        and is_staff_user(user)
        and StaffFunction.PRIVACY_OFFICER in staff_functions(user)
    )


def can_decide_rule_change(user: Any) -> bool:
    return is_privacy_officer(user) or StaffFunction.DIRECTEUR in staff_functions(user)


def _rule_fields(rule: RetentionRule | None) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in RULE_FIELDS} if rule else {}


def _clean_proposal(proposal: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {"label": str(proposal.get("label") or "").strip()[:200]}
    if not clean["label"]:
        raise DomainError(_("Geef een omschrijving."), field="label")
    for name, limit in (("years", MAX_YEARS), ("months", 11 * 12), ("days", 366)):
        value = proposal.get(name) or 0
        if not isinstance(value, int) or not 0 <= value <= limit:
            raise DomainError(_("Geef een geheel aantal van 0 tot %(max)s.") % {"max": limit}, field=name)
        clean[name] = value
    for name in ("years_if_persistent", "until_age"):
        value = proposal.get(name)
        if value is not None and (not isinstance(value, int) or not 0 <= value <= MAX_YEARS + 50):
            raise DomainError(_("Geef een geheel aantal jaren of laat het leeg."), field=name)
        clean[name] = value
    if proposal.get("runs_from") not in Event.values:
        raise DomainError(_("Kies de gebeurtenis waarvan de termijn loopt."), field="runs_from")
    clean["runs_from"] = proposal["runs_from"]
    otherwise = proposal.get("otherwise_from") or ""
    if otherwise and otherwise not in Event.values:
        raise DomainError(_("Kies een bestaande gebeurtenis of laat het leeg."), field="otherwise_from")
    clean["otherwise_from"] = otherwise
    if not (clean["years"] or clean["months"] or clean["days"]):
        raise DomainError(_("Een bewaartermijn van nul dagen kan niet."), field="years")
    return clean


def request_rule_change(kind: str, proposal: dict[str, Any], *, reason: str, by: User) -> RuleChange:
    """Ask for a change of one kind's rule (or a new kind). Nothing changes until approved."""
    if not is_privacy_officer(by):
        raise DomainError(_("Alleen de functionaris gegevensbescherming kan het bewaarschema wijzigen."))
    kind = (kind or "").strip().lower()
    if not kind or not kind.replace("_", "").isalnum() or len(kind) > 40:
        raise DomainError(_("Geef de soort als korte naam met letters, cijfers en _."), field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden voor de wijziging."), field="reason")
    clean = _clean_proposal(proposal)
    pending = _("Voor deze soort wacht al een wijziging op een besluit.")
    with transaction.atomic():
        previous = _rule_fields(RetentionRule.objects.filter(kind=kind).first())
        if previous == clean:
            raise DomainError(_("Dit is al de regel in het schema."), field="years")
        try:
            with transaction.atomic():
                change = RuleChange.objects.create(
                    kind=kind, proposal=clean, previous=previous, reason=reason, requested_by=by
                )
        except IntegrityError:
            raise DomainError(pending, field="kind") from None
        log.record(
            by, log.Action.CREATE, "retention.rule_change_requested", obj=change, data={"kind": kind, **clean}
        )
    return change


#: A change to the schedule, pending until another decides (arbo.lib.four_eyes).
FLOW = four_eyes.Flow(
    open_status=RuleChange.Status.PENDING,
    approved_status=RuleChange.Status.APPROVED,
    rejected_status=RuleChange.Status.REJECTED,
    already_decided=gettext_lazy("Over deze wijziging is al besloten."),
)


def decide_rule_change(change: RuleChange, *, approve: bool, by: User) -> RuleChange:
    """Approve (the rule changes now) or reject; never by the requester."""
    event = "retention.rule_change_approved" if approve else "retention.rule_change_rejected"

    def refuse(request: RuleChange) -> str | None:
        return four_eyes.refusal(
            request,
            by,
            approve=approve,
            may_decide=can_decide_rule_change(by),
            not_a_decider=_(
                "Alleen een andere functionaris gegevensbescherming of een directeur kan hierover besluiten."
            ),
            own_request=_("Je kunt je eigen wijziging niet goedkeuren: een ander moet dat doen."),
        )

    def apply(locked: RuleChange) -> None:
        RetentionRule.objects.update_or_create(kind=locked.kind, defaults=locked.proposal)

    return four_eyes.decide(
        change,
        by=by,
        approve=approve,
        flow=FLOW,
        refuse=refuse,
        apply=apply,
        record=lambda locked: log.record(
            by, log.Action.UPDATE, event, obj=locked, data={"kind": locked.kind}
        ),
    )


def place_hold(
    *,
    employee: Employee | None = None,
    applicant: Applicant | None = None,
    kind: str = "",
    reason: str,
    note: str = "",
    review_on: dt.date | None,
    by: User,
) -> LegalHold:
    """A legal hold: while it stands, nothing of the person (of ``kind``, or all) is destroyed."""
    if not is_privacy_officer(by):
        raise DomainError(_("Alleen de functionaris gegevensbescherming kan een bewaarplicht vastleggen."))
    if (employee is None) == (applicant is None):
        raise DomainError(_("Kies één werknemer of sollicitant."), field="bsn")
    if reason not in LegalHold.Reason.values:
        raise DomainError(_("Kies een reden."), field="reason")
    if kind and not RetentionRule.objects.filter(kind=kind).exists():
        raise DomainError(
            _("Kies een soort uit het bewaarschema, of laat het leeg voor alles."), field="kind"
        )
    today = timezone.localdate()
    if review_on is None or not today < review_on <= today + dt.timedelta(days=5 * 366):
        raise DomainError(
            _("Kies een datum voor herbeoordeling binnen vijf jaar na vandaag."), field="review_on"
        )
    return record_hold(
        employee=employee,
        applicant=applicant,
        kind=kind,
        reason=reason,
        note=note,
        review_on=review_on,
        by=by,
    )


def record_hold(
    *,
    employee: Employee | None = None,
    applicant: Applicant | None = None,
    kind: str = "",
    reason: str,
    note: str = "",
    review_on: dt.date,
    by: User,
) -> LegalHold:
    """Write a hold and its audit record. The caller has decided that it may: the privacy officer
    through :func:`place_hold`, or a process of the office itself (an erasure request being decided)."""
    with transaction.atomic():
        hold = LegalHold.objects.create(
            employee=employee,
            applicant=applicant,
            kind=kind,
            reason=reason,
            note=(note or "").strip(),
            review_on=review_on,
            placed_by=by,
        )
        log.record(
            by,
            log.Action.CREATE,
            "retention.hold_placed",
            subject=employee or applicant,
            obj=hold,
            data={"kind": kind, "reason": reason, "review_on": review_on.isoformat()},
        )
    return hold


def lift_hold(hold: LegalHold, *, by: User) -> bool:
    """End a hold; returns ``False`` when it was lifted already."""
    if not is_privacy_officer(by):
        raise DomainError(_("Alleen de functionaris gegevensbescherming kan een bewaarplicht opheffen."))
    return end_hold(hold, by=by)


def end_hold(hold: LegalHold, *, by: User) -> bool:
    """Lift a hold and write the audit record (``False`` when it was lifted already); the caller has
    decided that it may, as for :func:`record_hold`."""
    with transaction.atomic():
        lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=by
        )
        if lifted:
            log.record(
                by,
                log.Action.UPDATE,
                "retention.hold_lifted",
                subject=hold.employee or hold.applicant,
                obj=hold,
                data={"kind": hold.kind, "reason": hold.reason},
            )
    return bool(lifted)
