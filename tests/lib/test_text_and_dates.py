"""arbo.lib.text.clean_text and arbo.lib.dates: the one clean-up and the shared date rules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from arbo.lib import dates
from arbo.lib.text import clean_text, has_hidden_characters


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("CNT0106\u200b", "CNT0106"),  # zero-width space
        ("\ufeffCNT0106", "CNT0106"),  # byte-order mark
        ("CNT\x000106", "CNT0106"),  # NUL
        ("Jan\x07sen", "Jansen"),  # BEL
        ("Ja\u200dn\u2060sen", "Jansen"),  # zero-width joiner, word joiner
        ("\u202eneslaJ", "neslaJ"),  # right-to-left override
        ("Jose\u0301", "José"),  # NFD to NFC
        ("  de Vries \t", "de Vries"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text_removes_hidden_characters_and_normalises(raw, clean):
    assert clean_text(raw) == clean


def test_multiline_keeps_line_breaks_and_unifies_them():
    assert clean_text("regel 1\r\nregel\u200b 2\rregel 3\x00", multiline=True) == "regel 1\nregel 2\nregel 3"
    assert clean_text("regel 1\nregel 2") == "regel 1regel 2"


def test_has_hidden_characters():
    assert has_hidden_characters("CNT0106\u200b")
    assert not has_hidden_characters("  CNT0106 ")


@given(st.text())
def test_clean_text_output_has_no_control_or_format_characters(text):
    import unicodedata

    cleaned = clean_text(text)
    assert "\x00" not in cleaned
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn"} for c in cleaned)
    assert clean_text(cleaned) == cleaned  # idempotent


@time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (
            dates.validate_birth_date,
            [dt.date(1900, 1, 1), dt.date(2026, 3, 2)],
            [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2026, 3, 3), dt.date(9999, 12, 31)],
        ),
        (
            dates.validate_employment_date,
            [dt.date(1900, 1, 1), dt.date(2076, 3, 2)],
            [dt.date(1, 1, 1), dt.date(2076, 3, 3), dt.date(9999, 12, 31)],
        ),
        (
            dates.validate_case_date,
            [dt.date(2006, 3, 2), dt.date(2027, 3, 2)],
            [dt.date(2006, 3, 1), dt.date(2027, 3, 3), dt.date(9999, 12, 1)],
        ),
        (
            dates.validate_calculator_date,
            [dt.date(1950, 1, 1), dt.date(2100, 12, 31)],
            [dt.date(1949, 12, 31), dt.date(2101, 1, 1), dt.date(9999, 12, 1)],
        ),
    ],
)
def test_date_rules(validator, good, bad):
    for day in good:
        validator(day)
    for day in bad:
        with pytest.raises(ValidationError):
            validator(day)
