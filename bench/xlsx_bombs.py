"""Benchmark: how fast the roster upload refuses XLSX files that unpack beyond a roster (issue 12).

Builds the bombs of tests/registry/test_roster_oversized.py and times ``roster.parse_file`` on
each, and on a genuine 2-row workbook for comparison. No database needed.

    DEBUG=1 .venv/bin/python bench/xlsx_bombs.py
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from arbo.registry import roster
    from tests.registry import test_roster_oversized as bombs

    parts = bombs.workbook_parts()
    files = {
        "genuine workbook, 2 rows": bombs.zipped(parts),
        "dimension A1:XFD1048576 (a million rows by 16,384 columns)": bombs.zipped(
            bombs.with_sheet(parts, bombs.declared_dimension)
        ),
        "no dimension, a row at 1,048,576": bombs.zipped(
            bombs.with_sheet(parts, bombs.no_dimension_one_million_rows_down)
        ),
        "5,000,000 shared strings declared": bombs.zipped(bombs.declared_strings(5_000_000)(parts)),
        "300 MB unpacked": bombs.zipped(parts, padding=300 * 2**20),
    }
    for label, data in files.items():
        started = time.perf_counter()
        try:
            roster.parse_file(io.BytesIO(data), "personeel.xlsx")
            outcome = "read"
        except roster.RosterFileError as error:
            outcome = f"refused: {error}"
        spent = time.perf_counter() - started
        print(f"{label:<60} {len(data) / 1024:8.1f} KB {spent * 1000:8.1f} ms  {outcome[:90]}")


if __name__ == "__main__":
    main()
