"""The 72-hour clock of an incident (AVG art. 33(1)): pure, no database.

The term runs from the moment of awareness. It stops when a decision is recorded: a decision not
to notify ends it (the reasons are registered, art. 33(5)); a decision to notify ends it once the
AP has been notified. Reported after the 72 hours, the notification must give the reasons for the
delay (art. 33(1), last sentence).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from arbo.privacy.breaches.models import Breach

TERM = dt.timedelta(hours=72)
SIGNAL_HOURS = (24, 48)


class ClockState(StrEnum):
    RUNNING = "running"  # no decision yet, within 72 hours
    OVERDUE = "overdue"  # no decision (or no notice) and past 72 hours
    AWAITING_NOTICE = "awaiting_notice"  # decided to notify, AP not yet notified, within 72 hours
    MET = "met"  # AP notified within 72 hours, or decided not to notify
    LATE = "late"  # AP notified after 72 hours


@dataclass(frozen=True)
class Clock:
    state: ClockState
    deadline: dt.datetime
    #: Time left (positive) or past the deadline (negative), while the clock runs.
    remaining: dt.timedelta | None

    @property
    def stopped(self) -> bool:
        return self.state in (ClockState.MET, ClockState.LATE)

    @property
    def urgent(self) -> bool:
        return self.state == ClockState.OVERDUE or (
            self.remaining is not None and self.remaining <= dt.timedelta(hours=24)
        )

    def label(self) -> str:
        if self.state == ClockState.MET:
            return _("termijn gehaald")
        if self.state == ClockState.LATE:
            return _("te laat gemeld (motiveer de vertraging)")
        assert self.remaining is not None
        hours = abs(self.remaining) // dt.timedelta(hours=1)
        minutes = (abs(self.remaining) % dt.timedelta(hours=1)) // dt.timedelta(minutes=1)
        if self.state == ClockState.OVERDUE:
            return _("%(h)d u %(m)02d min over de 72 uur") % {"h": hours, "m": minutes}
        if self.state == ClockState.AWAITING_NOTICE:
            return _("besloten te melden, nog %(h)d u %(m)02d min") % {"h": hours, "m": minutes}
        return _("nog %(h)d u %(m)02d min") % {"h": hours, "m": minutes}


def clock(
    *,
    aware_at: dt.datetime,
    now: dt.datetime,
    notify_ap: bool | None,
    decided_at: dt.datetime | None,
    ap_notified_at: dt.datetime | None,
) -> Clock:
    deadline = aware_at + TERM
    if ap_notified_at is not None:
        state = ClockState.MET if ap_notified_at <= deadline else ClockState.LATE
        return Clock(state, deadline, None)
    if decided_at is not None and notify_ap is False:
        return Clock(ClockState.MET, deadline, None)
    remaining = deadline - now
    if remaining < dt.timedelta(0):
        return Clock(ClockState.OVERDUE, deadline, remaining)
    if decided_at is not None and notify_ap:
        return Clock(ClockState.AWAITING_NOTICE, deadline, remaining)
    return Clock(ClockState.RUNNING, deadline, remaining)


def clock_of(breach: Breach, now: dt.datetime) -> Clock:
    """The clock of an incident at ``now``."""
    return clock(
        aware_at=breach.aware_at,
        now=now,
        notify_ap=breach.notify_ap,
        decided_at=breach.decided_at,
        ap_notified_at=breach.ap_notified_at,
    )
