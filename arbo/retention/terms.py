"""The retention calculator: a rule and the facts of one record in, the destruction date out.

Pure (no database): :func:`destroy_after` takes a :class:`Term` (read from a
:class:`~arbo.retention.models.RetentionRule` row) and a dict of facts. The answer is the first day
the record is destroyed: kept through the day before, gone on that day. ``None`` while it cannot be
known yet (the event has not happened). A month that lacks the day gives its last day (29 February
plus one year is 28 February; 31 August plus six months is the last day of February).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

#: The calculator's facts (query parameters) besides the events.
BIRTH_DATE = "birth_date"
PERSISTENT = "persistent_or_latent"
#: Events that may not have happened yet: without them the answer is ``None``, not an error.
PENDING = frozenset({"end_of_employment", "case_closed", "exposure_end", "handled"})
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


class TermError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Term:
    kind: str
    runs_from: str
    years: int = 0
    months: int = 0
    days: int = 0
    otherwise_from: str = ""
    years_if_persistent: int | None = None
    until_age: int | None = None

    @classmethod
    def of(cls, rule: Any) -> Term:
        return cls(
            kind=rule.kind,
            runs_from=rule.runs_from,
            years=rule.years,
            months=rule.months,
            days=rule.days,
            otherwise_from=rule.otherwise_from,
            years_if_persistent=rule.years_if_persistent,
            until_age=rule.until_age,
        )

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts this term reads (the calculator's accepted parameters besides ``kind``)."""
        names = [self.runs_from]
        if self.otherwise_from:
            names.append(self.otherwise_from)
        if self.until_age is not None:
            names.append(BIRTH_DATE)
        if self.years_if_persistent is not None:
            names.append(PERSISTENT)
        return tuple(names)

    def describe(self) -> str:
        """A short, stable description for the purge log ("2y from end_of_employment")."""
        parts = [f"{n}{u}" for n, u in ((self.years, "y"), (self.months, "m"), (self.days, "d")) if n]
        text = f"{''.join(parts) or '0d'} from {self.runs_from}"
        if self.otherwise_from:
            text += f" else {self.otherwise_from}"
        if self.years_if_persistent is not None:
            text += f", {self.years_if_persistent}y if persistent"
        if self.until_age is not None:
            text += f", until age {self.until_age}"
        return text


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a month without that day gives its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def destroy_after(term: Term, facts: dict[str, Any]) -> dt.date | None:
    """The first day a record with these facts is destroyed, or ``None`` while unknown."""
    start = facts.get(term.runs_from)
    if start is None and term.otherwise_from:
        start = facts.get(term.otherwise_from)
    if start is None:
        return None
    years = term.years
    if term.years_if_persistent is not None and facts.get(PERSISTENT):
        years = term.years_if_persistent
    day = add_months(start, 12 * years + term.months) + dt.timedelta(days=term.days)
    if term.until_age is not None:
        birth = facts.get(BIRTH_DATE)
        if birth is None:
            return None
        day = max(day, add_months(birth, 12 * term.until_age))
    return day


def parse_facts(term: Term, params: dict[str, str]) -> dict[str, Any]:
    """The calculator's query parameters as facts; :class:`TermError` with a message when unusable."""
    facts: dict[str, Any] = {}
    accepted = set(term.facts)
    for name, text in params.items():
        if name not in accepted:
            raise TermError(
                _("Soort %(kind)s kent het gegeven %(name)s niet; geldig: %(valid)s.")
                % {"kind": term.kind, "name": name, "valid": ", ".join(term.facts)}
            )
        if name == PERSISTENT:
            if text not in {"0", "1"}:
                raise TermError(_("%(name)s moet 0 of 1 zijn.") % {"name": name})
            facts[name] = text == "1"
            continue
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise TermError(
                _("%(name)s is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2024-02-29.") % {"name": name}
            ) from None
        if len(text) != 10 or not EARLIEST <= day <= LATEST:
            raise TermError(
                _("%(name)s moet een datum JJJJ-MM-DD zijn tussen 1900-01-01 en 2100-12-31.") % {"name": name}
            )
        facts[name] = day
    required = [name for name in term.facts if name not in PENDING and name != PERSISTENT]
    for name in required:
        if name not in facts:
            raise TermError(_("Geef %(name)s op (JJJJ-MM-DD).") % {"name": name})
    return facts
