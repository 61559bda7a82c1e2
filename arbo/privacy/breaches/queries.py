"""Reads of the breach register. Only the privacy officer reads the register; a reporter reads
back the incidents they reported (without the affected persons)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from arbo.access.policy import is_staff_user
from arbo.audit import log
from arbo.identity.models import User
from arbo.privacy.breaches.models import Breach, BreachAffectedPerson
from arbo.privacy.policies import is_privacy_officer, require_privacy_officer


def breaches_visible_to(user: User) -> QuerySet[Breach]:
    if is_privacy_officer(user):
        return Breach.objects.all()
    if user.is_authenticated and is_staff_user(user):
        return Breach.objects.filter(reported_by=user)
    return Breach.objects.none()


def register(user: User, *, open_only: bool = False) -> QuerySet[Breach]:
    """The register for the list: one query, with the number of linked people."""
    rows = breaches_visible_to(user).select_related("reported_by").annotate(linked=Count("affected"))
    if open_only:
        rows = rows.exclude(status=Breach.Status.CLOSED)
    return rows


def open_counts(now: dt.datetime) -> tuple[int, int]:
    """(open, of which undecided 72 hours after awareness) over all breaches: numbers only, no person
    or content, for the arbodienst's management view (issue 17)."""
    counts = Breach.objects.exclude(status=Breach.Status.CLOSED).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(decided_at__isnull=True, aware_at__lt=now - dt.timedelta(hours=72))),
    )
    return counts["open"], counts["overdue"]


def breach_for_officer(user: User, breach_id: int) -> Breach:
    rows = breaches_visible_to(user).select_related("reported_by", "employer", "assessed_by", "decided_by")
    rows = rows.prefetch_related(
        Prefetch(
            "affected",
            queryset=BreachAffectedPerson.objects.select_related("employee__user").order_by(
                "employee__surname", "id"
            ),
        )
    )
    return get_object_or_404(rows, pk=breach_id)


def breach_for_step(user: User, breach_id: int) -> Breach:
    """The incident the privacy officer works on (404 for anyone else)."""
    require_privacy_officer(user)
    return get_object_or_404(Breach, pk=breach_id)


def letter_to_post(breach: Breach, row_id: int) -> BreachAffectedPerson:
    """One affected person of ``breach`` whose letter still waits to go by post."""
    return get_object_or_404(
        breach.affected.select_related("employee"), pk=row_id, letter_sent_at__isnull=True
    )


# --- The officer's reads, audited ------------------------------------------------------------------


def register_read(user: User) -> None:
    """The officer looked at the register (category A: incidents, no persons)."""
    log.record(user, log.Action.READ, "privacy.breach_register_viewed", category="A")


def breach_read(user: User, breach: Breach, affected: list[BreachAffectedPerson]) -> None:
    """The officer read ``breach`` and saw the names of the people it concerns (category D)."""
    log.record(user, log.Action.READ, "privacy.breach_viewed", obj=breach, category="A")
    if affected:
        log.record_many(
            user,
            log.Action.READ,
            "privacy.breach_affected_viewed",
            [a.employee for a in affected],
            obj=breach,
            category="D",
        )


def ap_form_exported(user: User, breach: Breach, *, fmt: str) -> None:
    log.record(
        user,
        log.Action.EXPORT,
        "privacy.breach_ap_form_exported",
        obj=breach,
        category="A",
        data={"format": fmt},
    )
