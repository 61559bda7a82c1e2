"""Roster parsing: a CSV or XLSX upload read into a :class:`ParsedRoster`, every cell as text, as typed.

Knows the columns a roster may have and their other spellings; nothing here looks at the database.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import openpyxl
from django.core.files import File
from django.utils.translation import gettext as _

from arbo.lib.text import clean_text

#: ``progress(done, total)``, called while validating and committing.
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

MAX_ROWS = 200_000

# An XLSX is a zip of XML: a file of a few hundred kilobytes can unpack to gigabytes, or declare a
# sheet of a million rows by 16,384 columns that openpyxl fills with empty cells. These limits are
# checked from the zip's directory and the sheet's dimension, before anything is parsed.
#: Bytes all parts of a workbook may unpack to (a 100,000-row roster unpacks to about 40 MB).
MAX_UNPACKED = 256 * 1024 * 1024
#: Bytes the shared strings part may unpack to, and the strings it may declare: openpyxl loads them
#: all into memory when it opens the workbook.
MAX_SHARED_STRINGS_BYTES = 96 * 1024 * 1024
MAX_SHARED_STRINGS = MAX_ROWS * 8
#: Columns read from a row; a roster has 21, the rest is ignored anyway.
MAX_COLUMNS = 100
#: Rows a worksheet may span, empty ones included.
MAX_SHEET_ROWS = MAX_ROWS + 10_000


class RosterFileError(Exception):
    """The file as a whole cannot be read (the message says why, in the user's language)."""


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
    """Read a CSV or XLSX upload whole; raises :class:`RosterFileError` when it cannot be read.

    For tests and small files: the import itself streams (:func:`stream_file`)."""
    return stream_file(upload, filename).parsed()


def parse_csv(data: bytes) -> ParsedRoster:
    """Parse UTF-8 CSV (with or without BOM); the delimiter is ";" or ",", whichever the header uses more."""
    return stream_csv(io.BytesIO(data)).parsed()


def parse_xlsx(upload: IO[bytes] | File) -> ParsedRoster:
    """Parse the first worksheet of an XLSX workbook whole (see :func:`stream_xlsx`)."""
    return stream_xlsx(upload).parsed()


@dataclass
class StreamedRoster:
    """A roster read as it is used: the header at once, the rows one at a time from the file.

    ``rows`` yields (spreadsheet row number, values in ``columns`` order), skipping empty rows, and
    raises :class:`RosterFileError` when the file turns out unreadable or too long on the way; it
    can be iterated once. Nothing holds more than one row of the file (issue 12: a 100,000-row
    import in constant memory)."""

    columns: list[str]
    ignored: list[str]
    rows: Iterator[tuple[int, list[str]]]

    def parsed(self) -> ParsedRoster:
        return ParsedRoster(columns=self.columns, rows=list(self.rows), ignored=self.ignored)


def stream_file(upload: IO[bytes] | File, filename: str) -> StreamedRoster:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return stream_csv(upload)
    if suffix == ".xlsx":
        return stream_xlsx(upload)
    raise RosterFileError(_("Alleen CSV- en XLSX-bestanden kunnen worden ingelezen."))


def check_file(upload: IO[bytes] | File, filename: str) -> None:
    """Refuse what can be refused cheaply, in the upload request (issue 11: it answers in well under
    a second for any file): a CSV's header (UTF-8, the required columns), an XLSX's zip directory
    (:func:`refuse_oversized_xlsx`). The rows, and an XLSX's sheet, are read by the worker's check."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        stream_csv(upload)  # reads the header line only; the rows are left unread
    elif suffix == ".xlsx":
        refuse_oversized_xlsx(upload)
    else:
        raise RosterFileError(_("Alleen CSV- en XLSX-bestanden kunnen worden ingelezen."))
    upload.seek(0)


class _KeepOpen(io.TextIOWrapper):
    """Reads the upload as text without closing it when done or collected: its owner closes it."""

    def close(self) -> None:
        with contextlib.suppress(ValueError):  # detached already
            self.detach()


def stream_csv(upload: IO[bytes] | File) -> StreamedRoster:
    """UTF-8 CSV (with or without BOM) read line by line from the file; the delimiter is ";" or ","
    , whichever the header uses more."""
    upload.seek(0)
    binary = upload.file if isinstance(upload, File) else upload
    text = _KeepOpen(cast(IO[bytes], binary), encoding="utf-8-sig", newline="")
    not_utf8 = _("Het bestand is geen UTF-8-tekst. Sla het in Excel op als 'CSV UTF-8'.")
    try:
        header_line = text.readline()
    except UnicodeDecodeError as exc:
        raise RosterFileError(not_utf8) from exc
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    lines = itertools.chain([header_line], text)

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            reader = csv.reader(lines, delimiter=delimiter)
            next(reader, None)  # the header, read below
            yield from enumerate(reader, start=2)
        except UnicodeDecodeError as exc:
            raise RosterFileError(not_utf8) from exc
        except csv.Error as exc:
            raise RosterFileError(_("Het CSV-bestand is onleesbaar: %(reason)s") % {"reason": exc}) from exc

    try:
        header = next(csv.reader([header_line], delimiter=delimiter), None) if header_line else None
    except csv.Error as exc:
        raise RosterFileError(_("Het CSV-bestand is onleesbaar: %(reason)s") % {"reason": exc}) from exc
    if header is None:
        raise RosterFileError(_("Het bestand is leeg."))
    return _stream(header, records())


def stream_xlsx(upload: IO[bytes] | File) -> StreamedRoster:
    """The first worksheet of an XLSX workbook, read row by row (openpyxl's read-only parser), after
    refusing a workbook that unpacks to more than a roster can hold (:func:`refuse_oversized_xlsx`)."""
    refuse_oversized_xlsx(upload)
    broken = _("Het XLSX-bestand is onleesbaar of beschadigd.")
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a broken file
        raise RosterFileError(broken) from exc
    try:
        sheet = workbook.worksheets[0]
        _refuse_oversized_sheet(sheet.max_row or 0)
        rows = _sheet_rows(sheet)
        header = next(rows, None)
    except RosterFileError:
        workbook.close()
        raise
    except Exception as exc:  # a sheet's XML can be broken even when the workbook opened
        workbook.close()
        raise RosterFileError(broken) from exc
    if header is None:
        workbook.close()
        raise RosterFileError(_("Het bestand is leeg."))

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in rows:
                yield number, [_cell_text(value) for value in values]
        except RosterFileError:
            raise
        except Exception as exc:
            raise RosterFileError(broken) from exc
        finally:
            workbook.close()

    return _stream([_cell_text(value) for value in header[1]], records())


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows the sheet's XML holds, with their row numbers, each cut to :data:`MAX_COLUMNS`.

    openpyxl's own ``iter_rows`` pads every row to the declared width and fills every gap with
    empty rows (a sheet with one cell at row 1,048,576 gives a million rows); its parser gives the
    rows as they are, so a row far down is refused as soon as it is met."""
    from openpyxl.worksheet._reader import WorkSheetParser  # noqa: PLC0415 — openpyxl's own row parser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            if number > MAX_SHEET_ROWS:  # empty rows count: a sheet a million rows long is refused
                message = _("Het bestand heeft meer dan %(max)d rijen; splits het in kleinere bestanden.")
                raise RosterFileError(message % {"max": MAX_ROWS})
            if cells:
                yield number, sheet._get_row(cells, 1, MAX_COLUMNS, values_only=True)


def refuse_oversized_xlsx(upload: IO[bytes] | File) -> None:
    """Raise :class:`RosterFileError` when the workbook unpacks to more than :data:`MAX_UNPACKED`
    bytes, or its shared strings (loaded whole by openpyxl) to more than a roster needs. Reads only
    the zip's directory and the first bytes of the shared strings part: a zip bomb is refused in
    milliseconds, before any XML is parsed. Python's zipfile never unpacks a part beyond the size
    its directory declares, so the declared sizes are the sizes."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RosterFileError(_("Het XLSX-bestand is onleesbaar of beschadigd.")) from exc
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    strings = next((part for part in parts if part.filename.lower() == "xl/sharedstrings.xml"), None)
    declared = _declared_strings(archive, strings) if strings is not None else 0
    upload.seek(0)
    too_big = _(
        "Het XLSX-bestand is uitgepakt %(size)d MB groot; meer dan %(max)d MB kan niet worden ingelezen. "
        "Splits het in kleinere bestanden, of sla het op als CSV."
    )
    if unpacked > MAX_UNPACKED:
        raise RosterFileError(too_big % {"size": unpacked // 2**20, "max": MAX_UNPACKED // 2**20})
    if strings is not None and (
        strings.file_size > MAX_SHARED_STRINGS_BYTES or declared > MAX_SHARED_STRINGS
    ):
        message = _(
            "Het XLSX-bestand bevat %(count)d verschillende teksten; meer dan %(max)d kan niet worden "
            "ingelezen. Splits het in kleinere bestanden, of sla het op als CSV."
        )
        count = max(declared, strings.file_size // 16)  # an entry takes at least 16 bytes of XML
        raise RosterFileError(message % {"count": count, "max": MAX_SHARED_STRINGS})


def _declared_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """The ``uniqueCount`` (or ``count``) the shared strings part declares in its first element."""
    try:
        with archive.open(part) as stream:
            start = stream.read(2048).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RosterFileError(_("Het XLSX-bestand is onleesbaar of beschadigd.")) from exc
    found = re.search(r'<(?:\w+:)?sst\b[^>]*?\b(?:uniqueCount|count)="(\d+)"', start)
    return int(found.group(1)) if found else 0


def _refuse_oversized_sheet(rows: int) -> None:
    """The sheet's declared dimension (its first element) spans more rows than a roster holds.

    Its width needs no check: rows are read up to :data:`MAX_COLUMNS` columns and never padded."""
    if rows > MAX_SHEET_ROWS:
        message = _("Het bestand heeft meer dan %(max)d rijen; splits het in kleinere bestanden.")
        raise RosterFileError(message % {"max": MAX_ROWS})


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


def _stream(header: list[str], records: Iterator[tuple[int, list[str]]]) -> StreamedRoster:
    positions, ignored = _map_header(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        count = 0
        for number, record in records:
            # Issue 19: NFC, no NUL, control or zero-width characters, in every cell of either
            # format, before validation: what the preview shows is what the commit writes (a NUL
            # byte used to pass the preview and fail PostgreSQL's COPY).
            values = [clean_text(record[i]) if i < len(record) else "" for i in positions.values()]
            if not any(values):
                continue
            count += 1
            if count > MAX_ROWS:
                message = _("Het bestand heeft meer dan %(max)d rijen; splits het in kleinere bestanden.")
                raise RosterFileError(message % {"max": MAX_ROWS})
            yield number, values
        if not count:
            raise RosterFileError(_("Het bestand bevat geen rijen met medewerkers."))

    return StreamedRoster(columns=list(positions), ignored=ignored, rows=rows())


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


def dump_header(columns: list[str], ignored: list[str]) -> str:
    """A batch's payload when its rows are stored in runs: the columns, and no rows."""
    return json.dumps({"columns": columns, "rows": [], "ignored": ignored}, separators=(",", ":"))


def dump_rows(rows: Iterable[tuple[int, list[str]]]) -> str:
    return json.dumps(list(rows), separators=(",", ":"))


def load_rows(run: str) -> list[tuple[int, list[str]]]:
    return [(number, values) for number, values in json.loads(run)]


def load_payload(payload: str) -> ParsedRoster:
    data = json.loads(payload)
    rows = [(number, values) for number, values in data["rows"]]
    return ParsedRoster(columns=data["columns"], rows=rows, ignored=data.get("ignored", []))
