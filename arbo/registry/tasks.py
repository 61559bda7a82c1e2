"""Registry's tasks: the roster check and commit, out of the web request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django_tasks import task

from arbo.audit.chain import sequence_pending
from arbo.operations import stopping
from arbo.registry import roster

#: Progress is kept in a cache every process shares (Redis; a file cache on one machine): the
#: commit's transaction is invisible to the polling request until it ends.
PROGRESS_TTL = 60 * 60


def progress_key(import_id: int) -> str:
    """The commit's progress, in rows."""
    return f"roster-import-progress:{import_id}"


def check_progress_key(import_id: int) -> str:
    """The check's progress, in bytes of the file read."""
    return f"roster-check-progress:{import_id}"


def _with_progress(key: str, run: Callable[[roster.Progress], dict[str, Any]]) -> dict[str, Any]:
    progress = caches["progress"]

    def report(done: int, total: int) -> None:
        # Between batches a stopping worker may hand the task back (its transaction rolls back).
        stopping.checkpoint()
        progress.set(key, {"state": "running", "done": done, "total": total}, PROGRESS_TTL)

    state = "finished"
    try:
        return run(report)
    except stopping.WorkerStopping:
        state = "queued"  # back in the queue: the bar waits for the next worker
        raise
    finally:
        progress.set(key, {"state": state}, PROGRESS_TTL)


@task(queue_name="default")
def check_roster(import_id: int, client: dict[str, str] | None = None, language: str = "") -> dict[str, Any]:
    """Read an uploaded roster into runs of rows and check them (roster.checking)."""
    return _with_progress(
        check_progress_key(import_id),
        lambda report: roster.run_queued_check(
            import_id, client=client or {}, language=language, progress=report
        ),
    )


@task(queue_name="default")
def commit_roster(import_id: int, client: dict[str, str] | None = None) -> dict[str, Any]:
    return _with_progress(
        progress_key(import_id),
        lambda report: roster.run_queued_commit(import_id, client=client or {}, progress=report),
    )


@task(queue_name="default")
def chain_audit_records() -> dict[str, Any]:
    """Chain the audit records a roster commit inserted pending (arbo.audit.chain), in short
    batches; if this never runs, the scheduled ``sequence_audit`` job does it."""
    return {"chained": sequence_pending()}
