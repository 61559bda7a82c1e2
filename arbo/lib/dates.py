"""Shared date rules: which dates each kind of field accepts, with one message per rule.

Every entry path (staff form, portal, roster import, API) calls these, so what one refuses the
others refuse with the same sentence. The bounds also keep date arithmetic far from
``datetime.date.max`` (year 9999), where adding days raises ``OverflowError``.

============================  ====================================================
Field                         Accepted range
============================  ====================================================
birth date                    1900-01-01 up to and including today
employment / contract dates   1900-01-01 up to 50 years from today
case dates (sick day, ...)    20 years ago up to 1 year from today
calculator periods            1950-01-01 up to 2100-12-31
============================  ====================================================
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EARLIEST = dt.date(1900, 1, 1)
#: The deadline calculator: a period as far ahead as this still leaves 104 weeks before year 9999.
CALCULATOR_EARLIEST = dt.date(1950, 1, 1)
CALCULATOR_LATEST = dt.date(2100, 12, 31)
EMPLOYMENT_YEARS_AHEAD = 50
CASE_YEARS_BACK = 20
CASE_YEARS_AHEAD = 1


def today() -> dt.date:
    return timezone.localdate()


def show_date(day: dt.date) -> str:
    """A day as the whole interface writes it: "4 december 2026" (config/formats/, issue 18); a
    moment's day in local time."""
    if isinstance(day, dt.datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return formats.date_format(day, "DATE_FORMAT")


def show_moment(moment: dt.datetime) -> str:
    """A moment in local time as the interface writes it: "4 december 2026 14:30"."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


_show = show_date


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _between(value: dt.date, earliest: dt.date, latest: dt.date, code: str) -> None:
    if value < earliest:
        raise ValidationError(
            _("De datum %(value)s ligt te ver terug: de vroegst mogelijke datum is %(earliest)s.")
            % {"value": _show(value), "earliest": _show(earliest)},
            code=code,
        )
    if value > latest:
        raise ValidationError(
            _("De datum %(value)s ligt te ver vooruit: de laatst mogelijke datum is %(latest)s.")
            % {"value": _show(value), "latest": _show(latest)},
            code=code,
        )


def validate_birth_date(value: dt.date) -> None:
    """A birth date: not before 1900, not in the future."""
    if value > today():
        raise ValidationError(
            _("De geboortedatum %(value)s ligt in de toekomst.") % {"value": _show(value)},
            code="birth_date_future",
        )
    _between(value, EARLIEST, today(), "birth_date_range")


def validate_employment_date(value: dt.date) -> None:
    """A start or end of employment or contract: 1900 up to 50 years ahead."""
    _between(value, EARLIEST, _years_from(today(), EMPLOYMENT_YEARS_AHEAD), "employment_date_range")


def validate_case_date(value: dt.date) -> None:
    """A date in an absence case (sick day, recovery): 20 years back up to 1 year ahead."""
    _between(
        value,
        _years_from(today(), -CASE_YEARS_BACK),
        _years_from(today(), CASE_YEARS_AHEAD),
        "case_date_range",
    )


def validate_calculator_date(value: dt.date) -> None:
    """A period in the deadline calculator (page and API): 1950 up to 2100."""
    _between(value, CALCULATOR_EARLIEST, CALCULATOR_LATEST, "calculator_date_range")
