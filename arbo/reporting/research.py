"""Research data (issue 17, item 6): generalised sick-period records, released only when verified
k-anonymous and l-diverse, with a recorded basis, audited as an export.

One row per sick period that began in the period, with quasi-identifiers generalised:

- ``age_band``: age at the first sick day in ten-year bands (< 25, 25–34, …, 55+);
- ``sector``: the employer's SBI section (one letter), "onbekend" when not recorded;
- ``region``: the first digit of the employer's postcode (a postcode region, never a place);
- ``duration_class``: the duration classes of the figures (to the period's end while running);

and one sensitive attribute, ``diagnosis_group``: the ICD-10 chapter of the diagnosis recorded
during the period (``arbo.medical.queries.diagnosis_chapters_for_research``; no code, no text).

Release rule: every combination of the quasi-identifiers holds at least k *people* (and so at
least k rows) and at least l different diagnosis groups; combinations that do not are withheld
whole. ``pycanon`` then checks the released table independently; if it finds less than k or l,
nothing is released. k is at least 10 (``RESEARCH_MIN_K``), l at least 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from arbo.absence.models import SickPeriod
from arbo.access.policy import can_release_research_data
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.medical.chapters import UNKNOWN
from arbo.medical.queries import diagnosis_chapters_for_research
from arbo.reporting.figures import duration_class
from arbo.reporting.models import ResearchRelease

QUASI_IDENTIFIERS = ["age_band", "sector", "region", "duration_class"]
SENSITIVE = "diagnosis_group"
RESEARCH_MIN_K = 10
RESEARCH_MIN_L = 2
#: A diagnosis recorded this long before the first sick day or after the last still belongs to it.
DIAGNOSIS_MARGIN = dt.timedelta(days=30)


def age_band(birth: dt.date, on: dt.date) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if age < 25:
        return "<25"
    if age >= 55:
        return "55+"
    low = (age - 25) // 10 * 10 + 25
    return f"{low}-{low + 9}"


def region(postcode: str) -> str:
    digits = "".join(c for c in postcode if c.isdigit())
    return f"{digits[0]}xxx" if digits else UNKNOWN


@dataclass(frozen=True)
class Record:
    person: int
    age_band: str
    sector: str
    region: str
    duration_class: str
    diagnosis_group: str

    def key(self) -> tuple[str, ...]:
        return (self.age_band, self.sector, self.region, self.duration_class)


def _diagnosis(chapters: list[tuple[dt.date, str]], first: dt.date, last: dt.date) -> str:
    found = [c for day, c in chapters if first - DIAGNOSIS_MARGIN <= day <= last + DIAGNOSIS_MARGIN]
    return found[-1] if found else UNKNOWN


def records(start: dt.date, end: dt.date, *, by: User, release: int) -> list[Record]:
    """The generalised records of the sick periods that began in ``start``–``end`` (all employers)."""
    rows = list(
        SickPeriod.objects.filter(
            withdrawn_at__isnull=True, first_sick_day__gte=start, first_sick_day__lte=end
        )
        .filter(~Q(safety_net_kind=SickPeriod.SafetyNet.PREGNANCY))
        .values_list(
            "case__employee_id",
            "case__employee__birth_date",
            "case__employer__sector",
            "case__employer__postcode",
            "first_sick_day",
            "last_sick_day",
        )
    )
    chapters = diagnosis_chapters_for_research(sorted({r[0] for r in rows}), by=by, release=release)
    result = []
    for person, birth, sector, postcode, first, last in rows:
        until = min(last or end, end)
        result.append(
            Record(
                person,
                age_band(birth, first),
                sector or UNKNOWN,
                region(postcode or ""),
                duration_class((until - first).days + 1),
                _diagnosis(chapters.get(person, []), first, last or end),
            )
        )
    return result


def anonymise(items: list[Record], k: int, l_diversity: int) -> tuple[list[Record], int]:
    """Keep the equivalence classes with at least ``k`` people and ``l`` diagnosis groups."""
    classes: dict[tuple[str, ...], list[Record]] = defaultdict(list)
    for item in items:
        classes[item.key()].append(item)
    kept: list[Record] = []
    for key in sorted(classes):
        members = classes[key]
        if len({m.person for m in members}) >= k and len({m.diagnosis_group for m in members}) >= l_diversity:
            kept.extend(sorted(members, key=lambda m: m.diagnosis_group))
    return kept, len(items) - len(kept)


def verify(items: list[Record]) -> tuple[int, int]:
    """(k, l) of the table as ``pycanon`` measures them: the independent check before release."""
    import pandas as pd  # noqa: PLC0415 — heavy import (pandas): only when a release is checked
    from pycanon import anonymity  # noqa: PLC0415 — heavy import (pycanon, pandas): only when a release is checked

    frame = pd.DataFrame(
        [{**{q: getattr(r, q) for q in QUASI_IDENTIFIERS}, SENSITIVE: r.diagnosis_group} for r in items]
    )
    return (
        int(anonymity.k_anonymity(frame, QUASI_IDENTIFIERS)),
        int(anonymity.l_diversity(frame, QUASI_IDENTIFIERS, [SENSITIVE])),
    )


def to_csv(items: list[Record]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*QUASI_IDENTIFIERS, SENSITIVE])
    for r in items:
        writer.writerow([r.age_band, r.sector, r.region, r.duration_class, r.diagnosis_group])
    return out.getvalue().encode()


@transaction.atomic
def release(
    *,
    by: User,
    start: dt.date,
    end: dt.date,
    purpose: str,
    basis: str = ResearchRelease.Basis.ANONYMISED,
    k: int = RESEARCH_MIN_K,
    l_diversity: int = RESEARCH_MIN_L,
) -> tuple[ResearchRelease, bytes]:
    """Build, anonymise, verify and record one release; :class:`DomainError` when it cannot be released."""

    if not can_release_research_data(by):
        raise DomainError(_("Alleen de medisch manager geeft onderzoeksgegevens vrij."), field="basis")
    if basis not in ResearchRelease.Basis.values:
        raise DomainError(_("Kies een grondslag."), field="basis")
    if len(purpose.strip()) < 10:
        raise DomainError(_("Beschrijf het doel van het onderzoek (minstens 10 tekens)."), field="purpose")
    if end < start:
        raise DomainError(_("De einddatum ligt vóór de begindatum."), field="period_to")
    k, l_diversity = max(k, RESEARCH_MIN_K), max(l_diversity, RESEARCH_MIN_L)
    record = ResearchRelease.objects.create(
        requested_by=by,
        period_from=start,
        period_to=end,
        purpose=purpose.strip(),
        basis=basis,
        k=k,
        l_diversity=l_diversity,
    )
    kept, withheld = anonymise(records(start, end, by=by, release=record.pk), k, l_diversity)
    if not kept:
        raise DomainError(
            _("Er is niets vrij te geven: geen groep is groot en gevarieerd genoeg (k = %(k)s, l = %(l)s).")
            % {"k": k, "l": l_diversity},
            field="period_from",
        )
    k_found, l_found = verify(kept)
    if k_found < k or l_found < l_diversity:  # pragma: no cover -- anonymise() guarantees it; pycanon checks
        raise DomainError(_("De controle op anonimiteit faalde; er is niets vrijgegeven."), field="basis")
    record.k_achieved, record.l_achieved = k_found, l_found
    record.rows, record.withheld_rows = len(kept), withheld
    record.save(update_fields=["k_achieved", "l_achieved", "rows", "withheld_rows"])
    log.record(
        by,
        log.Action.EXPORT,
        "reporting.research_released",
        obj=record,
        data={"rows": len(kept), "withheld": withheld, "k": k_found, "l": l_found, "basis": basis},
    )
    return record, to_csv(kept)
