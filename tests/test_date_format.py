"""One date format everywhere (issue 18): "4 december 2026" in Dutch, "4 December 2026" in English,
with the time where it matters. Templates use the DATE_FORMAT / DATETIME_FORMAT of config/formats/;
Python uses arbo.lib.dates.show_date / show_moment. Input fields keep ISO values."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import engines
from django.utils import translation

from arbo.lib.dates import show_date, show_moment

ROOT = Path(__file__).resolve().parents[1]
# A numeric day-month-year in a template's date filter / {% now %}, or in a Python format string.
NUMERIC_TEMPLATE = re.compile(r"""(\|date|\|time|\{% now)\s*:?\s*["'][^"']*\b[dj]-[mn]-[Yy]""")
NUMERIC_PYTHON = re.compile(r"%d-%m-%Y|:%d-%m")
#: Parsing typed input is not showing a date.
PYTHON_ALLOWED = {"arbo/identity/forms.py"}


def test_no_template_or_module_shows_a_numeric_date() -> None:
    templates = [
        str(path.relative_to(ROOT))
        for folder in ("arbo", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".txt"} and NUMERIC_TEMPLATE.search(path.read_text(encoding="utf-8"))
    ]
    modules = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "arbo").rglob("*.py")
        if NUMERIC_PYTHON.search(path.read_text(encoding="utf-8"))
        and str(path.relative_to(ROOT)) not in PYTHON_ALLOWED
    ]

    assert templates == []
    assert modules == []
    assert NUMERIC_TEMPLATE.search('{{ day|date:"d-m-Y" }}')  # the scan would see one


def test_the_one_format_in_both_languages() -> None:
    day = dt.date(2026, 12, 4)
    moment = dt.datetime(2026, 12, 4, 13, 30, tzinfo=dt.UTC)  # 14:30 in Amsterdam
    template = engines["django"].from_string('{{ day|date }}|{{ moment|date:"DATETIME_FORMAT" }}')

    assert template.render({"day": day, "moment": moment}) == "4 december 2026|4 december 2026 14:30"
    assert (show_date(day), show_moment(moment)) == ("4 december 2026", "4 december 2026 14:30")
    with translation.override("en"):
        assert template.render({"day": day, "moment": moment}) == "4 December 2026|4 December 2026 14:30"
        assert show_date(day) == "4 December 2026"
