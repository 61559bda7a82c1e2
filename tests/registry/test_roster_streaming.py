"""Issue 12: a roster import reads its file, stores its rows, checks and commits them a batch at a
time, so that its memory does not grow with the file (100,000 rows under 300 MiB: bench/roster_import.py).

Each test feeds rows through something that notices when they are read ahead of being used."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from arbo.registry import roster
from arbo.registry.models import Employment
from arbo.registry.models_roster import RosterImportRows
from tests.registry.test_roster import HEADER, csv_row

pytestmark = pytest.mark.django_db


def _row(n: int) -> str:
    return csv_row(
        personeelsnummer=f"S{n}", achternaam="Kok", geboortedatum="1981-01-01", in_dienst="2020-01-01"
    )


class _WatchedFile(io.BytesIO):
    """A CSV upload that notes, at every read, how many runs of rows were stored already."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.runs_stored_at_read: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.runs_stored_at_read.append(RosterImportRows.objects.count())
        return super().read(size)

    read1 = read

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        self.runs_stored_at_read.append(RosterImportRows.objects.count())
        return super().readinto(buffer)


def test_the_upload_is_stored_while_the_file_is_still_being_read(
    employer_a, casemanager_carla, monkeypatch
) -> None:
    monkeypatch.setattr(roster.checking, "ROWS_PER_RUN", 100)
    upload = _WatchedFile(("\n".join([HEADER, *(_row(n) for n in range(3000))]) + "\n").encode())

    batch = roster.store_upload(
        employer_a,
        roster.stream_file(upload, "personeel.csv"),
        filename="personeel.csv",
        by=casemanager_carla,
    )

    assert batch.row_count == 3000
    assert RosterImportRows.objects.filter(batch=batch).count() == 30
    # Read in blocks; runs were stored before the last block was read (the old code parsed the
    # whole file into a list first, and stored it as one payload).
    assert len(upload.runs_stored_at_read) > 3
    assert upload.runs_stored_at_read[-1] > 0
    assert [number for number, _ in roster.stored_records(batch)] == list(range(2, 3002))


def test_the_commit_writes_each_batch_before_it_reads_the_next(
    employer_a, casemanager_carla, monkeypatch
) -> None:
    monkeypatch.setattr(roster.committing, "BATCH_SIZE", 10)
    written_when_read: list[int] = []
    before = Employment.objects.filter(employer=employer_a).count()

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        columns = ["personeelsnummer", "achternaam", "geboortedatum", "in_dienst"]
        for n in range(50):
            written_when_read.append(Employment.objects.filter(employer=employer_a).count() - before)
            yield n + 2, dict(zip(columns, [f"S{n}", "Kok", "1981-01-01", "2020-01-01"], strict=True))

    result = roster.commit(employer_a, records(), by=casemanager_carla, total=50)

    assert result.created == 50
    # Row 11 is read after the first ten are written, row 21 after twenty, and so on.
    assert written_when_read[::10] == [0, 10, 20, 30, 40]


def test_the_preview_checks_batches_as_it_reads_them(employer_a, monkeypatch) -> None:
    monkeypatch.setattr(roster.validation, "BATCH_SIZE", 10)
    checked_when_read: list[int] = []
    reported: list[tuple[int, int]] = []

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        for n in range(30):
            checked_when_read.append(reported[-1][0] if reported else 0)
            yield (
                n + 2,
                {
                    "personeelsnummer": f"S{n}",
                    "achternaam": "Kok",
                    "geboortedatum": "1981-01-01",
                    "in_dienst": "2020-01-01",
                },
            )

    validation = roster.validate(
        employer_a, records(), lambda done, total: reported.append((done, total)), total=30
    )

    assert (validation.to_create, validation.total) == (30, 30)
    assert checked_when_read[::10] == [0, 10, 20]
