"""The daily job: raise signals for milestones that fall due soon or are overdue, and notify.

Idempotent and safe to run twice or on two machines at once: a signal is unique per milestone and
kind (database constraint). Milestones that already have their signal are left out up front; the
rest are inserted in batches with ``ON CONFLICT DO NOTHING``, so a row another run inserted first
is skipped, and ``RETURNING`` tells which rows this run created. Only the run that created a
signal audits and notifies about it, after its batches committed.

Notifications carry no personal or medical content: no names, no case data, only the number of
new signals and a link to the caseload behind the login.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arbo.absence.models import AbsenceCase, Milestone, Signal
from arbo.access.care import treating_doctors_of
from arbo.access.matrix import Category
from arbo.access.policy import exclude_restricted
from arbo.audit import log
from arbo.identity.models import User

#: A milestone signals "due soon" this many days before its (agreed) due date.
DUE_SOON_DAYS = 7
#: Signals inserted (and audited) per transaction.
BATCH_SIZE = 1000


@dataclass
class RunResult:
    created: list[Signal] = field(default_factory=list)
    mails: int = 0


def _employer_users(employer_id: int) -> list[User]:
    return list(
        User.objects.filter(
            kind=User.Kind.EMPLOYER, is_active=True, employer_memberships__employer_id=employer_id
        ).distinct()
    )


def _recipients(
    milestone: Milestone, employer_users: dict[int, list[User]], doctors: dict[int, User]
) -> list[User]:
    """Who carries the milestone; ``employer_users`` caches each employer's users for one run,
    ``doctors`` holds the treating doctor of every employee with a doctor's milestone."""
    case = milestone.case
    if milestone.owner == Milestone.Owner.DOCTOR:
        doctor = doctors.get(case.employee_id)
        return [doctor] if doctor else []
    if milestone.owner == Milestone.Owner.CASEMANAGER:
        return [case.casemanager] if case.casemanager else []
    if milestone.owner == Milestone.Owner.EMPLOYER:
        if case.employer_id not in employer_users:
            employer_users[case.employer_id] = _employer_users(case.employer_id)
        return employer_users[case.employer_id]
    employee_user = case.employee.user if case.employee.user_id else None
    if milestone.owner == Milestone.Owner.EMPLOYEE and employee_user is not None:
        return [employee_user] if employee_user.is_active else []
    return []


def raise_signals(today: dt.date) -> RunResult:
    """Create the day's signals and send one content-free e-mail per recipient with new ones."""
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    raised = Signal.objects.filter(milestone=OuterRef("pk"))
    # A restricted person (AVG art. 18): nothing is done with their file, no signal either.
    candidates = (
        exclude_restricted(
            Milestone.objects.filter(
                done_on__isnull=True, not_applicable=False, case__status=AbsenceCase.Status.OPEN
            )
            .annotate(
                effective_due=Coalesce("deviated_due_on", "due_on"),
                raised_soon=Exists(raised.filter(kind=Signal.Kind.DUE_SOON)),
                raised_overdue=Exists(raised.filter(kind=Signal.Kind.OVERDUE)),
            )
            .filter(effective_due__lte=horizon),
            "case__employee_id",
        )
        .select_related(
            "case", "case__employee", "case__employee__user", "case__employer", "case__casemanager"
        )
        .order_by("id")
    )
    wanted: list[tuple[Milestone, str]] = []
    for milestone in candidates.iterator(chunk_size=2000):
        if milestone.effective_due >= today:
            if not milestone.raised_soon:
                wanted.append((milestone, Signal.Kind.DUE_SOON))
        elif milestone.is_task and not milestone.raised_overdue:
            wanted.append((milestone, Signal.Kind.OVERDUE))  # the end of wage payment is never "late"
    result = RunResult()
    for start in range(0, len(wanted), BATCH_SIZE):
        result.created += _insert(wanted[start : start + BATCH_SIZE], today)
    result.mails = _notify(result.created)
    return result


def _insert(batch: list[tuple[Milestone, str]], today: dt.date) -> list[Signal]:
    """Insert a batch in one transaction and audit what this run created.

    ``ON CONFLICT DO NOTHING`` skips a signal an earlier or concurrent run inserted (a concurrent
    insert of the same row waits for the other transaction and is then skipped); ``RETURNING``
    tells which rows are this run's. PostgreSQL and SQLite (3.35+) both speak this SQL.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("milestone_id", "kind", "raised_on", "created_at"))
    now = timezone.now()
    params: list[Any] = [value for milestone, kind in batch for value in (milestone.pk, kind, today, now)]
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
    # Only quoted identifiers and placeholders are formatted in; the values are parameters.
    table, conflict = quote(Signal._meta.db_table), f"{quote('milestone_id')}, {quote('kind')}"
    sql = f"INSERT INTO {table} ({columns}) VALUES {rows} ON CONFLICT ({conflict}) DO NOTHING RETURNING id, milestone_id, kind"  # noqa: S608, E501
    by_key = {(milestone.pk, kind): milestone for milestone, kind in batch}
    created: list[Signal] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for signal_id, milestone_id, kind in returned:
            milestone = by_key[(milestone_id, kind)]
            created.append(Signal(pk=signal_id, milestone=milestone, kind=kind, raised_on=today))
            groups[(milestone.kind, kind)].append(milestone.case.employee)
        for (milestone_kind, kind), employees in groups.items():
            log.record_many(
                None,
                log.Action.CREATE,
                "absence.signal_raised",
                employees,
                category=Category.A,
                basis=log.Basis.SYSTEM,
                data={"milestone": milestone_kind, "kind": kind},
            )
    return created


def _notify(signals: list[Signal]) -> int:
    per_user: dict[User, int] = defaultdict(int)
    employer_users: dict[int, list[User]] = {}
    # One query for every treating doctor, not one per signal (issue 12).
    doctors = treating_doctors_of(
        s.milestone.case.employee_id for s in signals if s.milestone.owner == Milestone.Owner.DOCTOR
    )
    for signal in signals:
        for user in _recipients(signal.milestone, employer_users, doctors):
            if user.email:
                per_user[user] += 1
    url = settings.SITE_URL + reverse("absence:caseload")
    messages = []
    for user, count in per_user.items():
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Arbodossier: nieuwe signalen in je werkvoorraad")
            body = ngettext(
                "Er staat %(count)d nieuw signaal in je werkvoorraad.",
                "Er staan %(count)d nieuwe signalen in je werkvoorraad.",
                count,
            ) % {"count": count}
            body += "\n\n" + _("Log in om ze te bekijken: %(url)s") % {"url": url}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)
