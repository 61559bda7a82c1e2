"""The daily job: raise signals for milestones that fall due soon or are overdue, and notify.

Idempotent and safe to run twice or on two machines at once: a signal is unique per milestone and
kind (database constraint); each is inserted in its own savepoint, and a duplicate insert (a
second run, or a concurrent one that got there first) fails on the constraint and is skipped. Only
the run that created a signal notifies about it, after commit.

Notifications carry no personal or medical content: no names, no case data, only the number of
new signals and a link to the caseload behind the login.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arbo.absence.models import AbsenceCase, Milestone, Signal
from arbo.access.care import treating_doctor_of
from arbo.access.matrix import Category
from arbo.audit import log
from arbo.identity.models import User

#: A milestone signals "due soon" this many days before its (agreed) due date.
DUE_SOON_DAYS = 7


@dataclass
class RunResult:
    created: list[Signal] = field(default_factory=list)
    mails: int = 0


def _recipients(milestone: Milestone) -> list[User]:
    case = milestone.case
    if milestone.owner == Milestone.Owner.DOCTOR:
        doctor = treating_doctor_of(case.employee)
        return [doctor] if doctor else []
    if milestone.owner == Milestone.Owner.CASEMANAGER:
        return [case.casemanager] if case.casemanager else []
    if milestone.owner == Milestone.Owner.EMPLOYER:
        return list(
            User.objects.filter(
                kind=User.Kind.EMPLOYER, is_active=True, employer_memberships__employer=case.employer
            ).distinct()
        )
    employee_user = case.employee.user if case.employee.user_id else None
    if milestone.owner == Milestone.Owner.EMPLOYEE and employee_user is not None:
        return [employee_user] if employee_user.is_active else []
    return []


def raise_signals(today: dt.date) -> RunResult:
    """Create the day's signals and send one content-free e-mail per recipient with new ones."""
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    candidates = (
        Milestone.objects.filter(
            done_on__isnull=True, not_applicable=False, case__status=AbsenceCase.Status.OPEN
        )
        .annotate(effective_due=Coalesce("deviated_due_on", "due_on"))
        .filter(effective_due__lte=horizon)
        .select_related("case", "case__employee", "case__employer", "case__casemanager")
        .order_by("id")
    )
    result = RunResult()
    for milestone in candidates.iterator(chunk_size=500):
        kind = Signal.Kind.OVERDUE if milestone.effective_due < today else Signal.Kind.DUE_SOON
        if kind == Signal.Kind.OVERDUE and not milestone.is_task:
            continue  # the end of wage payment passes; it is not "late"
        try:
            with transaction.atomic():
                signal = Signal.objects.create(milestone=milestone, kind=kind, raised_on=today)
                log.record(
                    None,
                    log.Action.CREATE,
                    "absence.signal_raised",
                    subject=milestone.case.employee,
                    obj=signal,
                    category=Category.A,
                    basis=log.Basis.SYSTEM,
                    data={"milestone": milestone.kind, "kind": kind},
                )
        except IntegrityError:
            continue  # raised before, by an earlier run or a concurrent one
        result.created.append(signal)
    result.mails = _notify(result.created)
    return result


def _notify(signals: list[Signal]) -> int:
    per_user: dict[User, int] = defaultdict(int)
    for signal in signals:
        for user in _recipients(signal.milestone):
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
