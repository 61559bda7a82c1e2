"""Refuse employer free text that names the nature or cause of an illness.

The AP policy rules "De zieke werknemer" (2016; research/domain.md §3.1–3.2) give the employer a
closed list of what it may record at a sick report; the nature or cause of the illness is never on
it, not even when the employee volunteers it. Employers' remarks are therefore checked against a
list of common medical terms (Dutch and English, lay and clinical) before anything is stored.

A word list cannot catch everything; it catches the common slips ("griep", "burn-out", "rug") and
makes the rule visible where the employer types. Matching is on whole words or word starts (so
"rugklachten" and "hernia's" match), case- and accent-insensitive.
"""

from __future__ import annotations

import re
import unicodedata

#: Stems: a remark word that *starts with* one of these is refused.
MEDICAL_STEMS: tuple[str, ...] = (
    # general
    "ziekte",
    "diagnose",
    "klacht",
    "symptoom",
    "symptom",
    "pijn",
    "koorts",
    "fever",
    "infectie",
    "infection",
    "ontsteking",
    "virus",
    "bacterie",
    "medicijn",
    "medicatie",
    "medication",
    "antibiotica",
    "operatie",
    "geopereerd",
    "surgery",
    "ziekenhuis",
    "hospital",
    "opname",
    "medisch specialist",
    "huisarts",
    "fysiotherap",
    "psycholoog",
    "psychiater",
    "therapie",
    "chemo",
    "bestraling",
    "revalidatie",
    "behandeling",
    "treatment",
    # common illnesses
    "griep",
    "flu",
    "verkouden",
    "verkoudheid",
    "corona",
    "covid",
    "longontsteking",
    "bronchitis",
    "astma",
    "asthma",
    "migraine",
    "hoofdpijn",
    "headache",
    "buikgriep",
    "diarree",
    "diarrhoea",
    "diarrhea",
    "misselijk",
    "overgeven",
    "braken",
    "kanker",
    "cancer",
    "tumor",
    "tumour",
    "leukemie",
    "diabetes",
    "suiker",
    "hartinfarct",
    "hartaanval",
    "infarct",
    "beroerte",
    "stroke",
    "epilepsie",
    "reuma",
    "artrose",
    "hernia",
    "rugklacht",
    "rugpijn",
    "rug",
    "nekklacht",
    "whiplash",
    "rsi",
    "gebroken",
    "breuk",
    "fractuur",
    "fracture",
    "verstuiking",
    "gekneusd",
    "zwanger",
    "pregnan",
    "bevalling",
    "miskraam",
    "burn-out",
    "burnout",
    "overspannen",
    "overspannenheid",
    "stress",
    "depressie",
    "depressi",
    "angst",
    "anxiety",
    "paniek",
    "ptss",
    "ptsd",
    "psychisch",
    "psychose",
    "verslav",
    "alcohol",
    "drugs",
    "adhd",
    "autisme",
    "long covid",
    "hiv",
    "aids",
    "soa",
    "hepatitis",
    "allergie",
    "eczeem",
    "ziekte van",
    "blindedarm",
    "galblaas",
    "nierstenen",
    "maag",
    "darm",
    "hart",
    "longen",
    "knie",
    "schouder",
    "pols",
    "heup",
    "oor",
    "oog",
    "tand",
)

_NORMALISE = re.compile(r"[^a-z0-9\- ]+")


def _normalise(text: str) -> str:
    without_accents = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " " + _NORMALISE.sub(" ", without_accents.lower()) + " "


_PATTERN = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(stem) for stem in sorted(MEDICAL_STEMS, key=len, reverse=True))
    + r")"
)
#: Short stems that must match a whole word (else "rug" would refuse "terug", "oor" "voor").
_WHOLE_WORD = {stem for stem in MEDICAL_STEMS if len(stem) <= 4}


def find_medical_terms(text: str) -> list[str]:
    """The medical terms found in ``text`` (empty when it is clean), in order, without repeats."""
    normalised = _normalise(text)
    found: list[str] = []
    for match in _PATTERN.finditer(normalised):
        stem = match.group(1)
        if stem in _WHOLE_WORD and normalised[match.end()].isalnum():
            # "rug" may start "rugklachten" (its own stem) but not "rugzak": short stems are
            # whole words, or a longer stem in the list catches the compound.
            continue
        word_end = match.end()
        while normalised[word_end].isalnum() or normalised[word_end] == "-":
            word_end += 1
        word = normalised[match.start() : word_end].strip()
        if word not in found:
            found.append(word)
    return found
