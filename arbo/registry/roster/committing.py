"""Roster commit: every row of a validated roster written in one transaction, or nothing at all when
any row has a problem; and the :class:`RosterImport` batch's stored rows (encrypted, they hold
BSNs), which the check (:mod:`.checking`) keeps between the preview and the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from arbo.audit import chain, context, log
from arbo.identity.models import User
from arbo.lib import pgcopy
from arbo.lib.categories import Category
from arbo.registry.models import Employee, Employer, Employment, bsn_blind_index
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
from arbo.registry.roster.parsing import (
    ParsedRoster,
    Progress,
    load_payload,
    load_rows,
)
from arbo.registry.roster.validation import (
    ATTACH,
    BATCH_SIZE,
    CREATE,
    UPDATE,
    Checker,
    RowCheck,
    Validation,
    batched,
    validate,
)


class RosterHasProblems(Exception):
    """Commit refused: at least one row has a problem. Nothing was written."""

    def __init__(self, validation: Validation) -> None:
        super().__init__(f"{validation.problem_rows} rows have problems")
        self.validation = validation


class RosterNotPending(Exception):
    """The batch was committed or refused already."""


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
    roster: ParsedRoster | Iterable[tuple[int, dict[str, str]]],
    *,
    by: User,
    progress: Progress | None = None,
    batch: RosterImport | None = None,
    total: int = 0,
) -> CommitResult:
    """Validate again and write every row in one transaction; raise :class:`RosterHasProblems` if
    any row has a problem (then nothing is written). One audit record per created or updated
    person, plus one summary record, in the same transaction.

    ``roster`` is a parsed roster or an iterable of (row number, {column: value}) (the stored rows
    of a batch, :func:`stored_records`). The rows go through :data:`BATCH_SIZE` at a time: checked
    against the database as it stands after the batches before them, written, audited, and let
    go, so the memory used does not grow with the file (issue 12). Once a row has a problem,
    nothing more is written and the rest is only checked, to count the problems; the transaction
    is then rolled back. ``progress(done, total)`` is called after every batch, in rows.

    The audit records are chained after the commit (:func:`arbo.audit.chain.chained_after_commit`):
    they commit with the rows, and this transaction never holds the audit chain's lock, so other
    users' audited pages do not wait for the import."""
    if isinstance(roster, ParsedRoster):
        records: Iterable[tuple[int, dict[str, str]]] = roster.records()
        total = len(roster.rows)
    else:
        records = roster
    report = progress or _no_progress
    with transaction.atomic(), chain.chained_after_commit(then=_chain_later):
        # Two imports for one employer at once could both create the same personnel number.
        list(Employer.objects.select_for_update().filter(pk=employer.pk).values_list("pk"))
        checker = Checker(employer, total=total)
        audit = _Audit(by, {"employer": employer.pk, "import": batch.pk if batch else None})
        audited: set[int] = set()
        report(0, total)
        for run in batched(records, BATCH_SIZE):
            rows = checker.check(list(run))
            if checker.ok:
                _write_batch(employer, rows)
                _audit_batch(audit, rows, audited)
            report(checker.done, checker.total)
        validation = checker.validation()
        if not validation.ok:
            raise RosterHasProblems(validation)
        result = CommitResult(
            created=validation.count(CREATE),
            attached=validation.to_attach,
            updated=validation.to_update,
            unchanged=validation.unchanged,
        )
        summary = {**audit.data, "rows": validation.total, **asdict(result)}
        log.record(
            by,
            log.Action.EXECUTE,
            "registry.roster_imported",
            obj=batch or employer,
            category=Category.A,
            data=summary,
        )
    return result


def _no_progress(done: int, total: int) -> None:
    pass


def _chain_later() -> None:
    """After the commit: a task of its own chains the audit records, so that the commit's task (and
    its progress bar) finishes as soon as the rows are in."""
    from arbo.registry.tasks import chain_audit_records  # noqa: PLC0415 — tasks imports this module

    chain_audit_records.enqueue()


@dataclass
class _Audit:
    by: User
    data: dict[str, Any]


def _audit_batch(audit: _Audit, rows: list[RowCheck], audited: set[int]) -> None:
    """One record per person with a new employment, and one per person updated (once per import,
    even when two of the person's employments were updated: ``audited`` holds who has theirs)."""
    created = [row.employee for row in rows if row.action in (CREATE, ATTACH) and row.employee]
    updated: dict[int, Employee] = {}
    for row in rows:
        if row.action == UPDATE and row.employee and row.employee.pk not in audited:
            updated[row.employee.pk] = row.employee
    audited.update(updated)
    for action, people in ((log.Action.CREATE, created), (log.Action.UPDATE, list(updated.values()))):
        if people:
            _audit_people(audit, action, people)


def _audit_people(audit: _Audit, action: str, people: list[Any]) -> int:
    # The audit log reads the actor's functions for every record; load them once.
    prefetch_related_objects([audit.by], "function_assignments")
    return log.record_many(
        audit.by,
        action,
        "registry.roster_imported",
        people,
        category=Category.A,
        data=audit.data,
    )


def _write_batch(employer: Employer, rows: list[RowCheck]) -> None:
    now = timezone.now()
    pgcopy.insert(Employee, [_new_person(row) for row in rows if row.action == CREATE])
    _update(Employee, _apply(rows, "employee", "employee_changes", now), extra=("updated_at",))
    _update(Employment, _apply(rows, "employment", "employment_changes", None))
    new_jobs = [
        Employment(employee=row.employee, employer=employer, **row.employment_values)
        for row in rows
        if row.action in (CREATE, ATTACH)
    ]
    pgcopy.insert(Employment, new_jobs)


def _update(model: Any, changed: dict[Any, set[str]], extra: tuple[str, ...] = ()) -> None:
    """Write the named fields of each changed instance (the union of names, for every instance)."""
    if not changed:
        return
    names = set().union(*changed.values(), extra) - {"bsn_index"}
    if "bsn" in names:
        names.add("bsn_index")
    pgcopy.update(model, changed, names)


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


# --- Access ---------------------------------------------------------------------------------------


# --- Batches kept between preview and commit ------------------------------------------------------


def stored_records(batch: RosterImport) -> Iterator[tuple[int, dict[str, str]]]:
    """The batch's rows as (row number, {column: value}), decrypted one run at a time.

    A batch stored before the rows were kept in runs has them all in its payload."""
    header = load_payload(RosterImport.objects.values_list("payload", flat=True).get(pk=batch.pk))
    if header.rows:
        yield from header.records()
        return
    runs = list(RosterImportRows.objects.filter(batch=batch).order_by("number").values_list("pk", flat=True))
    for pk in runs:
        run = RosterImportRows.objects.values_list("rows", flat=True).get(pk=pk)
        for number, values in load_rows(run):
            yield number, dict(zip(header.columns, values, strict=True))


def validate_import(batch: RosterImport) -> Validation:
    """The preview's check of a stored batch, read a run at a time."""
    header = load_payload(RosterImport.objects.values_list("payload", flat=True).get(pk=batch.pk))
    return validate(batch.employer, stored_records(batch), total=batch.row_count, ignored=header.ignored)


def discard_rows(import_id: int) -> None:
    """No BSNs kept longer than needed: the stored rows (and the file, if still there) go once a
    batch is committed or refused."""
    RosterImportRows.objects.filter(batch_id=import_id).delete()
    RosterImportFile.objects.filter(batch_id=import_id).delete()


def queue_commit(batch: RosterImport, *, by: User) -> RosterImport:
    """Hand a previewed batch to a worker (the ``commit_roster`` task) and return at once.

    The task is enqueued in the same transaction that marks the batch queued, so either both
    happen or neither; a worker picks it up once this commits. The uploader's address and browser
    go along for the audit records the commit writes."""
    from arbo.registry.tasks import commit_roster  # noqa: PLC0415 — tasks imports this module: a cycle at module level

    with transaction.atomic():
        # Not the payload: decrypting a 100,000-row upload takes a second or more, and this
        # request must answer at once.
        locked = RosterImport.objects.select_for_update().defer("payload").get(pk=batch.pk)
        if locked.status != RosterImport.Status.PREVIEWED or locked.uploaded_by_id != by.pk:
            raise RosterNotPending
        locked.status = RosterImport.Status.QUEUED
        locked.save(update_fields=["status"])
        commit_roster.enqueue(locked.pk, client=client_of_request())
    batch.refresh_from_db(fields=["status"])
    return batch


def client_of_request() -> dict[str, str]:
    """The uploader's access point (the request context), for the audit records the task writes."""
    point = context.current()
    if point is None:
        return {}
    return {"ip": point.ip_address or "", "user_agent": point.user_agent}


def access_point(client: dict[str, str]) -> context.AccessPoint | None:
    """The uploader's access point again, in the worker."""
    if not client:
        return None
    return context.AccessPoint(ip_address=client.get("ip") or None, user_agent=client.get("user_agent", ""))


def run_queued_commit(
    import_id: int, *, client: dict[str, str], progress: Progress | None = None
) -> dict[str, Any]:
    """The worker's half: commit a queued batch as its uploader. Runs again harmlessly: a batch
    already committed or failed is left alone, and a run that died before its transaction
    committed wrote nothing, so the next run writes each row once."""
    batch = RosterImport.objects.select_related("uploaded_by").get(pk=import_id)
    try:
        with context.bound(access_point(client)):
            result = commit_import(batch, by=batch.uploaded_by, progress=progress)
    except RosterHasProblems as exc:
        return {"status": "failed", "problem_rows": exc.validation.problem_rows}
    except RosterNotPending:
        return {"status": batch.status}
    except IntegrityError:
        RosterImport.objects.filter(pk=import_id, status__in=_PENDING).update(
            status=RosterImport.Status.FAILED, payload="", conflict=True
        )
        discard_rows(import_id)
        return {"status": "failed", "conflict": True}
    except Exception:
        # Anything else: the batch must not wait for ever; nothing was written (one transaction).
        RosterImport.objects.filter(pk=import_id, status__in=_PENDING).update(
            status=RosterImport.Status.FAILED, payload=""
        )
        discard_rows(import_id)
        raise
    return {"status": "committed", **asdict(result)}


_PENDING = (RosterImport.Status.PREVIEWED, RosterImport.Status.QUEUED)


def commit_import(batch: RosterImport, *, by: User, progress: Progress | None = None) -> CommitResult:
    """Commit a previewed (or queued) batch once. A refused batch is marked failed; its rows are
    discarded then, as after a successful commit, so no BSNs are kept longer than needed."""
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().select_related("employer").get(pk=batch.pk)
            if locked.status not in _PENDING:
                raise RosterNotPending
            result = commit(
                locked.employer,
                stored_records(locked),
                by=by,
                progress=progress,
                batch=locked,
                total=locked.row_count,
            )
            locked.status = RosterImport.Status.COMMITTED
            locked.created_count, locked.updated_count = result.employments_created, result.updated
            locked.payload, locked.committed_at = "", timezone.now()
            locked.save()
            discard_rows(locked.pk)
    except RosterHasProblems as exc:
        RosterImport.objects.filter(pk=batch.pk, status__in=_PENDING).update(
            status=RosterImport.Status.FAILED, payload="", problem_rows=exc.validation.problem_rows
        )
        discard_rows(batch.pk)
        raise
    batch.refresh_from_db()
    return result
