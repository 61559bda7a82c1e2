"""The poortwachter deadline engine: pure date arithmetic, no models and no database.

Sources: shared/domain.md §4 and shared/research/domain.md §2.2–2.3 (Wet verbetering
poortwachter, Regeling procesgang eerste en tweede ziektejaar, BW 7:629).

**Periods and cases.** A :class:`Period` is one stretch of incapacity, ``first`` to ``last``
inclusive; the last period of a list may be open (``last=None``: still sick). Periods add up
into one *case* (samentellen, BW 7:629 lid 10) when the new period's first sick day follows fewer
than 28 *fit days* after the previous period; the fit days are the days strictly between the
previous last sick day and the new first sick day, and they do not count. 28 or more fit days
start a new case. A period flagged ``after_pregnancy_leave`` (same cause, right after
zwangerschaps- of bevallingsverlof) adds up to the previous period whatever the gap: the leave is
excluded from the count.

**Counted days.** Day *K* of a case is its K-th counted sick day: day 1 is the first sick day and
only sick days of the added-up periods count. Week *N* of the law is counted days 7N−6 to 7N.

**Milestones** (:data:`MILESTONE_DAYS`) fall on a counted day; the 42nd-week notice to UWV falls
on the first working day (:mod:`arbo.absence.workdays`) after counted day 294, the end of week 42.
When the case's last period is closed, a milestone beyond the last counted day gets the date it
would have if that period had gone on: the engine always treats the last period as ongoing.
Whether the case is over (28 fit days after a closed last period) is for the caller to decide;
the dates say when each step would be due had the absence continued.

Everything raises :class:`TimelineError` (a ``ValueError`` with a Dutch message) on bad input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arbo.absence.workdays import first_working_day_after
from arbo.lib import dates
from arbo.lib.dates import show_date

#: Samentellen: fewer fit days than this between two periods add them up (BW 7:629 lid 10).
ADD_UP_FIT_DAYS = 28
#: Plan van aanpak: evaluated at least every six weeks (Werkwijzer poortwachter).
EVALUATION_INTERVAL = dt.timedelta(days=42)
#: The counted day after which the UWV notice is due (end of week 42).
UWV_NOTICE_AFTER_DAY = 294

#: Milestone name -> counted sick day on which it falls due, in the order of the law's timeline.
#: ``uwv_42nd_week_notice`` means "the first working day after counted day 294".
MILESTONE_DAYS: dict[str, int] = {
    "report_to_arbodienst": 7,  # employer reports the absence within week 1
    "probleemanalyse": 42,  # Regeling art. 2: by the end of week 6
    "plan_van_aanpak": 56,  # Regeling art. 4: by the end of week 8
    "uwv_42nd_week_notice": UWV_NOTICE_AFTER_DAY,  # ZW art. 38: first working day after week 42
    "eerstejaarsevaluatie": 364,  # end of the first sick year
    "riv_to_employee": 637,  # RIV documents to the employee by the end of week 91
    "wia_application": 651,  # WIA application by the end of week 93
    "wage_payment_end": 728,  # BW 7:629: 104 weeks of wage payment
}

#: Dutch labels of the milestones, for pages and documents.
MILESTONE_LABELS = {
    "report_to_arbodienst": gettext_lazy("Ziekmelding bij de arbodienst"),
    "probleemanalyse": gettext_lazy("Probleemanalyse"),
    "plan_van_aanpak": gettext_lazy("Plan van aanpak"),
    "uwv_42nd_week_notice": gettext_lazy("42e-weeksmelding aan UWV"),
    "eerstejaarsevaluatie": gettext_lazy("Eerstejaarsevaluatie"),
    "riv_to_employee": gettext_lazy("Re-integratieverslag naar de werknemer"),
    "wia_application": gettext_lazy("WIA-aanvraag"),
    "wage_payment_end": gettext_lazy("Einde loondoorbetaling"),
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class TimelineError(ValueError):
    """Periods that cannot form a case. ``message`` is a Dutch sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _show(day: dt.date) -> str:
    return show_date(day)


@dataclass(frozen=True)
class Period:
    """Sick from ``first`` to ``last`` inclusive; ``last=None`` means still sick."""

    first: dt.date
    last: dt.date | None = None
    after_pregnancy_leave: bool = False

    def __post_init__(self) -> None:
        if self.last is not None and self.last < self.first:
            raise TimelineError(
                _("De laatste ziektedag (%(last)s) ligt vóór de eerste ziektedag (%(first)s).")
                % {"last": _show(self.last), "first": _show(self.first)}
            )

    @property
    def is_open(self) -> bool:
        return self.last is None

    @property
    def length(self) -> int | None:
        """Number of sick days, or ``None`` for an open period."""
        return None if self.last is None else (self.last - self.first).days + 1


def fit_days_between(previous: Period, following: Period) -> int:
    """The days strictly between ``previous``'s last sick day and ``following``'s first."""
    if previous.last is None:
        raise TimelineError(_("Alleen de laatste periode mag open zijn (zonder laatste ziektedag)."))
    return (following.first - previous.last).days - 1


def _validate(periods: Sequence[Period]) -> None:
    """Ordered by first day, non-overlapping, and only the last one open."""
    for number, (previous, following) in enumerate(zip(periods, periods[1:], strict=False), start=2):
        if following.first <= previous.first:
            raise TimelineError(
                _("Periode %(number)s begint niet na periode %(before)s; zet de periodes op volgorde.")
                % {"number": number, "before": number - 1}
            )
        if previous.last is None:
            raise TimelineError(_("Alleen de laatste periode mag open zijn (zonder laatste ziektedag)."))
        if following.first <= previous.last:
            raise TimelineError(
                _(
                    "Periode %(number)s (vanaf %(first)s) overlapt met periode %(before)s (tot en met %(last)s)."
                )
                % {
                    "number": number,
                    "first": _show(following.first),
                    "before": number - 1,
                    "last": _show(previous.last),
                }
            )


def adds_up(previous: Period, following: Period) -> bool:
    """Whether ``following`` continues the case of ``previous`` (BW 7:629 lid 10)."""
    return following.after_pregnancy_leave or fit_days_between(previous, following) < ADD_UP_FIT_DAYS


def split_cases(periods: Sequence[Period]) -> list[list[Period]]:
    """Group valid periods into added-up cases, in order. An empty list gives no cases."""
    _validate(periods)
    cases: list[list[Period]] = []
    for period in periods:
        if cases and adds_up(cases[-1][-1], period):
            cases[-1].append(period)
        else:
            cases.append([period])
    return cases


def current_case(periods: Sequence[Period]) -> list[Period]:
    """The added-up case that holds the last period."""
    cases = split_cases(periods)
    if not cases:
        raise TimelineError(_("Geef minstens één ziekteperiode op."))
    return cases[-1]


def counted_day(case: Sequence[Period], k: int) -> dt.date:
    """The date of counted sick day ``k`` (day 1 is the first sick day).

    The last period is treated as ongoing, so every ``k`` has a date.
    """
    if k < 1:
        raise TimelineError(_("Een ziektedag telt vanaf 1."))
    if not case:
        raise TimelineError(_("Geef minstens één ziekteperiode op."))
    _validate(case)
    remaining = k
    for period in case[:-1]:
        length = period.length or 0  # _validate guarantees that only the last one is open
        if remaining <= length:
            return period.first + dt.timedelta(days=remaining - 1)
        remaining -= length
    return case[-1].first + dt.timedelta(days=remaining - 1)


def counted_days_before(case: Sequence[Period], day: dt.date) -> int:
    """Counted sick days of ``case`` strictly before ``day``: the sick days that really passed.

    An open period runs on; a closed last period stops at its last day (unlike
    :func:`counted_day`, which looks ahead as if it went on). On a sick day ``d``,
    ``counted_day(case, counted_days_before(case, d) + 1) == d``.
    """
    _validate(case)
    total = 0
    for period in case:
        if period.first >= day:
            break
        end = (
            day - dt.timedelta(days=1)
            if period.last is None
            else min(period.last, day - dt.timedelta(days=1))
        )
        total += (end - period.first).days + 1
    return total


def milestone_date(case: Sequence[Period], name: str) -> dt.date:
    """The due date of one milestone of ``case``."""
    day = counted_day(case, MILESTONE_DAYS[name])
    if name == "uwv_42nd_week_notice":
        return first_working_day_after(day)
    return day


def milestones(periods: Sequence[Period]) -> dict[str, dt.date]:
    """Due dates of every milestone, for the case holding the last period, in timeline order."""
    case = current_case(periods)
    try:
        return {name: milestone_date(case, name) for name in MILESTONE_DAYS}
    except OverflowError as exc:  # beyond year 9999: only reachable past the parsers' bounds
        raise TimelineError(
            _("Deze periodes liggen te ver in de toekomst om termijnen te berekenen.")
        ) from exc


def evaluation_due(previous: dt.date) -> dt.date:
    """When the next evaluation of the plan van aanpak is due: six weeks after ``previous``.

    ``previous`` is the date of the plan or of its previous evaluation.
    """
    return previous + EVALUATION_INTERVAL


def parse_period(text: str) -> Period:
    """Read ``YYYY-MM-DD/YYYY-MM-DD`` (closed) or ``YYYY-MM-DD/`` (open)."""
    first_text, slash, last_text = text.strip().partition("/")
    first_text, last_text = first_text.strip(), last_text.strip()
    if not slash or not _ISO_DATE.fullmatch(first_text) or (last_text and not _ISO_DATE.fullmatch(last_text)):
        raise TimelineError(
            _(
                "Ongeldige periode '%(text)s': gebruik JJJJ-MM-DD/JJJJ-MM-DD, of JJJJ-MM-DD/ als de periode nog loopt."
            )
            % {"text": text}
        )
    try:
        first = dt.date.fromisoformat(first_text)
        last = dt.date.fromisoformat(last_text) if last_text else None
    except ValueError as exc:
        raise TimelineError(
            _("Periode '%(text)s' bevat een datum die niet bestaat.") % {"text": text}
        ) from exc
    for day in (first, last):
        if day is not None:
            try:
                dates.validate_calculator_date(day)
            except ValidationError as exc:
                raise TimelineError(exc.messages[0]) from exc
    return Period(first, last)
