"""One clean-up for every piece of free text that enters the system (forms, API, roster import).

:func:`clean_text` returns the text in Unicode NFC with NUL bytes, control characters (category
Cc, except tab and newline where line breaks are allowed) and invisible format characters (category
Cf: zero-width space and joiners, byte-order marks, bidirectional overrides, soft hyphens) removed,
and surrounding white space stripped. So ``CNT0106`` and ``CNT0106`` + U+200B become one value,
a NUL byte never reaches PostgreSQL (which refuses it in text), and a right-to-left override cannot
make a name read differently from what is stored.
"""

from __future__ import annotations

import re
import unicodedata

#: Control characters kept in multi-line text.
_LINE_BREAKS = frozenset("\n\t")
#: Values made of printable ASCII only need no more than a strip (the fast path, ``isascii()`` and
#: ``isprintable()``: a roster of 100,000 rows has two million cells, nearly all of them like this;
#: bench/clean_text.py). Multi-line text may also hold tabs and newlines.
_PLAIN_LINES = re.compile(r"[ -~\t\n]*")


def _keep(char: str, *, multiline: bool) -> bool:
    category = unicodedata.category(char)
    if category == "Cc":
        return multiline and char in _LINE_BREAKS
    # Cf: format characters (U+200B..U+200F, U+2060, U+FEFF, U+202A..U+202E, U+00AD, ...).
    # Cs/Co/Cn: surrogates, private use, unassigned: never meaningful in a name or a number.
    return category not in {"Cf", "Cs", "Co", "Cn"}


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """``value`` in NFC without NUL, control and invisible format characters, stripped.

    ``multiline`` keeps newlines and tabs (remarks, addresses); ``\\r\\n`` becomes ``\\n``.
    ``None`` becomes ``""``.
    """
    if not value:
        return ""
    text = str(value)
    if text.isascii() and (text.isprintable() or (multiline and _PLAIN_LINES.fullmatch(text))):
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if _keep(c, multiline=multiline)).strip()


def has_hidden_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether :func:`clean_text` would remove anything but surrounding white space."""
    normalised = unicodedata.normalize("NFC", value)
    if multiline:
        normalised = normalised.replace("\r\n", "\n").replace("\r", "\n")
    return clean_text(value, multiline=multiline) != normalised.strip()
