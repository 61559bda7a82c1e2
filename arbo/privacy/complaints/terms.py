"""The decision terms of complaints: pure, no database.

- Wkkgz (art. 17): six weeks from receipt; extendable once by at most four weeks, with written
  notice to the complainant before the six weeks end.
- Privacy: one month from receipt, extendable once by at most two months with reasons, like the
  rights requests (AVG art. 12(3)).
"""

from __future__ import annotations

import calendar
import datetime as dt

WKKGZ = "wkkgz"
PRIVACY = "privacy"
#: A signal "due soon" this many days before the decision date.
DUE_SOON_DAYS = 7


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def initial_due(kind: str, received_on: dt.date) -> dt.date:
    if kind == WKKGZ:
        return received_on + dt.timedelta(weeks=6)
    return add_months(received_on, 1)


def latest_extension(kind: str, received_on: dt.date) -> dt.date:
    """The furthest the decision date may be moved by the one extension."""
    if kind == WKKGZ:
        return initial_due(kind, received_on) + dt.timedelta(weeks=4)
    return add_months(received_on, 3)
