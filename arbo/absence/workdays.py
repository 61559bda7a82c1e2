"""Dutch working days for legal deadlines: the Algemene termijnenwet (Atw) calendar.

A *working day* is a Monday to Friday that is not an *algemeen erkende feestdag* and not a day
equated with one. Source: Algemene termijnenwet (Stb. 1964, 314; wetten.overheid.nl), art. 3 as
in force, quoted on https://staatsrechtpraktijk.nl/nieuwjaarsdag-en-kerstmis-in-het-staatsrecht/
and https://wvhl.nl/algemeen/de-algemene-termijnenwet:

- lid 1: Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide Kerstdagen, de
  Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de vijfde mei.
  Eerste Paasdag and Eerste Pinksterdag are not listed: they are Sundays anyway.
- lid 2: Goede Vrijdag is equated with those days "voor de toepassing van deze wet". It is
  therefore not a working day here, although it is not in lid 1.
- lid 3: further days are equated by royal decree, usually for three years at a time (the
  Friday after Hemelvaartsdag, and bridge days around holidays on a Tuesday or Thursday).
  :data:`EQUATED_DAYS` lists the decrees known to this module. For years no decree covers, only
  lid 1 and 2 apply; a missing decree day can only make a computed deadline *earlier* than the
  legal one, never later.

Koningsdag is 27 April, or Saturday 26 April when the 27th is a Sunday (Besluit viering
Koningsdag, since 2014). Before 2014 Koninginnedag was 30 April, or Saturday 29 April when the
30th was a Sunday (the rule since 1980); earlier years are not modelled differently.

Easter Sunday comes from the anonymous Gregorian algorithm (Meeus/Jones/Butcher, in J. Meeus,
*Astronomical Algorithms*, ch. 8), valid for every Gregorian year.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils.translation import gettext_lazy

#: Days equated with a holiday by royal decree under Atw art. 3 lid 3. The decrees (titles as
#: cited on https://sterfgeval.nl/juridisch/overige/vragen-van-uitvaartondernemers/gemeentelijke-feestdag-bij-lijkbezorging-feestdagen-in-2026-2028/70745):
#: Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en
#: 30 mei 2025 met een algemeen erkende feestdag; Besluit gelijkstelling van 2 januari 2026,
#: 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag.
#: Add the next decree here when it is published in the Staatscourant.
EQUATED_DAYS: frozenset[dt.date] = frozenset(
    {
        dt.date(2023, 4, 28),
        dt.date(2023, 5, 19),
        dt.date(2024, 5, 10),
        dt.date(2024, 12, 27),
        dt.date(2025, 5, 30),
        dt.date(2026, 1, 2),
        dt.date(2026, 5, 15),
        dt.date(2027, 5, 7),
        dt.date(2028, 4, 28),
        dt.date(2028, 5, 26),
    }
)

_NAMES = {
    "new_year": gettext_lazy("Nieuwjaarsdag"),
    "good_friday": gettext_lazy("Goede Vrijdag"),
    "easter_monday": gettext_lazy("Tweede Paasdag"),
    "kings_day": gettext_lazy("Koningsdag"),
    "liberation_day": gettext_lazy("Bevrijdingsdag"),
    "ascension": gettext_lazy("Hemelvaartsdag"),
    "whit_monday": gettext_lazy("Tweede Pinksterdag"),
    "christmas": gettext_lazy("Eerste Kerstdag"),
    "boxing_day": gettext_lazy("Tweede Kerstdag"),
    "equated": gettext_lazy("Gelijkgestelde dag (Algemene termijnenwet)"),
}


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of a Gregorian ``year`` (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def kings_day(year: int) -> dt.date:
    """The day the King's (before 2014: the Queen's) birthday is celebrated; Sunday moves to Saturday."""
    day = dt.date(year, 4, 27) if year >= 2014 else dt.date(year, 4, 30)
    return day - dt.timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=256)
def _holiday_keys(year: int) -> tuple[tuple[dt.date, str], ...]:
    easter = easter_sunday(year)
    days = [
        (dt.date(year, 1, 1), "new_year"),
        (easter - dt.timedelta(days=2), "good_friday"),
        (easter + dt.timedelta(days=1), "easter_monday"),
        (kings_day(year), "kings_day"),
        (dt.date(year, 5, 5), "liberation_day"),
        (easter + dt.timedelta(days=39), "ascension"),
        (easter + dt.timedelta(days=50), "whit_monday"),
        (dt.date(year, 12, 25), "christmas"),
        (dt.date(year, 12, 26), "boxing_day"),
    ]
    days += [(day, "equated") for day in EQUATED_DAYS if day.year == year]
    return tuple(sorted(days))


@lru_cache(maxsize=256)
def _holiday_dates(year: int) -> frozenset[dt.date]:
    return frozenset(day for day, _key in _holiday_keys(year))


def public_holidays(year: int) -> dict[dt.date, str]:
    """The days of ``year`` that are not working days besides weekends, in date order, with names.

    Holds the Atw art. 3 lid 1 holidays, Goede Vrijdag (lid 2) and the decree days of lid 3 known
    in :data:`EQUATED_DAYS`. Names are translated into the active language.
    """
    return {day: str(_NAMES[key]) for day, key in _holiday_keys(year)}


def is_working_day(d: dt.date) -> bool:
    """Monday to Friday and not a holiday or equated day under the Algemene termijnenwet."""
    return d.weekday() < 5 and d not in _holiday_dates(d.year)


def first_working_day_after(d: dt.date) -> dt.date:
    """The first working day strictly after ``d``."""
    day = d + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
