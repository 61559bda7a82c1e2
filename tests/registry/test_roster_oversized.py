"""XLSX files that unpack to more than a roster can hold are refused before they are parsed (issue 12).

The bombs are built here: a small, valid workbook whose parts are then rewritten, so each file is
a few kilobytes (or a few hundred) and would unpack to millions of rows or hundreds of megabytes.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arbo.registry import roster
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
from arbo.registry.roster import parsing
from tests.worker import run_tasks

pytestmark = pytest.mark.django_db

HEADER = ["personeelsnummer", "achternaam", "geboortedatum", "in_dienst"]
ROW = ["P1", "Jansen", "1980-01-01", "2020-01-01"]


def workbook_parts() -> dict[str, bytes]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes], *, padding: int = 0) -> bytes:
    """The parts as an XLSX; ``padding`` bytes of spaces in one more part, written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        if padding:
            part = zipfile.ZipInfo("xl/media/padding.bin")
            part.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(part, "w", force_zip64=True) as stream:
                chunk = b" " * 2**20
                for _ in range(padding // len(chunk)):
                    stream.write(chunk)
    return buffer.getvalue()


def with_sheet(parts: dict[str, bytes], rewrite) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    sheet = "xl/worksheets/sheet1.xml"
    return {**parts, sheet: rewrite(parts[sheet].decode()).encode()}


def declared_dimension(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


def no_dimension_one_million_rows_down(xml: str) -> str:
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml)
    return xml.replace(
        "</sheetData>",
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )


def declared_strings(count: int):  # type: ignore[no-untyped-def]
    def rewrite(parts: dict[str, bytes]) -> dict[str, bytes]:
        name = "xl/sharedStrings.xml"
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
            f'uniqueCount="{count}"><si><t>x</t></si></sst>'
        )
        return {**parts, name: xml.encode()}

    return rewrite


@pytest.fixture
def no_parsing(monkeypatch):  # type: ignore[no-untyped-def]
    """Fails the test if openpyxl is asked to open the workbook: the refusal comes before parsing."""

    def parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(parsing.openpyxl, "load_workbook", parse)


def test_a_workbook_unpacking_to_hundreds_of_megabytes_is_refused_unopened(no_parsing) -> None:  # type: ignore[no-untyped-def]
    data = zipped(workbook_parts(), padding=300 * 2**20)
    assert len(data) < 2 * 2**20  # a file of under 2 MB: 300 MB of spaces compress a thousandfold

    with pytest.raises(roster.RosterFileError, match="uitgepakt 300 MB groot; meer dan 256 MB"):
        roster.parse_file(io.BytesIO(data), "personeel.xlsx")


def test_a_workbook_declaring_millions_of_shared_strings_is_refused_unopened(no_parsing) -> None:  # type: ignore[no-untyped-def]
    data = zipped(declared_strings(5_000_000)(workbook_parts()))

    with pytest.raises(roster.RosterFileError, match="5000000 verschillende teksten; meer dan 1600000"):
        roster.parse_file(io.BytesIO(data), "personeel.xlsx")


def test_a_sheet_declaring_a_million_rows_by_16384_columns_is_refused_before_its_rows_are_read(
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    data = zipped(with_sheet(workbook_parts(), declared_dimension))
    assert len(data) < 10_000
    read = []
    original = parsing._stream
    monkeypatch.setattr(parsing, "_stream", lambda *args: read.append(args) or original(*args))

    with pytest.raises(roster.RosterFileError, match="meer dan 200000 rijen"):
        roster.parse_file(io.BytesIO(data), "personeel.xlsx")
    assert read == []


def test_a_sheet_whose_rows_run_a_million_down_without_a_dimension_is_refused() -> None:
    data = zipped(with_sheet(workbook_parts(), no_dimension_one_million_rows_down))

    with pytest.raises(roster.RosterFileError, match="meer dan 200000 rijen"):
        roster.parse_file(io.BytesIO(data), "personeel.xlsx")


def test_a_wide_dimension_is_not_padded_and_the_file_still_reads() -> None:
    def wide(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD2"/>', xml)

    parsed = roster.parse_file(io.BytesIO(zipped(with_sheet(workbook_parts(), wide))), "personeel.xlsx")

    assert parsed.rows == [(2, ROW)]


def test_the_upload_request_refuses_a_zip_bomb_in_dutch_and_keeps_nothing(
    mfa_client,
    casemanager_carla,
    employer_a,  # type: ignore[no-untyped-def]
) -> None:
    """The zip's directory is read in the upload request (milliseconds): refused there."""
    client = mfa_client(casemanager_carla)
    bomb = zipped(workbook_parts(), padding=300 * 2**20)

    response = client.post(
        reverse("registry:roster_upload", args=[employer_a.pk]),
        {"file": SimpleUploadedFile("personeel.xlsx", bomb, content_type="application/octet-stream")},
    )

    assert response.status_code == 200
    assert "Het XLSX-bestand is uitgepakt 300 MB groot; meer dan 256 MB" in response.content.decode()
    assert RosterImport.objects.count() == 0
    assert RosterImportFile.objects.count() == 0


def test_a_sheet_too_long_is_refused_by_the_check_and_the_page_says_so_in_dutch(
    mfa_client,
    casemanager_carla,
    employer_a,  # type: ignore[no-untyped-def]
) -> None:
    """The sheet's dimension needs the workbook opened: the worker's check refuses it, the page
    says why, and neither the file nor a row is kept."""
    client = mfa_client(casemanager_carla)
    bomb = zipped(with_sheet(workbook_parts(), declared_dimension))

    response = client.post(
        reverse("registry:roster_upload", args=[employer_a.pk]),
        {"file": SimpleUploadedFile("personeel.xlsx", bomb, content_type="application/octet-stream")},
    )
    assert response.status_code == 302
    assert run_tasks() == 1
    page = client.get(response["Location"]).content.decode()

    assert (
        "Het bestand is niet ingelezen. Het bestand heeft meer dan 200000 rijen; splits het in kleinere "
        "bestanden." in page
    )
    assert RosterImport.objects.get().status == RosterImport.Status.FAILED
    assert (RosterImportFile.objects.count(), RosterImportRows.objects.count()) == (0, 0)
