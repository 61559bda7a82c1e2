"""Who sees which complaint: the privacy officer all; a complaints officer the ones they handle;
the complainant their own. Nobody else, so neither the person complained about nor colleagues."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from arbo.access.policy import is_employee_user, is_staff_user
from arbo.audit import log
from arbo.identity.models import User
from arbo.privacy.complaints.models import Complaint
from arbo.privacy.complaints.terms import DUE_SOON_DAYS
from arbo.privacy.policies import is_privacy_officer


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    if is_privacy_officer(user):
        return Complaint.objects.all()
    if user.is_authenticated and is_staff_user(user) and user.is_active:
        return Complaint.objects.filter(handler=user)
    if user.is_authenticated and is_employee_user(user):
        return Complaint.objects.filter(complainant__user=user)
    return Complaint.objects.none()


def may_handle(user: User, complaint: Complaint) -> bool:
    return is_privacy_officer(user) or (complaint.handler_id is not None and complaint.handler_id == user.pk)


def worklist(user: User, *, open_only: bool = True) -> QuerySet[Complaint]:
    rows = complaints_visible_to(user).select_related("complainant", "handler", "about")
    return rows.exclude(status=Complaint.Status.DECIDED) if open_only else rows


def needing_attention(user: User, today: dt.date | None = None) -> QuerySet[Complaint]:
    """Open complaints without a handler, or with the decision date within a week or past."""
    today = today or timezone.localdate()
    return worklist(user).filter(
        Q(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)) | Q(handler__isnull=True)
    )


def open_counts(today: dt.date) -> tuple[int, int]:
    """(open, of which past their decision date) over all complaints: numbers only, no person or
    content, for the arbodienst's management view (issue 17)."""
    counts = Complaint.objects.exclude(status=Complaint.Status.DECIDED).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    return counts["open"], counts["overdue"]


# --- Reads of the pages, audited -------------------------------------------------------------------


def read_worklist(user: User, *, open_only: bool = True) -> list[Complaint]:
    """:func:`worklist` as a list; the complainants' names read are audited (category D)."""
    rows = list(worklist(user, open_only=open_only))
    if rows:
        log.record_many(
            user,
            log.Action.READ,
            "privacy.complaints_listed",
            [c.complainant for c in rows if c.complainant is not None],
            category="D",
        )
    return rows


def complaint_read(user: User, complaint: Complaint, *, handles: bool) -> None:
    """A handler read the complaint (B and D); the complainant read their own (D, self)."""
    log.record(
        user,
        log.Action.READ,
        "privacy.complaint_viewed",
        subject=complaint.complainant,
        obj=complaint,
        category="BD" if handles else "D",
        basis=log.Basis.AUTHORISATION if handles else log.Basis.SELF,
    )
