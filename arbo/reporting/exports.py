"""CSV and XLSX of every table on the reporting pages: the same rows, suppression already applied.

A suppressed row has empty figure cells and its reason in the last column; numbers are numbers in
XLSX and use a decimal point in CSV (machine-readable).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook

from arbo.reporting.figures import DURATION_CLASSES
from arbo.reporting.report import Row


@dataclass
class Table:
    title: str
    first_column: str
    rows: Sequence[tuple[str, Row]]


def headers(table: Table) -> list[str]:
    return [
        table.first_column,
        _("werknemers"),
        _("verzuimpercentage"),
        _("meldingsfrequentie"),
        _("gemiddelde verzuimduur (dagen)"),
        _("nulverzuim (%)"),
        *[_("duur %(label)s dagen") % {"label": label} for label, _low, _high in DURATION_CLASSES],
        _("toelichting"),
    ]


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _safe(text: str) -> str:
    """No spreadsheet formula from a name: a leading =, +, - or @ is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def cells(label: str, row: Row) -> list[object]:
    label = _safe(label)
    f = row.figures
    if f is None:
        return [label, None, None, None, None, None, *[None for _c in DURATION_CLASSES], row.reason_text]
    return [
        label,
        f.employees,
        _round(f.verzuimpercentage),
        _round(f.meldingsfrequentie),
        _round(f.gemiddelde_verzuimduur, 1),
        _round(f.nulverzuim, 1),
        *[f.duration_classes.get(c, 0) for c, _low, _high in DURATION_CLASSES],
        "",
    ]


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(table))
    for label, row in table.rows:
        writer.writerow(["" if v is None else v for v in cells(label, row)])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet.append(headers(table))
    for label, row in table.rows:
        sheet.append(cells(label, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
