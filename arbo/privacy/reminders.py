"""The privacy office's reminders: plain, idempotent functions the scheduled tasks call.

- :func:`raise_breach_signals` (hourly): an incident without a decision 24 and 48 hours after
  awareness gets a signal, and one more when the 72 hours have passed.
- :func:`raise_complaint_signals` (daily): complaints near or past their decision date.

A signal is unique per object and kind (database constraint), so a second run, or two machines
at once, change nothing. The privacy officers get an e-mail that only says how many new signals
wait behind the login: no incident, no name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.rights import holders_of
from arbo.identity.roles import StaffFunction
from arbo.privacy.breaches.clock import TERM
from arbo.privacy.breaches.models import Breach, BreachSignal
from arbo.privacy.complaints.models import Complaint, ComplaintSignal
from arbo.privacy.complaints.terms import DUE_SOON_DAYS

BREACH_SIGNALS = (
    (BreachSignal.Kind.AFTER_24H, dt.timedelta(hours=24)),
    (BreachSignal.Kind.AFTER_48H, dt.timedelta(hours=48)),
    (BreachSignal.Kind.OVERDUE, TERM),
)


def raise_breach_signals(now: dt.datetime | None = None) -> int:
    """Signal open incidents without a decision at 24 h, 48 h and past 72 h; returns how many new."""
    now = now or timezone.now()
    undecided = Breach.objects.filter(decided_at__isnull=True).exclude(status=Breach.Status.CLOSED)
    created = 0
    for kind, after in BREACH_SIGNALS:
        due = undecided.filter(aware_at__lte=now - after).exclude(signals__kind=kind)
        created += _create(BreachSignal(breach=breach, kind=kind, raised_at=now) for breach in due.only("id"))
    if created:
        _notify_officers(created)
    return created


def _create(signals: Iterable[Any]) -> int:
    """Insert each signal unless another run did first; audit the ones this run created."""
    count = 0
    for signal in signals:
        try:
            with transaction.atomic():
                signal.save()
                log.record(
                    None,
                    log.Action.CREATE,
                    f"privacy.{signal._meta.model_name}_raised",
                    obj=signal,
                    basis=log.Basis.SYSTEM,
                    data={"kind": signal.kind},
                )
        except IntegrityError:
            continue
        count += 1
    return count


def privacy_officers() -> list[User]:
    return list(holders_of({StaffFunction.PRIVACY_OFFICER}))


def _notify_officers(count: int) -> None:
    recipients = [u.email for u in privacy_officers() if u.email]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Arbodossier: nieuwe signalen voor de privacy officer")
        body = ngettext(
            "Er staat %(count)d nieuw signaal klaar. Bekijk het na het inloggen: %(url)s",
            "Er staan %(count)d nieuwe signalen klaar. Bekijk ze na het inloggen: %(url)s",
            count,
        ) % {"count": count, "url": reverse("privacy:home")}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def raise_complaint_signals(today: dt.date | None = None) -> int:
    """Signal open complaints whose decision date is within a week, or past; returns how many new.

    A signal belongs to one decision date: an extension makes new signals possible for the new date.
    """
    today = today or timezone.localdate()
    open_ = Complaint.objects.exclude(status=Complaint.Status.DECIDED)
    now = timezone.now()
    soon = open_.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    overdue = open_.filter(due_on__lt=today)
    created = 0
    for kind, rows in ((ComplaintSignal.Kind.DUE_SOON, soon), (ComplaintSignal.Kind.OVERDUE, overdue)):
        existing = ComplaintSignal.objects.filter(
            complaint=OuterRef("pk"), kind=kind, due_on=OuterRef("due_on")
        )
        fresh = rows.exclude(Exists(existing)).only("id", "due_on")
        created += _create(
            ComplaintSignal(complaint=c, kind=kind, due_on=c.due_on, raised_at=now) for c in fresh
        )
    if created:
        _notify_officers(created)
    return created


def raise_rights_signals(today: dt.date | None = None) -> int:
    """Signal open data-subject requests whose due date is within a week, or past (content-free
    mail to the privacy officers); returns how many new. One signal per due date, like complaints."""
    from arbo.privacy.rights.clock import DUE_SOON_DAYS as RIGHTS_SOON  # noqa: PLC0415 — the rights sub-domain imports this module's neighbours
    from arbo.privacy.rights.models import RightsRequest, RightsSignal  # noqa: PLC0415

    today = today or timezone.localdate()
    open_ = RightsRequest.objects.exclude(status=RightsRequest.Status.DECIDED)
    now = timezone.now()
    soon = open_.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=RIGHTS_SOON))
    overdue = open_.filter(due_on__lt=today)
    created = 0
    for kind, rows in ((RightsSignal.Kind.DUE_SOON, soon), (RightsSignal.Kind.OVERDUE, overdue)):
        existing = RightsSignal.objects.filter(request=OuterRef("pk"), kind=kind, due_on=OuterRef("due_on"))
        fresh = rows.exclude(Exists(existing)).only("id", "due_on")
        created += _create(RightsSignal(request=r, kind=kind, due_on=r.due_on, raised_at=now) for r in fresh)
    if created:
        _notify_officers(created)
    return created
