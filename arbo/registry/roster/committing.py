"""Roster commit: every row of a validated roster written in one transaction, or nothing at all when
any row has a problem; and the :class:`RosterImport` batch that keeps the parsed rows (encrypted,
they hold BSNs) between the preview and the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from arbo.audit import chain, context, log
from arbo.identity.models import User
from arbo.lib import pgcopy
from arbo.lib.categories import Category
from arbo.registry.models import Employee, Employer, Employment, bsn_blind_index
from arbo.registry.models_roster import RosterImport
from arbo.registry.roster.parsing import ParsedRoster, Progress, dump_payload, load_payload
from arbo.registry.roster.validation import (
    ATTACH,
    BATCH_SIZE,
    CREATE,
    UPDATE,
    RowCheck,
    Validation,
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
    roster: ParsedRoster,
    *,
    by: User,
    progress: Progress | None = None,
    batch: RosterImport | None = None,
) -> CommitResult:
    """Validate again and write every row in one transaction; raise :class:`RosterHasProblems` if
    any row has a problem (then nothing is written). One audit record per created or updated
    person, plus one summary record, in the same transaction.

    ``progress(done, total)`` is called after every batch; the units are rows written plus audit
    records written, so ``total`` exceeds the number of rows.

    The audit records are chained after the commit (:func:`arbo.audit.chain.chained_after_commit`):
    they commit with the rows, and this transaction never holds the audit chain's lock, so other
    users' audited pages do not wait for the import."""
    with transaction.atomic(), chain.chained_after_commit(then=_chain_later):
        # Two imports for one employer at once could both create the same personnel number.
        list(Employer.objects.select_for_update().filter(pk=employer.pk).values_list("pk"))
        validation = validate(employer, roster)
        if not validation.ok:
            raise RosterHasProblems(validation)
        audit = _Audit(by, {"employer": employer.pk, "import": batch.pk if batch else None})
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
    # Audit last, after the row locks are taken (the records are chained after the commit).
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


def store_upload(employer: Employer, roster: ParsedRoster, *, filename: str, by: User) -> RosterImport:
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
            data={"employer": employer.pk, "rows": batch.row_count},
        )
    return batch


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
        commit_roster.enqueue(locked.pk, client=_client())
    batch.refresh_from_db(fields=["status"])
    return batch


def _client() -> dict[str, str]:
    """The uploader's access point (the request context), for the audit records the task writes."""
    point = context.current()
    if point is None:
        return {}
    return {"ip": point.ip_address or "", "user_agent": point.user_agent}


def _access_point(client: dict[str, str]) -> context.AccessPoint | None:
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
        with context.bound(_access_point(client)):
            result = commit_import(batch, by=batch.uploaded_by, progress=progress)
    except RosterHasProblems as exc:
        return {"status": "failed", "problem_rows": exc.validation.problem_rows}
    except RosterNotPending:
        return {"status": batch.status}
    except IntegrityError:
        RosterImport.objects.filter(pk=import_id, status__in=_PENDING).update(
            status=RosterImport.Status.FAILED, payload="", conflict=True
        )
        return {"status": "failed", "conflict": True}
    except Exception:
        # Anything else: the batch must not wait for ever; nothing was written (one transaction).
        RosterImport.objects.filter(pk=import_id, status__in=_PENDING).update(
            status=RosterImport.Status.FAILED, payload=""
        )
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
                load_payload(locked.payload),
                by=by,
                progress=progress,
                batch=locked,
            )
            locked.status = RosterImport.Status.COMMITTED
            locked.created_count, locked.updated_count = result.employments_created, result.updated
            locked.payload, locked.committed_at = "", timezone.now()
            locked.save()
    except RosterHasProblems as exc:
        RosterImport.objects.filter(pk=batch.pk, status__in=_PENDING).update(
            status=RosterImport.Status.FAILED, payload="", problem_rows=exc.validation.problem_rows
        )
        raise
    batch.refresh_from_db()
    return result
