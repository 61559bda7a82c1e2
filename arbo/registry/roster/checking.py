"""Roster upload and check (issue 11): the upload request keeps the file as it came, encrypted, and
queues the ``check_roster`` task; the worker reads the file into runs of rows, checks every row
against the database, and keeps the preview (the counts and the rows the page shows). The commit
(:mod:`.committing`) follows from there.

A check can run again: one stopped (SIGTERM) or killed (SIGKILL) half-way leaves some runs behind,
which the next run deletes before it starts; runs are unique per batch and number, and the batch
becomes "previewed" once, in the transaction that deletes the file, so each row is stored once.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from arbo.audit import context, log
from arbo.identity.models import User
from arbo.lib import crypto, pgcopy
from arbo.lib.categories import Category
from arbo.registry.models import Employer
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
from arbo.registry.roster.committing import (
    RosterNotPending,
    access_point,
    client_of_request,
    discard_rows,
)
from arbo.registry.roster.parsing import (
    ParsedRoster,
    Progress,
    RosterFileError,
    StreamedRoster,
    dump_rows,
    stream_file,
)
from arbo.registry.roster.validation import BATCH_SIZE, Checker, PreviewRow, Validation, batched

#: Rows per stored run (:class:`RosterImportRows`): about 0.4 MB of JSON for a full roster row.
ROWS_PER_RUN = 2000
#: Bytes of the uploaded file per stored chunk (:class:`RosterImportFile`).
FILE_CHUNK = 1024 * 1024


def _chunk_context(import_id: int, number: int) -> str:
    # Bound to the batch and the position: a chunk cannot be moved to another file or place.
    return f"registry.rosterimportfile.data:{import_id}:{number}"


def receive_upload(employer: Employer, upload: IO[bytes] | File, *, filename: str, by: User) -> RosterImport:
    """The upload request's half: keep the file, encrypted in chunks of :data:`FILE_CHUNK` bytes
    (read and written one chunk at a time), and queue the check in the same transaction; return at
    once. What can be refused cheaply was refused before (:func:`.parsing.check_file`). The
    uploader's access point and language go along: the worker writes the audit record and the
    problems in the uploader's language."""
    from arbo.registry.tasks import check_roster  # noqa: PLC0415 — tasks imports this module: a cycle at module level

    upload.seek(0)
    with transaction.atomic():
        batch = _new_batch(employer, by, filename)
        pgcopy.insert_binary(RosterImportFile, ["batch", "number", "data"], _sealed_chunks(batch.pk, upload))
        check_roster.enqueue(
            batch.pk,
            client=client_of_request(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    return batch


def _sealed_chunks(import_id: int, upload: IO[bytes] | File) -> Iterator[tuple[int, int, bytes]]:
    number = 0
    while chunk := upload.read(FILE_CHUNK):
        yield import_id, number, crypto.encrypt_bytes(chunk, context=_chunk_context(import_id, number))
        number += 1


@contextlib.contextmanager
def _uploaded_file(import_id: int) -> Iterator[IO[bytes]]:
    """The stored file decrypted into an anonymous temporary file (unlinked at once, gone when closed
    or when the process dies): openpyxl needs a file it can seek in."""
    numbers = list(
        RosterImportFile.objects.filter(batch_id=import_id)
        .order_by("number")
        .values_list("number", flat=True)
    )
    with tempfile.TemporaryFile() as file:
        for number in numbers:
            data = RosterImportFile.objects.values_list("data", flat=True).get(
                batch_id=import_id, number=number
            )
            file.write(crypto.decrypt_bytes(data, context=_chunk_context(import_id, number)))
        file.seek(0)
        yield file


def run_queued_check(
    import_id: int, *, client: dict[str, str], language: str, progress: Progress | None = None
) -> dict[str, Any]:
    """The worker's half: read the stored file into runs of rows and check them. Runs again
    harmlessly: a batch checked already (or gone) is left alone, and the runs a stopped or killed
    run left are replaced."""
    batch = (
        RosterImport.objects.select_related("employer", "uploaded_by")
        .defer("payload")
        .filter(pk=import_id)
        .first()
    )
    if batch is None or not batch.is_checking:
        return {"status": batch.status if batch else "gone"}
    RosterImportRows.objects.filter(batch_id=import_id).delete()
    with translation.override(language or settings.LANGUAGE_CODE), context.bound(access_point(client)):
        try:
            with _uploaded_file(import_id) as file:
                size = file.seek(0, 2)
                file.seek(0)

                def after_run() -> None:
                    # In bytes of the file read: the rows are not counted before they are read.
                    if progress:
                        progress(min(file.tell(), size - 1), size)

                rows = _finish(batch, _store_and_check(batch, stream_file(file, batch.filename), after_run))
        except RosterNotPending:
            return {"status": RosterImport.objects.values_list("status", flat=True).get(pk=import_id)}
        except RosterFileError as exc:
            _refuse(import_id, str(exc))
            return {"status": "failed", "unreadable": True}
        except Exception:
            # Anything else: the batch must not wait for ever, and the file must not stay.
            _refuse(import_id, _("Het bestand kon niet worden gecontroleerd. Upload het opnieuw."))
            raise
    return {"status": "previewed", "rows": rows}


def _new_batch(employer: Employer, by: User, filename: str) -> RosterImport:
    """A batch waiting for its check, named after the uploaded file (without its path)."""
    return RosterImport.objects.create(
        employer=employer,
        uploaded_by=by,
        filename=Path(filename).name[:255],
        status=RosterImport.Status.CHECKING,
    )


def store_upload(
    employer: Employer, roster: ParsedRoster | StreamedRoster, *, filename: str, by: User
) -> RosterImport:
    """Store and check parsed rows at once, in the caller's transaction and language (tests, the
    benchmarks): the worker's check without the file. When the file turns out unreadable on the way
    (:class:`RosterFileError`), nothing is kept."""
    with transaction.atomic():
        batch = _new_batch(employer, by, filename)
        streamed = StreamedRoster(columns=roster.columns, ignored=roster.ignored, rows=iter(roster.rows))
        _finish(batch, _store_and_check(batch, streamed, None))
    batch.refresh_from_db()
    return batch


class _Checked:
    def __init__(self, streamed: StreamedRoster, checker: Checker) -> None:
        self.columns, self.ignored, self.checker = streamed.columns, streamed.ignored, checker


def _store_and_check(
    batch: RosterImport, streamed: StreamedRoster, after_run: Callable[[], None] | None
) -> _Checked:
    """Store the rows encrypted, :data:`ROWS_PER_RUN` at a time, and check each run against the
    database as it is stored (:class:`Checker`, :data:`BATCH_SIZE` rows at a time): the file is read
    once and no more than a run is held."""
    checker = Checker(batch.employer, ignored=streamed.ignored)
    columns = streamed.columns
    for number, run in enumerate(batched(streamed.rows, ROWS_PER_RUN)):
        RosterImportRows.objects.create(batch=batch, number=number, rows=dump_rows(run))
        for part in batched(run, BATCH_SIZE):
            checker.check([(row, dict(zip(columns, values, strict=True))) for row, values in part])
        if after_run:
            after_run()
    return _Checked(streamed, checker)


def _finish(batch: RosterImport, checked: _Checked) -> int:
    """The check is done: keep the preview, delete the file, record the upload; once."""
    validation = checked.checker.validation()
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().defer("payload").get(pk=batch.pk)
        if not locked.is_checking:
            raise RosterNotPending
        locked.payload = dump_checked(checked.columns, checked.ignored, validation)
        locked.row_count = validation.total
        locked.status = RosterImport.Status.PREVIEWED
        locked.save(update_fields=["payload", "row_count", "status"])
        RosterImportFile.objects.filter(batch_id=batch.pk).delete()
        log.record(
            locked.uploaded_by,
            log.Action.CREATE,
            "registry.roster_uploaded",
            obj=locked,
            category=Category.A,
            data={"employer": locked.employer_id, "rows": locked.row_count},
        )
    return validation.total


def _refuse(import_id: int, message: str) -> None:
    """The file cannot be read: say why on the page; the file and any rows read go."""
    with transaction.atomic():
        changed = RosterImport.objects.filter(pk=import_id, status=RosterImport.Status.CHECKING).update(
            status=RosterImport.Status.FAILED, payload=json.dumps({"error": message})
        )
        if changed:
            RosterImportFile.objects.filter(batch_id=import_id).delete()
            discard_rows(import_id)


def dump_checked(columns: list[str], ignored: list[str], validation: Validation) -> str:
    """A checked batch's payload: its columns (the stored runs' order) and the preview."""
    preview = {
        "counts": validation.counts,
        "total": validation.total,
        "rows": [row.dump() for row in validation.shown()],
    }
    return json.dumps(
        {"columns": columns, "rows": [], "ignored": ignored, "preview": preview}, separators=(",", ":")
    )


def stored_preview(batch: RosterImport) -> Validation:
    """The preview the check kept: the counts over every row and the rows the page shows."""
    data = json.loads(RosterImport.objects.values_list("payload", flat=True).get(pk=batch.pk) or "{}")
    preview = data.get("preview") or {}
    return Validation(
        rows=[PreviewRow.load(row) for row in preview.get("rows", [])],
        ignored_columns=data.get("ignored", []),
        counts=preview.get("counts", {}),
        total=preview.get("total", 0),
    )


def file_error(batch: RosterImport) -> str:
    """Why the check refused the file ("" when it did not)."""
    if batch.status != RosterImport.Status.FAILED:
        return ""
    payload = RosterImport.objects.values_list("payload", flat=True).get(pk=batch.pk)
    return str(json.loads(payload).get("error", "")) if payload else ""
