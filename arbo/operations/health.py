"""What ``/readyz`` reports: each check's outcome, ages and counts only, never personal data.

- ``database``: one ``SELECT 1``;
- ``migrations``: nothing left to apply (looked up once per process, until it holds);
- ``cache``: the default cache stores and returns a value (TOTP replay protection and login
  throttling live there);
- ``queue``: a worker took the last every-minute ``queue_probe`` recently, its wait (the lag), the
  number of tasks ready to run and the oldest one's age, and the live workers;
- ``scheduler``: a scheduler beat within two minutes;
- ``jobs``: per scheduled job, the age of its last successful run, unhealthy past the job's
  allowed delay (a daily job: 26 hours) or when its last run failed;
- ``audit``: the age of the last recorded audit chain head (informative).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from arbo.audit.models import AuditChainHead
from arbo.operations.domain import STALE_AFTER
from arbo.operations.models import Heartbeat, JobRun
from arbo.operations.schedule import JOBS, Job

_migrations_applied = False


def readiness(now: dt.datetime | None = None) -> tuple[bool, dict[str, Any]]:
    """(healthy, report). A check that raises counts as failed; the database check comes first,
    and without a database the rest is not tried."""
    now = now or timezone.now()
    checks: dict[str, dict[str, Any]] = {}
    checks["database"] = _run(_database)
    if checks["database"]["ok"]:
        for name, check in (
            ("migrations", _migrations),
            ("cache", _cache),
            ("queue", lambda: _queue(now)),
            ("scheduler", lambda: _scheduler(now)),
            ("jobs", lambda: _jobs(now)),
            ("audit", lambda: _audit(now)),
        ):
            checks[name] = _run(check)
    return all(check["ok"] for check in checks.values()), checks


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return check()
    except Exception as exc:  # a health check reports every failure, whatever it is
        return {"ok": False, "error": type(exc).__name__}


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _migrations() -> dict[str, Any]:
    global _migrations_applied  # noqa: PLW0603 - once true, true for the life of the process
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return {"ok": False, "pending": len(pending)}
        _migrations_applied = True
    return {"ok": True}


def _cache() -> dict[str, Any]:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    ok = cache.get(key) == value
    cache.delete(key)
    return {"ok": ok}


def _age(now: dt.datetime, then: dt.datetime | None) -> int | None:
    return None if then is None else int((now - then).total_seconds())


def _queue(now: dt.datetime) -> dict[str, Any]:
    probe = next(job for job in JOBS if job.name == "queue_probe")
    last = _last_success(probe.name)
    ready = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"), waiting=Count("pk"))
    workers = Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER, seen_at__gte=now - STALE_AFTER).count()
    probe_age = _age(now, last.finished_at if last else None)
    ok = probe_age is not None and probe_age <= probe.allowed_delay.total_seconds() and workers > 0
    return {
        "ok": ok,
        "workers": workers,
        "ready_tasks": ready["waiting"],
        "oldest_ready_age_s": _age(now, ready["oldest"]),
        "probe_age_s": probe_age,
        "lag_ms": (last.result or {}).get("waited_ms") if last else None,
    }


def _scheduler(now: dt.datetime) -> dict[str, Any]:
    last = Heartbeat.objects.filter(kind=Heartbeat.Kind.SCHEDULER).aggregate(seen=Max("seen_at"))["seen"]
    age = _age(now, last)
    return {"ok": age is not None and age <= STALE_AFTER.total_seconds(), "age_s": age}


def _last_success(name: str) -> JobRun | None:
    return JobRun.objects.filter(job=name, status=JobRun.Status.SUCCEEDED).order_by("-finished_at").first()


def _jobs(now: dt.datetime) -> dict[str, Any]:
    report: dict[str, Any] = {"ok": True}
    for job in JOBS:
        report[job.name] = state = _job(job, now)
        report["ok"] = report["ok"] and state["ok"]
    return report


def _job(job: Job, now: dt.datetime) -> dict[str, Any]:
    last = _last_success(job.name)
    latest = JobRun.objects.filter(job=job.name).order_by("-slot").first()
    age = _age(now, last.finished_at if last else None)
    failed = latest is not None and latest.status == JobRun.Status.FAILED
    if age is not None:
        late = age > job.allowed_delay.total_seconds()
    else:  # never succeeded: late once its first run waited longer than allowed
        late = latest is not None and now - latest.enqueued_at > job.allowed_delay
    return {"ok": not failed and not late, "last_success_age_s": age, "last_run_failed": failed}


def _audit(now: dt.datetime) -> dict[str, Any]:
    head = AuditChainHead.objects.filter(kind=AuditChainHead.Kind.HEAD).order_by("-recorded_at").first()
    return {"ok": True, "head_age_s": _age(now, head.recorded_at if head else None)}
