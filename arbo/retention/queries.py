"""The retention pages' reads of personal data, each audited here (the pages never write the log)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from arbo.audit import log
from arbo.identity.models import User
from arbo.registry.models import Employee, bsn_blind_index
from arbo.registry.validators import normalise_bsn
from arbo.retention import purge
from arbo.retention.domain import can_decide_rule_change
from arbo.retention.models import LegalHold, RuleChange


def dry_run_for(user: User) -> list[dict[str, Any]]:
    """What the next 30 days will destroy, per kind and employer (counts only); the view is audited."""
    rows = purge.dry_run()
    log.record(user, log.Action.READ, "retention.dry_run_viewed", data={"rows": len(rows)})
    return rows


def standing_holds_for(user: User) -> list[LegalHold]:
    """Every hold that stands, with the person it protects; one audit record per person shown."""
    standing = list(
        LegalHold.objects.filter(lifted_at__isnull=True).select_related("employee", "applicant", "placed_by")
    )
    log.record_many(
        user,
        log.Action.READ,
        "retention.holds_viewed",
        [hold.employee or hold.applicant for hold in standing],
    )
    return standing


def employee_by_bsn(bsn: str) -> Employee | None:
    """The person a hold is placed on, found by BSN (the privacy officer's form); the hold itself is
    the audited write."""
    return Employee.objects.filter(bsn_index=bsn_blind_index(normalise_bsn(bsn))).first()


def hold(hold_id: int) -> LegalHold:
    """One hold, for lifting it (the lift is the audited write); 404 when there is none."""
    return get_object_or_404(LegalHold, pk=hold_id)


def changes_to_decide(user: User) -> int:
    """How many schedule changes wait for this user's decision (someone else's requests only)."""
    if not can_decide_rule_change(user):
        return 0
    return RuleChange.objects.filter(status=RuleChange.Status.PENDING).exclude(requested_by=user).count()
