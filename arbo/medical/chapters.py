"""ICD-10 chapters: the coarsest diagnosis group, the only one that may leave the medical file for
research (issue 17, item 6). Pure. CAS codes are condensed ICD-10 codes and map the same way.
"""

from __future__ import annotations

import re

#: (first code, last code, chapter) by the three-character category, ICD-10 2019 (WHO).
CHAPTERS: tuple[tuple[str, str, str], ...] = (
    ("A00", "B99", "I infectieziekten"),
    ("C00", "D48", "II nieuwvormingen"),
    ("D50", "D89", "III bloed en immuunsysteem"),
    ("E00", "E90", "IV endocrien en stofwisseling"),
    ("F00", "F99", "V psychisch"),
    ("G00", "G99", "VI zenuwstelsel"),
    ("H00", "H59", "VII oog"),
    ("H60", "H95", "VIII oor"),
    ("I00", "I99", "IX hart en vaten"),
    ("J00", "J99", "X ademhaling"),
    ("K00", "K93", "XI spijsvertering"),
    ("L00", "L99", "XII huid"),
    ("M00", "M99", "XIII bewegingsapparaat"),
    ("N00", "N99", "XIV urogenitaal"),
    ("O00", "O99", "XV zwangerschap"),
    ("P00", "P96", "XVI perinataal"),
    ("Q00", "Q99", "XVII aangeboren"),
    ("R00", "R99", "XVIII symptomen"),
    ("S00", "T98", "XIX letsel en vergiftiging"),
    ("V01", "Y98", "XX uitwendige oorzaken"),
    ("Z00", "Z99", "XXI contact met zorg"),
    ("U00", "U99", "XXII bijzondere doeleinden"),
)
UNKNOWN = "onbekend"
_CATEGORY = re.compile(r"^([A-Z])(\d{2})")


def chapter(code: str) -> str:
    """The ICD-10 chapter of a code (``F43.2`` → ``V psychisch``); :data:`UNKNOWN` if none fits."""
    match = _CATEGORY.match((code or "").strip().upper())
    if not match:
        return UNKNOWN
    category = match.group(1) + match.group(2)
    for first, last, name in CHAPTERS:
        if first <= category <= last:
            return name
    return UNKNOWN
