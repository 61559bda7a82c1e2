"""Validation of Dutch identifiers, with messages in the user's language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from arbo.lib import dates
from arbo.lib.text import clean_text


def normalise_bsn(value: str) -> str:
    """Return the 9-digit BSN or raise ValidationError (the 11-test, via python-stdnum)."""
    try:
        return str(stdnum_bsn.validate(clean_text(value)))
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is geen geldig BSN (9 cijfers die aan de elfproef voldoen).") % {"value": value},
            code="invalid_bsn",
        ) from exc


def validate_bsn(value: str) -> None:
    normalise_bsn(value)


def normalise_kvk(value: str) -> str:
    digits = re.sub(r"[\s.]", "", value or "")
    if not re.fullmatch(r"\d{8}", digits):
        raise ValidationError(_("Een KvK-nummer bestaat uit precies 8 cijfers."), code="invalid_kvk")
    return digits


def validate_kvk(value: str) -> None:
    normalise_kvk(value)


def normalise_postcode(value: str) -> str:
    try:
        return str(stdnum_postcode.validate(clean_text(value)))
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is geen geldige Nederlandse postcode (bijvoorbeeld 1234 AB).") % {"value": value},
            code="invalid_postcode",
        ) from exc


def mask_bsn(value: str) -> str:
    """Show only the last three digits: enough to recognise, not enough to misuse."""
    if not value:
        return ""
    return "••••••" + value[-3:]


# --- One validator per field for every entry path ----------------------------------------------
# The staff form, the portal, the roster import and the API all call these (issue 19), so what one
# refuses the others refuse with the same message.

PERSONNEL_NUMBER_MAX_LENGTH = 40
HOURS_PER_WEEK_MAX = Decimal("99.9")


def clean_personnel_number(value: str) -> str:
    """The personnel number as stored: NFC, without hidden characters, no white space inside.

    ``CNT0106`` and ``CNT0106`` followed by a zero-width space are the same number.
    """
    number = clean_text(value)
    if not number:
        raise ValidationError(_("Vul het personeelsnummer in."), code="personnel_number_required")
    if any(char.isspace() for char in number):
        raise ValidationError(
            _("Een personeelsnummer bevat geen spaties: %(value)s.") % {"value": number},
            code="personnel_number_space",
        )
    if len(number) > PERSONNEL_NUMBER_MAX_LENGTH:
        raise ValidationError(
            _("Een personeelsnummer is hoogstens %(limit)d tekens lang.")
            % {"limit": PERSONNEL_NUMBER_MAX_LENGTH},
            code="personnel_number_length",
        )
    return number


def validate_birth_date(value: dt.date) -> None:
    """Not before 1900, not in the future (:mod:`arbo.lib.dates`)."""
    dates.validate_birth_date(value)


def validate_employment_date(value: dt.date) -> None:
    """Start or end of employment: 1900 up to 50 years ahead (:mod:`arbo.lib.dates`)."""
    dates.validate_employment_date(value)


def validate_employment_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    """The end of employment is not before its start."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(
            _("De datum uit dienst ligt vóór de datum in dienst."), code="employment_ends_before_start"
        )


def validate_hours_per_week(value: Decimal) -> None:
    """0 up to 99.9 hours, at most one decimal."""
    if (
        not value.is_finite()
        or not Decimal(0) <= value <= HOURS_PER_WEEK_MAX
        or value != value.quantize(Decimal("0.1"))
    ):
        raise ValidationError(
            _("Het aantal uren per week ligt tussen 0 en 99,9 (hoogstens één decimaal)."),
            code="hours_per_week_range",
        )
