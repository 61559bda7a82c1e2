"""What a disclosure package can hold: the items a recipient profile names, and how each is read.

Each item has a data category (A–D) and reads its part of the person's data through the owning
app's own read function, which audits the read with the reader's basis. A package reads only the
items it holds: nothing outside the recipient's profile is ever read for it.

The reading sits behind :func:`read_item`, one small function: when the subject-records interface
(``arbo.lib.subject``, issue 13) is on main, each item becomes a filter over those records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arbo.absence.queries import cases_visible_to, read_case
from arbo.access.queries import employee_for
from arbo.identity.models import User
from arbo.journal.queries import entries_for
from arbo.medical.advice.queries import staff_advice_for
from arbo.medical.queries import notes_for
from arbo.medical.records.queries import fml_for
from arbo.prevention.queries import exposures_for, periodic_exams_for
from arbo.registry.models import Employee

#: A section of a package: a title and its rows of (label, value).
Section = tuple[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class Item:
    key: str
    label: Promise
    category: str
    read: Callable[[User, Employee], list[Section]]


def _date(value: object) -> str:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else ""


def _person(reader: User, employee: Employee) -> Employee:
    return employee_for(reader, employee.pk).employee


def _name(reader: User, employee: Employee) -> list[Section]:
    person = _person(reader, employee)
    return [(str(_("Naam")), [(str(_("Naam")), person.full_name)])]


def _address(reader: User, employee: Employee) -> list[Section]:
    person = _person(reader, employee)
    return [(str(_("Adres")), [(str(_("Adres")), person.address_line)])]


def _bsn(reader: User, employee: Employee) -> list[Section]:
    person = _person(reader, employee)
    return [(str(_("BSN")), [(str(_("BSN")), person.bsn or "")])]


def _birth_date(reader: User, employee: Employee) -> list[Section]:
    person = _person(reader, employee)
    return [(str(_("Geboortedatum")), [(str(_("Geboortedatum")), _date(person.birth_date))])]


def _employment(reader: User, employee: Employee) -> list[Section]:
    person = _person(reader, employee)
    rows = [
        (f"{e.employer.name}", f"{e.job_title} ({_date(e.starts_on)})")
        for e in person.employments.select_related("employer")
    ]
    return [(str(_("Dienstverband")), rows)]


def _incapacity(reader: User, employee: Employee) -> list[Section]:
    sections: list[Section] = []
    for case_id in cases_visible_to(reader).filter(employee=employee).values_list("pk", flat=True):
        case = read_case(reader, case_id)
        rows = [(str(_("Eerste ziektedag")), _date(case.first_sick_day))]
        rows += [
            (str(_("Ziekteperiode")), f"{_date(p.first_sick_day)} – {_date(p.last_sick_day)}")
            for p in case.periods.all()
        ]
        rows += [
            (str(_("Hersteld per")), f"{_date(r.recovered_on)} {r.percentage or 100}%")
            for r in case.recoveries.all()
        ]
        sections.append((str(_("Verzuim")), rows))
    return sections


def _reintegration(reader: User, employee: Employee) -> list[Section]:
    sections: list[Section] = []
    for advice in staff_advice_for(reader, employee):
        rows = [
            (str(_("Kan")), advice.can_do or ""),
            (str(_("Kan niet")), advice.cannot_do or ""),
            (str(_("Verwachte duur")), advice.expected_duration or ""),
            (str(_("Aanpassingen")), advice.adjustments or ""),
            (str(_("Re-integratie")), advice.reintegration or ""),
        ]
        sections.append((str(_("Advies van {date}")).format(date=_date(advice.consultation_date)), rows))
    for fml in fml_for(reader, employee):
        rows = [(r.label, f"{r.level_label} {r.note}".strip()) for r in fml.rubrics or []]
        rows.append((str(_("Opmerkingen")), fml.remarks or ""))
        sections.append(
            (str(_("Functionele mogelijkheden van {date}")).format(date=_date(fml.assessed_on)), rows)
        )
    return sections


def _journal(reader: User, employee: Employee) -> list[Section]:
    rows = [(_date(e.created_at), e.text) for e in entries_for(reader, employee)]
    return [(str(_("Journaal")), rows)] if rows else []


def _medical_notes(reader: User, employee: Employee) -> list[Section]:
    rows = [(_date(n.created_at), n.body) for n in notes_for(reader, employee)]
    return [(str(_("Medische aantekeningen")), rows)] if rows else []


def _prevention(reader: User, employee: Employee) -> list[Section]:
    rows = [
        (_date(e.exam_date), f"{e.results} {e.advice} {e.conclusion}")
        for e in periodic_exams_for(reader, employee)
    ]
    rows += [(str(_("Blootstelling")), str(x)) for x in exposures_for(reader, employee)]
    return [(str(_("Preventief onderzoek")), rows)] if rows else []


ITEMS: dict[str, Item] = {
    item.key: item
    for item in (
        Item("person.name", _("naam"), "D", _name),
        Item("person.address", _("adres"), "D", _address),
        Item("person.bsn", _("BSN"), "A", _bsn),
        Item("person.birth_date", _("geboortedatum"), "D", _birth_date),
        Item("employment", _("dienstverband en functie"), "A", _employment),
        Item("absence.incapacity", _("gegevens over de arbeidsongeschiktheid (verzuim)"), "A", _incapacity),
        Item(
            "absence.reintegration",
            _("re-integratiebeeld: advies en functionele mogelijkheden"),
            "B",
            _reintegration,
        ),
        Item("journal", _("journaal van het dossier"), "B", _journal),
        Item("medical.notes", _("medische aantekeningen"), "C", _medical_notes),
        Item("prevention", _("preventief medisch onderzoek en blootstelling"), "C", _prevention),
    )
}


def read_item(key: str, reader: User, employee: Employee) -> list[Section]:
    """The sections of one item, read as ``reader`` through the owning app (audited there)."""
    return ITEMS[key].read(reader, employee)
