"""The embedded SQLite setup holds up under concurrent requests: WAL, immediate transactions and a
busy timeout make parallel writers wait for each other instead of answering 500 "database is
locked" (which the default settings did for about 13 of 232 page loads)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from arbo.operations.retry import TRANSIENT  # noqa: F401  (the app is importable)

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_settings_are_hardened(settings) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database's settings")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout=60000" in options["init_command"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_on_sqlite_get_no_500(tmp_path) -> None:
    database = tmp_path / "burst.sqlite3"
    command = [sys.executable, "-m", "tests.operations.sqlite_burst", str(database), "--threads", "8"]
    if connection.vendor == "sqlite":
        # Copy the migrated test database to a file (SQLite's backup API): no migrate needed.
        connection.ensure_connection()
        with sqlite3.connect(database) as target:
            connection.connection.backup(target)
        target.close()
    else:
        command.append("--migrate")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"}
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)

    assert summary["errors"] == []
    assert summary["statuses"] == {"200": 8 * 10}
    with sqlite3.connect(database) as db:
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
