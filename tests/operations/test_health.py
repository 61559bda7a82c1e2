"""/healthz and /readyz: open to the load balancer's address or a token only, no personal data,
unhealthy when the database is gone, a job failed or a daily job has not succeeded for 26 hours."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from arbo.operations import domain
from arbo.operations.models import Heartbeat, JobRun
from arbo.operations.schedule import JOBS
from tests.worker import run_tasks

ROOT = Path(__file__).resolve().parents[2]


def _ready(client, **headers):  # type: ignore[no-untyped-def]
    response = client.get("/readyz", **headers)
    return response.status_code, json.loads(response.content)


def _all_running_now() -> None:
    """A scheduler and a worker alive, and every job run once just now."""
    now = timezone.now()
    for kind in (Heartbeat.Kind.SCHEDULER, Heartbeat.Kind.WORKER):
        domain.beat(kind, f"{kind}-1", now)
    domain.enqueue_due(now)
    run_tasks()


def test_healthz_answers_without_a_database(client) -> None:
    # No django_db mark: any query would fail the test.
    response = client.get("/healthz")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ok"})


def test_health_is_hidden_from_other_addresses_without_the_token(client, settings) -> None:
    settings.HEALTH_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.HEALTH_TOKEN = "s3cret-token"
    assert client.get("/healthz").status_code == 404
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/healthz", REMOTE_ADDR="10.1.2.3").status_code == 200


@pytest.mark.django_db
def test_readyz_is_healthy_when_everything_runs(client) -> None:
    _all_running_now()

    status, body = _ready(client)

    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "cache", "queue", "scheduler", "jobs", "audit"}
    assert body["checks"]["queue"]["workers"] == 1
    assert body["checks"]["jobs"]["verify_audit"]["last_success_age_s"] >= 0


@pytest.mark.django_db
def test_readyz_turns_unhealthy_when_a_daily_job_has_not_succeeded_for_26_hours(client) -> None:
    _all_running_now()
    later = timezone.now() + dt.timedelta(hours=26, minutes=1)

    with time_machine.travel(later, tick=False):
        # The scheduler and the worker go on, and the frequent jobs run; the daily ones do not.
        for kind in (Heartbeat.Kind.SCHEDULER, Heartbeat.Kind.WORKER):
            domain.beat(kind, f"{kind}-1", timezone.now())
        frequent = [job for job in JOBS if job.every < dt.timedelta(days=1)]
        domain.enqueue_due(timezone.now(), jobs=frequent)
        run_tasks()
        status, body = _ready(client)

    assert status == 503
    jobs = body["checks"]["jobs"]
    assert not jobs["ok"]
    assert not jobs["raise_signals"]["ok"]
    assert jobs["raise_signals"]["last_success_age_s"] > 26 * 3600
    assert jobs["record_audit_head"]["ok"]
    assert jobs["queue_probe"]["ok"]


@pytest.mark.django_db
def test_readyz_shows_a_failed_run_and_a_missing_worker_and_scheduler(client) -> None:
    _all_running_now()
    JobRun.objects.filter(job="end_leavers").update(status=JobRun.Status.FAILED)
    Heartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(minutes=5))

    status, body = _ready(client)

    assert status == 503
    checks = body["checks"]
    assert checks["jobs"]["end_leavers"] == {"ok": False, "last_success_age_s": None, "last_run_failed": True}
    assert (checks["queue"]["ok"], checks["queue"]["workers"]) == (False, 0)
    assert not checks["scheduler"]["ok"]


def test_readyz_turns_unhealthy_when_the_database_is_unreachable(tmp_path) -> None:
    # A separate process whose database is down: PostgreSQL stopped (nothing listens on the port)
    # or, embedded, a database file that cannot be opened.
    url = "postgres://postgres@127.0.0.1:9/arbodossier"
    if "postgres" not in os.environ.get("DATABASE_URL", "postgres"):
        url = f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"
    script = (
        "import json; from django.test import Client; r = Client().get('/readyz'); "
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "unhealthy",
        "checks": {"database": {"ok": False, "error": "OperationalError"}},
    }
