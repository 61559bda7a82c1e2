"""The backup and restore drill: back up, restore into a new database, equal checksums, the audit
chain intact; a dump that is not the manifest's is refused; destructions are replayed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from arbo.audit import log
from arbo.operations import backup as backups
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
replayed_since: list[dt.datetime] = []


def replay_for_test(since: dt.datetime) -> int:
    replayed_since.append(since)
    return 2


def _manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def restore_target(tmp_path):  # type: ignore[no-untyped-def]
    """A new, empty database of the suite's kind; dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
    yield f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_drill(tmp_path, restore_target) -> None:
    employer = f.EmployerFactory(name="Drill BV")
    f.EmploymentFactory.create_batch(3, employer=employer)
    for n in range(5):
        log.record(None, log.Action.READ, "test.read", data={"n": n})
    target = tmp_path / "backup"

    manifest = backups.backup(target)

    assert sorted(path.name for path in target.iterdir()) == sorted([manifest["file"], "manifest.json"])
    assert manifest["keys_included"] is False
    assert manifest["tables"]["registry_employee"]["rows"] == 3
    assert manifest["audit_head"]["seq"] >= 5
    assert settings.FIELD_ENCRYPTION_KEYS.split(":", 1)[1] not in (target / "manifest.json").read_text()

    restored = _manage("restore", str(target), database_url=restore_target)

    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "tables equal to the manifest, audit chain intact" in restored.stdout
    # And the restored database verifies on its own.
    verified = _manage("verify_audit", database_url=restore_target)
    assert verified.returncode == 0, verified.stderr[-2000:]


@pytest.mark.django_db(transaction=True)
def test_a_dump_that_is_not_the_manifests_is_refused(tmp_path, restore_target) -> None:
    f.EmployerFactory()
    target = tmp_path / "backup"
    manifest = backups.backup(target)
    with (target / manifest["file"]).open("ab") as dump:
        dump.write(b"tampered")

    restored = _manage("restore", str(target), database_url=restore_target)

    assert restored.returncode == 1
    assert "SHA-256 differs from the manifest" in restored.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_check_finds_a_changed_table_and_replays_destructions(tmp_path, monkeypatch) -> None:
    employer = f.EmployerFactory(name="Voor")
    target = tmp_path / "backup"
    manifest = backups.backup(target)
    monkeypatch.setattr(backups, "DESTRUCTION_REPLAYERS", [f"{__name__}.replay_for_test"])

    same = backups.check_restored(json.loads((target / "manifest.json").read_text()))
    assert same.ok, same.problems
    assert same.replayed == {f"{__name__}.replay_for_test": 2}
    assert replayed_since[-1] == dt.datetime.fromisoformat(manifest["created_at"])

    employer.name = "Na"
    employer.save()
    changed = backups.check_restored(manifest)
    assert [problem.split(" (")[0] for problem in changed.problems] == [
        "table registry_employer differs from the manifest"
    ]
