"""What the one text clean-up (arbo.lib.text.clean_text, issue 19) costs the roster import.

Two million short cells (100,000 rows of 20 columns), plain ASCII as nearly all roster cells are,
plus one in a thousand with a zero-width space: clean_text against the plain ``str.strip`` the
parser used before. Run: ``.venv/bin/python bench/clean_text.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arbo.lib.text import clean_text  # noqa: E402


def main() -> None:
    cells = [f"  P{i:06d} " if i % 1000 else f"P{i:06d}\u200b" for i in range(100_000)] * 20
    start = time.perf_counter()
    for cell in cells:
        cell.strip()
    stripped = time.perf_counter() - start
    start = time.perf_counter()
    for cell in cells:
        clean_text(cell)
    cleaned = time.perf_counter() - start
    print(f"{len(cells):,} cells: str.strip {stripped:.2f} s, clean_text {cleaned:.2f} s")


if __name__ == "__main__":
    main()
