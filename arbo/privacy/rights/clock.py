"""The answer term of a data-subject request: pure, no database (AVG art. 12(3)).

- The term is **one calendar month** from the day of receipt: the same day number one month later,
  or the last day of that month when it has no such day (31 January → 28 or 29 February).
- When that day is a Saturday, Sunday or a public holiday of the Algemene termijnenwet (the
  national form of EU Regulation 1182/71, art. 3(4)), the term ends on the next working day
  (the absence app's calendar, ``arbo.absence.workdays``).
- It may be extended **once** by at most **two further months** (counted from receipt: three
  calendar months, with the same end-of-month and working-day rules), with reasons, and only
  while the first month runs; the person is told within that month.

``tests/privacy/test_rights_clock.py`` pins these laws with property tests (hypothesis).
"""

from __future__ import annotations

import datetime as dt

from arbo.absence.workdays import is_working_day
from arbo.privacy.complaints.terms import add_months

#: A signal "due soon" this many days before the due date.
DUE_SOON_DAYS = 7


def next_working_day_from(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def due_date(received: dt.date, *, extended: bool = False) -> dt.date:
    """The last day to answer a request received on ``received`` (with the one extension: ``extended``)."""
    return next_working_day_from(add_months(received, 3 if extended else 1))


def may_extend(received: dt.date, on: dt.date) -> bool:
    """May the term be extended on day ``on``? Only while the first month runs (up to its due date)."""
    return received <= on <= due_date(received)
