"""Roster validation: each row checked against the rest of the file and the database, with what
committing would do with it (create, attach, update, unchanged) or why it cannot be read.

Matching, in this order: the employer's personnel number (that employment and its person), then the
BSN (that person gets a new employment), else a new person. Empty cells never clear stored data.
Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from arbo.lib.errors import DomainError
from arbo.registry.domain import check_same_person
from arbo.registry.models import Department, Employee, Employer, Employment, bsn_blind_index
from arbo.registry.roster.parsing import REQUIRED, ParsedRoster, Progress
from arbo.registry.validators import (
    clean_personnel_number,
    mask_bsn,
    normalise_bsn,
    normalise_postcode,
    validate_birth_date,
    validate_employment_date,
)

#: Roster column -> Employee attribute.
EMPLOYEE_COLUMNS: dict[str, str] = {
    "bsn": "bsn",
    "voorletters": "initials",
    "voornamen": "first_names",
    "tussenvoegsel": "tussenvoegsel",
    "achternaam": "surname",
    "geslacht": "gender",
    "geboortedatum": "birth_date",
    "straat": "street",
    "huisnummer": "house_number",
    "postcode": "postcode",
    "plaats": "city",
    "telefoon": "phone",
    "mobiel": "mobile",
    "email": "email",
}
#: Roster column -> Employment attribute.
EMPLOYMENT_COLUMNS: dict[str, str] = {
    "personeelsnummer": "personnel_number",
    "afdeling": "department_id",
    "functie": "job_title",
    "in_dienst": "starts_on",
    "uit_dienst": "ends_on",
    "uren_per_week": "hours_per_week",
    "contract": "contract_type",
}

MAX_LENGTHS: dict[str, int] = {
    "personeelsnummer": 40,
    "voorletters": 20,
    "voornamen": 120,
    "tussenvoegsel": 20,
    "achternaam": 120,
    "straat": 120,
    "huisnummer": 20,
    "plaats": 80,
    "telefoon": 30,
    "mobiel": 30,
    "email": 254,
    "functie": 120,
}
GENDERS: dict[str, str] = {
    "v": "v",
    "vrouw": "v",
    "f": "v",
    "female": "v",
    "m": "m",
    "man": "m",
    "male": "m",
    "x": "x",
    "anders": "x",
    "onbekend": "x",
    "other": "x",
}
CONTRACTS: dict[str, str] = {
    "vast": "vast",
    "tijdelijk": "tijdelijk",
    "oproep": "oproep",
    "uitzend": "uitzend",
    "stage": "stage",
    "permanent": "vast",
    "temporary": "tijdelijk",
    "on_call": "oproep",
    "agency": "uitzend",
    "internship": "stage",
}

#: Rows written per round trip; also how often progress is reported.
BATCH_SIZE = 1000
#: Rows with problems, and rows without, that a validation keeps for the preview to show.
KEEP_ROWS = 500
#: The preview table shows at most this many rows (rows with problems first); counts cover all.
PREVIEW_ROWS = 500
#: Rows per ``bsn_index IN (...)`` lookup: well below SQLite's and PostgreSQL's parameter limits.
LOOKUP_CHUNK = 2000

CREATE, ATTACH, UPDATE, UNCHANGED, INVALID = "create", "attach", "update", "unchanged", "invalid"

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_email_validator = EmailValidator()
#: Fast paths for well-formed values; each accepts a subset of what its reference validator accepts.
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_PLAIN_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
_UNISSUED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})  # as python-stdnum
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


class _Problem(Exception):
    pass


# --- Validation ---------------------------------------------------------------------------------


@dataclass
class RowCheck:
    """One row: its values as typed, its problems, and what committing would do with it."""

    number: int
    raw: dict[str, str]
    problems: list[str] = field(default_factory=list)
    action: str = INVALID
    employee_values: dict[str, Any] = field(default_factory=dict)
    employment_values: dict[str, Any] = field(default_factory=dict)
    employee: Employee | None = None
    employment: Employment | None = None
    employee_changes: dict[str, Any] = field(default_factory=dict)
    employment_changes: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        raw = self.raw
        parts = (
            raw.get("voornamen") or raw.get("voorletters", ""),
            raw.get("tussenvoegsel", ""),
            raw.get("achternaam", ""),
        )
        return " ".join(p for p in parts if p)

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.raw.get("bsn", ""))

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    def problem(self, message: str) -> None:
        self.problems.append(_("Rij %(row)d: %(problem)s") % {"row": self.number, "problem": message})

    def dump(self) -> list[Any]:
        """What the preview shows of the row (:class:`PreviewRow`), for the batch's stored preview:
        the BSN masked, the other columns as typed."""
        raw = self.raw
        shown = [raw.get(column, "") for column in PreviewRow.COLUMNS]
        return [self.number, self.display_name, self.bsn_masked, self.action, self.problems, *shown]


def action_label(action: str) -> str:
    # ATTACH shows as new too: the uploader need not learn that the person is known elsewhere.
    labels = {CREATE: _("nieuw"), ATTACH: _("nieuw"), UPDATE: _("bijwerken"), UNCHANGED: _("ongewijzigd")}
    return labels.get(action, _("niet inleesbaar"))


@dataclass
class PreviewRow:
    """A row as the preview page shows it, kept (encrypted) with the batch after the worker's check;
    its problems are in the uploader's language at the time of the check."""

    #: The columns shown as typed, besides the name and the masked BSN.
    COLUMNS: ClassVar[tuple[str, ...]] = ("personeelsnummer", "geboortedatum", "afdeling", "in_dienst")

    number: int
    display_name: str
    bsn_masked: str
    action: str
    problems: list[str]
    raw: dict[str, str]

    @classmethod
    def load(cls, stored: list[Any]) -> PreviewRow:
        number, name, bsn, action, problems, *shown = stored
        return cls(number, name, bsn, action, problems, dict(zip(cls.COLUMNS, shown, strict=True)))

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    def dump(self) -> list[Any]:
        shown = [self.raw.get(column, "") for column in self.COLUMNS]
        return [self.number, self.display_name, self.bsn_masked, self.action, self.problems, *shown]


@dataclass
class Validation:
    """What committing would do, counted over every row; ``rows`` keeps only the rows the preview
    shows (up to :data:`KEEP_ROWS` with problems and as many without, in file order), so that a
    100,000-row file is checked in constant memory."""

    rows: Sequence[RowCheck | PreviewRow]
    ignored_columns: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def count(self, *actions: str) -> int:
        return sum(self.counts.get(action, 0) for action in actions)

    @property
    def to_create(self) -> int:
        """New employments: for a new person or for a person already known by BSN."""
        return self.count(CREATE, ATTACH)

    @property
    def to_attach(self) -> int:
        return self.count(ATTACH)

    @property
    def to_update(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def problem_rows(self) -> int:
        return self.count(INVALID)

    @property
    def problems(self) -> list[str]:
        """The problems of the rows kept (the first :data:`KEEP_ROWS` rows with a problem)."""
        return [message for row in self.rows for message in row.problems]

    @property
    def ok(self) -> bool:
        return self.problem_rows == 0

    def shown(self) -> list[RowCheck | PreviewRow]:
        """The rows the preview shows, up to :data:`PREVIEW_ROWS`: those with problems first, then
        the others, each in file order (the problems are what the uploader must see first)."""
        bad = sorted((row for row in self.rows if row.problems), key=lambda row: row.number)[:PREVIEW_ROWS]
        good = sorted((row for row in self.rows if not row.problems), key=lambda row: row.number)
        return bad + good[: PREVIEW_ROWS - len(bad)]


@dataclass
class _Known:
    """What the database holds for this employer, loaded once per validation."""

    departments: dict[str, Department]
    by_personnel_number: dict[str, Employment]
    numbers_by_employee: dict[int, list[str]]
    by_bsn_index: dict[str, Employee]


def validate(
    employer: Employer,
    roster: ParsedRoster | Iterable[tuple[int, dict[str, str]]],
    progress: Progress | None = None,
    *,
    total: int = 0,
    ignored: list[str] | None = None,
) -> Validation:
    """Check every row; nothing is written. Problems are messages starting with "Rij N:".

    ``roster`` is a parsed roster or any iterable of (row number, {column: value}): the rows are
    checked :data:`BATCH_SIZE` at a time against what the database holds for them and then let go
    (see :class:`Checker`)."""
    if isinstance(roster, ParsedRoster):
        ignored, total, records = roster.ignored, len(roster.rows), roster.records()
    else:
        records = iter(roster)
    checker = Checker(employer, total=total, ignored=ignored or [])
    for batch in batched(records, BATCH_SIZE):
        checker.check(list(batch))
        if progress:
            progress(checker.done, checker.total)
    return checker.validation()


def batched(items: Iterable[Any], size: int) -> Iterator[tuple[Any, ...]]:
    iterator = iter(items)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


class Checker:
    """Checks a roster a batch of rows at a time, in file order, keeping only what the later rows
    need: the personnel numbers and BSNs seen (for duplicates), the counts per action, and the rows
    the preview shows. What the database holds is read per batch, for that batch's numbers and
    BSNs only, so a re-import of 100,000 known people does not load 100,000 people at once."""

    def __init__(self, employer: Employer, *, total: int = 0, ignored: list[str] | None = None) -> None:
        self.employer = employer
        self.today = timezone.localdate()
        self.departments = _departments(employer)
        self.first_with_number: dict[str, int] = {}
        self.first_with_bsn: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.kept_bad: list[RowCheck] = []
        self.kept_good: list[RowCheck] = []
        self.done = 0
        self.total = total
        self.ignored = ignored or []

    def check(self, records: list[tuple[int, dict[str, str]]]) -> list[RowCheck]:
        rows = [_clean_row(number, raw, self.today) for number, raw in records]
        _flag_duplicates(rows, self.first_with_number, self.first_with_bsn)
        known = _load_known(self.employer, rows, self.departments)
        for row in rows:
            _resolve_department(row, known)
            _match(row, known)
            self.counts[row.action] = self.counts.get(row.action, 0) + 1
            kept = self.kept_bad if row.problems else self.kept_good
            if len(kept) < KEEP_ROWS:
                kept.append(row)
        self.done += len(rows)
        self.total = max(self.total, self.done)
        return rows

    @property
    def ok(self) -> bool:
        return not self.counts.get(INVALID)

    def validation(self) -> Validation:
        rows = sorted(self.kept_bad + self.kept_good, key=lambda row: row.number)
        return Validation(rows=rows, ignored_columns=self.ignored, counts=dict(self.counts), total=self.done)


def _clean_row(number: int, raw: dict[str, str], today: dt.date) -> RowCheck:
    row = RowCheck(number=number, raw=raw)
    for column in REQUIRED:
        if not raw.get(column):
            row.problem(_("%(column)s ontbreekt") % {"column": column})
    for column, value in raw.items():
        if not value or column == "afdeling":
            continue
        try:
            cleaned = _CLEANERS.get(column, _clean_text)(column, value)
        except _Problem as exc:
            row.problem(str(exc))
            continue
        if column in EMPLOYEE_COLUMNS:
            row.employee_values[EMPLOYEE_COLUMNS[column]] = cleaned
        else:
            row.employment_values[EMPLOYMENT_COLUMNS[column]] = cleaned
    _check_dates(row, today)
    return row


def _check_dates(row: RowCheck, today: dt.date) -> None:
    # The range of each date (birth date not before 1900 nor in the future, ...) is checked by the
    # shared validators in _clean_date; here only what needs two columns.
    starts_on = row.employment_values.get("starts_on")
    ends_on = row.employment_values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        row.problem(
            _("uit dienst (%(end)s) ligt vóór in dienst (%(start)s)")
            % {"end": row.raw["uit_dienst"], "start": row.raw["in_dienst"]}
        )


def _clean_text(column: str, value: str) -> str:
    limit = MAX_LENGTHS.get(column)
    if limit and len(value) > limit:
        raise _Problem(_("%(column)s is langer dan %(limit)d tekens") % {"column": column, "limit": limit})
    return value


def _clean_bsn(column: str, value: str) -> str:
    # The 11-test inline for the plain 9-digit case (python-stdnum's generic clean-up costs ~20 µs a
    # value, 2 s on 100,000 rows); normalise_bsn decides every other spelling.
    if _plain_valid_bsn(value):
        return value
    try:
        return normalise_bsn(value)
    except ValidationError as exc:
        # Masked like the preview's BSN column: a mistyped BSN is most of someone's real one, and
        # the preview is kept (and shown to the employer's other users) until the batch goes.
        raise _Problem(_("BSN %(value)s voldoet niet aan de elfproef") % {"value": mask_bsn(value)}) from exc


def _plain_valid_bsn(value: str) -> bool:
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "000000000":
        return False
    return sum(int(digit) * weight for digit, weight in zip(value, _BSN_WEIGHTS, strict=True)) % 11 == 0


def _clean_postcode(column: str, value: str) -> str:
    # "1234 AB" and "1234ab" directly; normalise_postcode decides every other spelling.
    if (match := _PLAIN_POSTCODE.fullmatch(value.upper())) and match[2] not in _UNISSUED_POSTCODE_LETTERS:
        return f"{match[1]} {match[2]}"
    try:
        return normalise_postcode(value)
    except ValidationError as exc:
        raise _Problem(exc.messages[0].rstrip(".")) from exc


def _clean_email(column: str, value: str) -> str:
    if _PLAIN_EMAIL.fullmatch(value):
        return _clean_text(column, value)
    try:
        _email_validator(value)
    except ValidationError as exc:
        raise _Problem(_("e-mailadres %(value)s is ongeldig") % {"value": value}) from exc
    return _clean_text(column, value)


def _parse_date(value: str) -> dt.date | None:
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


#: The shared date rule of each date column (arbo.registry.validators, arbo.lib.dates).
_DATE_RULES: dict[str, Callable[[dt.date], None]] = {
    "geboortedatum": validate_birth_date,
    "in_dienst": validate_employment_date,
    "uit_dienst": validate_employment_date,
}


def _shared(column: str, rule: Callable[[Any], Any], value: Any) -> Any:
    """Apply a validator of the form and the API; its message, prefixed by the column, is the problem."""
    try:
        return rule(value)
    except ValidationError as exc:
        raise _Problem(f"{column}: {exc.messages[0]}") from exc


def _clean_date(column: str, value: str) -> dt.date:
    day = _parse_date(value)
    if day is None:
        raise _Problem(
            _("%(column)s %(value)s is geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)")
            % {"column": column, "value": value}
        )
    _shared(column, _DATE_RULES.get(column, validate_employment_date), day)
    return day


def _clean_personnel_number(column: str, value: str) -> str:
    return str(_shared(column, clean_personnel_number, value))


def _clean_hours(column: str, value: str) -> Decimal:
    try:
        hours = Decimal(value.replace(",", "."))
    except InvalidOperation:
        hours = Decimal("NaN")
    if not hours.is_finite() or not 0 <= hours <= Decimal("99.9") or hours != hours.quantize(Decimal("0.1")):
        raise _Problem(
            _("uren per week %(value)s moet een getal van 0 tot 99,9 zijn (hoogstens één decimaal)")
            % {"value": value}
        )
    return hours


def _choice(options: dict[str, str], message: str) -> Callable[[str, str], str]:
    def clean(column: str, value: str) -> str:
        key = re.sub(r"[\s\-]+", "_", value.lower())
        if key not in options:
            raise _Problem(_(message) % {"value": value})
        return options[key]

    return clean


_CLEANERS: dict[str, Callable[[str, str], Any]] = {
    "personeelsnummer": _clean_personnel_number,
    "bsn": _clean_bsn,
    "postcode": _clean_postcode,
    "email": _clean_email,
    "geboortedatum": _clean_date,
    "in_dienst": _clean_date,
    "uit_dienst": _clean_date,
    "uren_per_week": _clean_hours,
    # Marked here for makemessages; translated when the message is made (see _choice).
    "geslacht": _choice(GENDERS, gettext_noop("geslacht %(value)s is onbekend (gebruik v, m of x)")),
    "contract": _choice(
        CONTRACTS,
        gettext_noop("contract %(value)s is onbekend (gebruik vast, tijdelijk, oproep, uitzend of stage)"),
    ),
}


def _flag_duplicates(
    rows: list[RowCheck], first_with_number: dict[str, int], first_with_bsn: dict[str, int]
) -> None:
    for row in rows:
        number = row.employment_values.get("personnel_number")
        if number:
            if number in first_with_number:
                row.problem(
                    _("personeelsnummer %(number)s staat ook in rij %(first)d")
                    % {"number": number, "first": first_with_number[number]}
                )
            else:
                first_with_number[number] = row.number
        bsn = row.employee_values.get("bsn")
        if bsn:
            if bsn in first_with_bsn:
                row.problem(
                    _("BSN %(bsn)s staat ook in rij %(first)d")
                    % {"bsn": mask_bsn(bsn), "first": first_with_bsn[bsn]}
                )
            else:
                first_with_bsn[bsn] = row.number


def _departments(employer: Employer) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for department in Department.objects.filter(employer=employer):
        # Exact spelling wins over a case-insensitive match ("ICT" and "Ict" may both exist).
        departments.setdefault(department.name.casefold(), department)
        departments[department.name] = department
    return departments


def _load_known(employer: Employer, rows: list[RowCheck], departments: dict[str, Department]) -> _Known:
    """What the database holds for these rows: the employments with their personnel numbers (and
    their people), the people with their BSNs, and those people's other numbers here."""
    numbers = [n for row in rows if (n := row.employment_values.get("personnel_number"))]
    by_number: dict[str, Employment] = {}
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        employments = Employment.objects.filter(
            employer=employer, personnel_number__in=numbers[start : start + LOOKUP_CHUNK]
        ).select_related("employee")
        for employment in employments:
            by_number[employment.personnel_number] = employment
    people = _people_by_bsn(rows, by_number)
    numbers_by_employee: dict[int, list[str]] = {}
    for employment in by_number.values():
        numbers_by_employee.setdefault(employment.employee_id, []).append(employment.personnel_number)
    # People known by BSN only: do they work here already, under a number this file does not have?
    others = [person.pk for person in people.values() if person.pk not in numbers_by_employee]
    for start in range(0, len(others), LOOKUP_CHUNK):
        pairs = Employment.objects.filter(
            employer=employer, employee_id__in=others[start : start + LOOKUP_CHUNK]
        )
        for employee_id, number in pairs.values_list("employee_id", "personnel_number"):
            numbers_by_employee.setdefault(employee_id, []).append(number)
    return _Known(departments, by_number, numbers_by_employee, people)


def _people_by_bsn(rows: list[RowCheck], by_number: dict[str, Employment]) -> dict[str, Employee]:
    # Start from the people loaded with the employments: a person changed by two rows of a batch
    # must be one object, and a re-import then needs no lookups at all.
    people = {e.employee.bsn_index: e.employee for e in by_number.values() if e.employee.bsn_index}
    for row in rows:
        bsn = row.employee_values.get("bsn")
        if bsn:
            row.employee_values["bsn_index"] = bsn_blind_index(bsn)
    unknown = [row.employee_values["bsn_index"] for row in rows if "bsn_index" in row.employee_values]
    unknown = [index for index in unknown if index not in people]
    for start in range(0, len(unknown), LOOKUP_CHUNK):
        for person in Employee.objects.filter(bsn_index__in=unknown[start : start + LOOKUP_CHUNK]):
            people[person.bsn_index] = person
    return people


def _resolve_department(row: RowCheck, known: _Known) -> None:
    name = row.raw.get("afdeling", "")
    if not name:
        return
    department = known.departments.get(name) or known.departments.get(name.casefold())
    if department is None:
        row.problem(_("onbekende afdeling %(name)s") % {"name": name})
    else:
        row.employment_values["department_id"] = department.pk


def _match(row: RowCheck, known: _Known) -> None:
    number = row.employment_values.get("personnel_number", "")
    bsn = row.employee_values.get("bsn", "")
    owner = known.by_bsn_index.get(row.employee_values.get("bsn_index", ""))
    employment = known.by_personnel_number.get(number) if number else None
    if employment is not None:
        _match_employment(row, employment, bsn, owner)
    elif owner is not None:
        _match_person(row, owner, known)
    if row.problems:
        row.action = INVALID
    elif row.employment is not None:
        row.action = UPDATE if row.employee_changes or row.employment_changes else UNCHANGED
    else:
        row.action = ATTACH if row.employee is not None else CREATE


def _match_employment(row: RowCheck, employment: Employment, bsn: str, owner: Employee | None) -> None:
    person = employment.employee
    if bsn and person.bsn and person.bsn != bsn:
        row.problem(
            _("BSN %(bsn)s wijkt af van het BSN dat bij personeelsnummer %(number)s bekend is")
            % {"bsn": mask_bsn(bsn), "number": employment.personnel_number}
        )
    elif owner is not None and owner.pk != person.pk:
        row.problem(
            _("BSN %(bsn)s hoort bij een andere persoon dan personeelsnummer %(number)s")
            % {"bsn": mask_bsn(bsn), "number": employment.personnel_number}
        )
    row.employment, row.employee = employment, person
    row.employee_changes = _changes(person, row.employee_values)
    row.employment_changes = _changes(employment, row.employment_values)


def _match_person(row: RowCheck, person: Employee, known: _Known) -> None:
    numbers = known.numbers_by_employee.get(person.pk)
    if numbers:
        row.problem(
            _("BSN %(bsn)s hoort al bij personeelsnummer %(number)s van deze werkgever")
            % {"bsn": mask_bsn(person.bsn), "number": ", ".join(sorted(numbers))}
        )
    else:
        # As registering by hand: knowing a BSN alone must not attach someone else's record.
        values = row.employee_values
        try:
            check_same_person(person, surname=values.get("surname", ""), birth_date=values.get("birth_date"))
        except DomainError as exc:
            row.problem(exc.message)
    row.employee = person
    # A new employer fills in blanks only: it cannot overwrite what another employer recorded.
    changes = _changes(person, row.employee_values)
    row.employee_changes = {
        name: value for name, value in changes.items() if getattr(person, name) in ("", None)
    }


def _changes(instance: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if getattr(instance, name) != value}
