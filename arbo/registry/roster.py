"""Roster import: an employer's employee list from a CSV or XLSX file.

:func:`parse_file` reads the file into a :class:`ParsedRoster` (every cell as text, as typed);
:func:`validate` checks each row against the rest of the file and the database and says what
committing would do with it; :func:`commit` writes everything in one transaction, or nothing at
all when any row has a problem. :func:`store_upload` and :func:`commit_import` keep the parsed rows
(encrypted, they hold BSNs) in a :class:`RosterImport` between the preview and the commit.

Matching, in this order: the employer's personnel number (that employment and its person), then the
BSN (that person gets a new employment), else a new person. Empty cells never clear stored data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import EmailValidator
from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from arbo.access.matrix import Category
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.registry.domain import check_same_person
from arbo.registry.models import (
    Department,
    Employee,
    Employer,
    EmployerMembership,
    Employment,
    bsn_blind_index,
)
from arbo.registry.models_roster import RosterImport
from arbo.registry.validators import mask_bsn, normalise_bsn, normalise_postcode

Progress = Callable[[int, int], None]

#: The columns a roster may have, in the order the preview shows them.
COLUMNS: tuple[str, ...] = (
    "personeelsnummer",
    "bsn",
    "voorletters",
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geslacht",
    "geboortedatum",
    "straat",
    "huisnummer",
    "postcode",
    "plaats",
    "telefoon",
    "mobiel",
    "email",
    "afdeling",
    "functie",
    "in_dienst",
    "uit_dienst",
    "uren_per_week",
    "contract",
)
REQUIRED: tuple[str, ...] = ("personeelsnummer", "achternaam", "geboortedatum", "in_dienst")

#: Other header spellings (after lower-casing and turning spaces and dashes into "_").
ALIASES: dict[str, str] = {
    "personnel_number": "personeelsnummer",
    "employee_number": "personeelsnummer",
    "personeelsnr": "personeelsnummer",
    "burgerservicenummer": "bsn",
    "initials": "voorletters",
    "first_names": "voornamen",
    "first_name": "voornamen",
    "voornaam": "voornamen",
    "infix": "tussenvoegsel",
    "surname_prefix": "tussenvoegsel",
    "surname": "achternaam",
    "last_name": "achternaam",
    "gender": "geslacht",
    "sex": "geslacht",
    "birth_date": "geboortedatum",
    "date_of_birth": "geboortedatum",
    "street": "straat",
    "house_number": "huisnummer",
    "postal_code": "postcode",
    "zip_code": "postcode",
    "city": "plaats",
    "woonplaats": "plaats",
    "phone": "telefoon",
    "telephone": "telefoon",
    "mobile": "mobiel",
    "e_mail": "email",
    "department": "afdeling",
    "job_title": "functie",
    "function": "functie",
    "position": "functie",
    "start_date": "in_dienst",
    "starts_on": "in_dienst",
    "datum_in_dienst": "in_dienst",
    "end_date": "uit_dienst",
    "ends_on": "uit_dienst",
    "datum_uit_dienst": "uit_dienst",
    "hours_per_week": "uren_per_week",
    "contract_type": "contract",
    "soort_contract": "contract",
}

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

MAX_ROWS = 200_000
#: Rows written per round trip; also how often progress is reported.
BATCH_SIZE = 1000
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


class RosterFileError(Exception):
    """The file as a whole cannot be read (the message says why, in the user's language)."""


class RosterHasProblems(Exception):
    """Commit refused: at least one row has a problem. Nothing was written."""

    def __init__(self, validation: Validation) -> None:
        super().__init__(f"{validation.problem_rows} rows have problems")
        self.validation = validation


class RosterNotPending(Exception):
    """The batch was committed or refused already."""


class _Problem(Exception):
    pass


# --- Parsing ------------------------------------------------------------------------------------


@dataclass
class ParsedRoster:
    """The file's rows as text: ``rows`` holds (spreadsheet row number, values in ``columns`` order)."""

    columns: list[str]
    rows: list[tuple[int, list[str]]]
    ignored: list[str] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        for number, values in self.rows:
            yield number, dict(zip(self.columns, values, strict=True))


def parse_file(upload: IO[bytes] | File, filename: str) -> ParsedRoster:
    """Read a CSV or XLSX upload; raises :class:`RosterFileError` when it cannot be read."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return parse_csv(upload.read())
    if suffix == ".xlsx":
        return parse_xlsx(upload)
    raise RosterFileError(_("Alleen CSV- en XLSX-bestanden kunnen worden ingelezen."))


def parse_csv(data: bytes) -> ParsedRoster:
    """Parse UTF-8 CSV (with or without BOM); the delimiter is ";" or ",", whichever the header uses more."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _("Het bestand is geen UTF-8-tekst. Sla het in Excel op als 'CSV UTF-8'.")
        raise RosterFileError(message) from exc
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise RosterFileError(_("Het bestand is leeg."))
        return _build(header, enumerate(reader, start=2))
    except csv.Error as exc:
        raise RosterFileError(_("Het CSV-bestand is onleesbaar: %(reason)s") % {"reason": exc}) from exc


def parse_xlsx(upload: IO[bytes] | File) -> ParsedRoster:
    """Parse the first worksheet of an XLSX workbook (streamed: read-only mode)."""
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a broken file
        raise RosterFileError(_("Het XLSX-bestand is onleesbaar of beschadigd.")) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise RosterFileError(_("Het bestand is leeg."))
        cells = ([_cell_text(value) for value in row] for row in rows)
        return _build([_cell_text(value) for value in header], enumerate(cells, start=2))
    except RosterFileError:
        raise
    except Exception as exc:  # a sheet's XML can be broken even when the workbook opened
        raise RosterFileError(_("Het XLSX-bestand is onleesbaar of beschadigd.")) from exc
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Excel stores numbers as floats: personnel number 1001 must not become "1001.0".
        return str(int(value))
    return str(value)


def _canonical(header: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return ALIASES.get(name, name)


def _build(header: list[str], records: Iterable[tuple[int, list[str]]]) -> ParsedRoster:
    positions, ignored = _map_header(header)
    columns = list(positions)
    rows: list[tuple[int, list[str]]] = []
    for number, record in records:
        values = [record[i].strip() if i < len(record) else "" for i in positions.values()]
        if not any(values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            message = _("Het bestand heeft meer dan %(max)d rijen; splits het in kleinere bestanden.")
            raise RosterFileError(message % {"max": MAX_ROWS})
    if not rows:
        raise RosterFileError(_("Het bestand bevat geen rijen met medewerkers."))
    return ParsedRoster(columns=columns, rows=rows, ignored=ignored)


def _map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        column = _canonical(title)
        if column in positions:
            raise RosterFileError(
                _("De kolom %(column)s staat meer dan eens in het bestand.") % {"column": column}
            )
        if column in COLUMNS:
            positions[column] = index
        elif title.strip():
            ignored.append(title.strip())
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        raise RosterFileError(
            _("Verplichte kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return positions, ignored


def dump_payload(roster: ParsedRoster) -> str:
    return json.dumps(
        {"columns": roster.columns, "rows": roster.rows, "ignored": roster.ignored}, separators=(",", ":")
    )


def load_payload(payload: str) -> ParsedRoster:
    data = json.loads(payload)
    rows = [(number, values) for number, values in data["rows"]]
    return ParsedRoster(columns=data["columns"], rows=rows, ignored=data.get("ignored", []))


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
        # ATTACH shows as new too: the uploader need not learn that the person is known elsewhere.
        labels = {CREATE: _("nieuw"), ATTACH: _("nieuw"), UPDATE: _("bijwerken"), UNCHANGED: _("ongewijzigd")}
        return labels.get(self.action, _("niet inleesbaar"))

    def problem(self, message: str) -> None:
        self.problems.append(_("Rij %(row)d: %(problem)s") % {"row": self.number, "problem": message})


@dataclass
class Validation:
    rows: list[RowCheck]
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, *actions: str) -> int:
        return sum(1 for row in self.rows if row.action in actions)

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
        return [message for row in self.rows for message in row.problems]

    @property
    def ok(self) -> bool:
        return self.problem_rows == 0


@dataclass
class _Known:
    """What the database holds for this employer, loaded once per validation."""

    departments: dict[str, Department]
    by_personnel_number: dict[str, Employment]
    numbers_by_employee: dict[int, list[str]]
    by_bsn_index: dict[str, Employee]


def validate(employer: Employer, roster: ParsedRoster, progress: Progress | None = None) -> Validation:
    """Check every row; nothing is written. Problems are messages starting with "Rij N:"."""
    today = timezone.localdate()
    rows = [_clean_row(number, raw, today) for number, raw in roster.records()]
    _flag_duplicates(rows)
    known = _load_known(employer, rows)
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        _resolve_department(row, known)
        _match(row, known)
        if progress and done % BATCH_SIZE == 0:
            progress(done, total)
    return Validation(rows=rows, ignored_columns=roster.ignored)


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
    birth_date = row.employee_values.get("birth_date")
    if birth_date and birth_date > today:
        row.problem(_("geboortedatum %(value)s ligt in de toekomst") % {"value": row.raw["geboortedatum"]})
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
        raise _Problem(_("BSN %(value)s voldoet niet aan de elfproef") % {"value": value}) from exc


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


def _clean_date(column: str, value: str) -> dt.date:
    day = _parse_date(value)
    if day is None or day.year < 1900:
        raise _Problem(
            _("%(column)s %(value)s is geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)")
            % {"column": column, "value": value}
        )
    return day


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


def _flag_duplicates(rows: list[RowCheck]) -> None:
    first_with_number: dict[str, int] = {}
    first_with_bsn: dict[str, int] = {}
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


def _load_known(employer: Employer, rows: list[RowCheck]) -> _Known:
    departments: dict[str, Department] = {}
    for department in Department.objects.filter(employer=employer):
        # Exact spelling wins over a case-insensitive match ("ICT" and "Ict" may both exist).
        departments.setdefault(department.name.casefold(), department)
        departments[department.name] = department
    by_number: dict[str, Employment] = {}
    numbers_by_employee: dict[int, list[str]] = {}
    for employment in Employment.objects.filter(employer=employer).select_related("employee"):
        by_number[employment.personnel_number] = employment
        numbers_by_employee.setdefault(employment.employee_id, []).append(employment.personnel_number)
    return _Known(departments, by_number, numbers_by_employee, _people_by_bsn(rows, by_number))


def _people_by_bsn(rows: list[RowCheck], by_number: dict[str, Employment]) -> dict[str, Employee]:
    # Start from the people loaded with the employments: a person changed by two rows must be one
    # object, and a re-import then needs no lookups at all.
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


# --- Commit -------------------------------------------------------------------------------------


@dataclass
class CommitResult:
    created: int
    attached: int
    updated: int
    unchanged: int

    @property
    def employments_created(self) -> int:
        return self.created + self.attached


def commit(
    employer: Employer,
    roster: ParsedRoster,
    *,
    by: User,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
    batch: RosterImport | None = None,
) -> CommitResult:
    """Validate again and write every row in one transaction; raise :class:`RosterHasProblems` if
    any row has a problem (then nothing is written). One audit record per created or updated
    person, plus one summary record, in the same transaction.

    ``progress(done, total)`` is called after every batch; the units are rows written plus audit
    records written, so ``total`` exceeds the number of rows."""
    with transaction.atomic():
        # Two imports for one employer at once could both create the same personnel number.
        list(Employer.objects.select_for_update().filter(pk=employer.pk).values_list("pk"))
        validation = validate(employer, roster)
        if not validation.ok:
            raise RosterHasProblems(validation)
        audit = _Audit(by, request, {"employer": employer.pk, "import": batch.pk if batch else None})
        _write_all(employer, validation.rows, audit, progress or _no_progress)
        result = CommitResult(
            created=validation.count(CREATE),
            attached=validation.to_attach,
            updated=validation.to_update,
            unchanged=validation.unchanged,
        )
        summary = {**audit.data, "rows": len(validation.rows), **asdict(result)}
        log.record(
            by,
            log.Action.EXECUTE,
            "registry.roster_imported",
            obj=batch or employer,
            category=Category.A,
            request=request,
            data=summary,
        )
    return result


def _no_progress(done: int, total: int) -> None:
    pass


@dataclass
class _Audit:
    by: User
    request: HttpRequest | None
    data: dict[str, Any]


def _write_all(employer: Employer, rows: list[RowCheck], audit: _Audit, progress: Progress) -> None:
    starting = [row for row in rows if row.action in (CREATE, ATTACH)]
    # One record per person, even when two of the person's employments were updated.
    updated = list(
        {row.employee.pk: row.employee for row in rows if row.action == UPDATE and row.employee}.values()
    )
    total = len(rows) + len(starting) + len(updated)
    progress(0, total)
    for start in range(0, len(rows), BATCH_SIZE):
        _write_batch(employer, rows[start : start + BATCH_SIZE])
        progress(min(start + BATCH_SIZE, len(rows)), total)
    # Audit last: the first audit record locks the audit chain for every other audited transaction
    # until this one commits, so the lock is held for the audit writes only, not the whole import.
    created = [row.employee for row in starting]
    done = len(rows)
    for action, people in ((log.Action.CREATE, created), (log.Action.UPDATE, updated)):
        for start in range(0, len(people), BATCH_SIZE):
            done += _audit_people(audit, action, people[start : start + BATCH_SIZE])
            progress(done, total)


def _audit_people(audit: _Audit, action: str, people: list[Any]) -> int:
    # The audit log reads the actor's functions for every record; load them once.
    prefetch_related_objects([audit.by], "function_assignments")
    return log.record_many(
        audit.by,
        action,
        "registry.roster_imported",
        people,
        category=Category.A,
        request=audit.request,
        data=audit.data,
    )


def _write_batch(employer: Employer, rows: list[RowCheck]) -> None:
    now = timezone.now()
    _insert(Employee, [_new_person(row) for row in rows if row.action == CREATE])
    _update(Employee, _apply(rows, "employee", "employee_changes", now), extra=("updated_at",))
    _update(Employment, _apply(rows, "employment", "employment_changes", None))
    new_jobs = [
        Employment(employee=row.employee, employer=employer, **row.employment_values)
        for row in rows
        if row.action in (CREATE, ATTACH)
    ]
    _insert(Employment, new_jobs)


def _new_person(row: RowCheck) -> Employee:
    # Bulk inserts skip Employee.save(), which is what normally derives the blind index.
    person = Employee(**{k: v for k, v in row.employee_values.items() if k != "bsn_index"})
    person.bsn_index = bsn_blind_index(person.bsn)
    row.employee = person
    return person


def _apply(rows: list[RowCheck], target: str, changes: str, now: dt.datetime | None) -> dict[Any, set[str]]:
    """Set the changed values on the loaded instances; return instance -> changed field names."""
    changed: dict[Any, set[str]] = {}
    for row in rows:
        instance, values = getattr(row, target), getattr(row, changes)
        if instance is None or not values or row.action not in (UPDATE, ATTACH):
            continue
        for name, value in values.items():
            setattr(instance, name, value)
        if "bsn" in values:
            instance.bsn_index = bsn_blind_index(instance.bsn)
        if now is not None:
            instance.updated_at = now
        changed.setdefault(instance, set()).update(values)
    return changed


# --- Bulk writes ----------------------------------------------------------------------------------
# On PostgreSQL rows go in with COPY: bulk_create and bulk_update spend ~0.2 ms and ~1 ms per row in
# Python preparing values, too slow for 100,000 rows. Elsewhere (SQLite) the ORM's bulk methods.

#: Field types whose Python value psycopg writes as is; any other field prepares its own value
#: (the encrypted BSN encrypts in get_prep_value).
_PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BooleanField,
        models.CharField,
        models.DateField,
        models.DateTimeField,
        models.DecimalField,
        models.EmailField,
        models.ForeignKey,
        models.IntegerField,
        models.OneToOneField,
        models.PositiveIntegerField,
        models.TextField,
    }
)


def _insert(model: Any, objs: list[Any]) -> None:
    """Insert new instances; afterwards each has its primary key, as after bulk_create."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    _copy(meta.db_table, list(meta.concrete_fields), objs, add=True)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def _update(model: Any, changed: dict[Any, set[str]], extra: tuple[str, ...] = ()) -> None:
    """Write the named fields of each changed instance (the union of names, for every instance)."""
    if not changed:
        return
    names = set().union(*changed.values(), extra) - {"bsn_index"}
    if "bsn" in names:
        names.add("bsn_index")
    if connection.vendor != "postgresql":
        model.objects.bulk_update(list(changed), sorted(names), batch_size=BATCH_SIZE)
        return
    meta, q = model._meta, connection.ops.quote_name
    fields = [meta.pk, *(meta.get_field(name) for name in sorted(names))]
    table, pk = q(meta.db_table), q(meta.pk.column)
    columns = ", ".join(q(f.column) for f in fields)
    assignments = ", ".join(f"{q(f.column)} = s.{q(f.column)}" for f in fields[1:])
    # Identifiers come from the model's own metadata, quoted; every value goes through COPY.
    create = f"CREATE TEMP TABLE roster_changes AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
    update = f"UPDATE {table} AS t SET {assignments} FROM roster_changes AS s WHERE t.{pk} = s.{pk}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(create)
        _copy("roster_changes", fields, list(changed), add=False)
        cursor.execute(update)
        cursor.execute("DROP TABLE roster_changes")


def _copy(table: str, fields: list[Any], objs: list[Any], *, add: bool) -> None:
    readers = [_reader(field, add) for field in fields]
    q = connection.ops.quote_name
    statement = f"COPY {q(table)} ({', '.join(q(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for obj in objs:
            copy.write_row([read(obj) for read in readers])


def _reader(field: Any, add: bool) -> Callable[[Any], Any]:
    if getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False)):
        return lambda obj: field.pre_save(obj, add)
    if type(field) in _PLAIN_FIELDS:
        return operator.attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, field.attname), connection)


# --- Access ---------------------------------------------------------------------------------------


def may_import(user: User, employer: Employer) -> bool:
    """Besides visibility and change rights on A and D (checked by the views): an employer user
    must be HR for the whole employer, since an import touches every employee, not just the
    departments a manager is limited to."""
    if user.kind == User.Kind.STAFF:
        return True
    if user.kind != User.Kind.EMPLOYER:
        return False
    memberships = EmployerMembership.objects.filter(
        user=user, employer=employer, role=EmployerMembership.Role.HR
    )
    return memberships.filter(departments__isnull=True).exists()


# --- Batches kept between preview and commit ------------------------------------------------------


def store_upload(
    employer: Employer, roster: ParsedRoster, *, filename: str, by: User, request: HttpRequest | None = None
) -> RosterImport:
    """Keep the parsed rows (encrypted) for preview and commit; the upload itself is audited."""
    with transaction.atomic():
        batch = RosterImport.objects.create(
            employer=employer,
            uploaded_by=by,
            filename=Path(filename).name[:255],
            payload=dump_payload(roster),
            row_count=len(roster.rows),
        )
        log.record(
            by,
            log.Action.CREATE,
            "registry.roster_uploaded",
            obj=batch,
            category=Category.A,
            request=request,
            data={"employer": employer.pk, "rows": batch.row_count},
        )
    return batch


def commit_import(
    batch: RosterImport, *, by: User, request: HttpRequest | None = None, progress: Progress | None = None
) -> CommitResult:
    """Commit a previewed batch once. A refused batch is marked failed; its rows are discarded then,
    as after a successful commit, so no BSNs are kept longer than needed."""
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().select_related("employer").get(pk=batch.pk)
            if locked.status != RosterImport.Status.PREVIEWED:
                raise RosterNotPending
            result = commit(
                locked.employer,
                load_payload(locked.payload),
                by=by,
                request=request,
                progress=progress,
                batch=locked,
            )
            locked.status = RosterImport.Status.COMMITTED
            locked.created_count, locked.updated_count = result.employments_created, result.updated
            locked.payload, locked.committed_at = "", timezone.now()
            locked.save()
    except RosterHasProblems:
        RosterImport.objects.filter(pk=batch.pk, status=RosterImport.Status.PREVIEWED).update(
            status=RosterImport.Status.FAILED, payload=""
        )
        raise
    batch.refresh_from_db()
    return result
