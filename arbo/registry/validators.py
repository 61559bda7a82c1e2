"""Validation of Dutch identifiers, with messages in the user's language."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode


def normalise_bsn(value: str) -> str:
    """Return the 9-digit BSN or raise ValidationError (the 11-test, via python-stdnum)."""
    try:
        return str(stdnum_bsn.validate(value))
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
        return str(stdnum_postcode.validate(value))
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
