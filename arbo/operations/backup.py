"""Backup and restore: a dump of the database plus a manifest that lets a restore prove itself.

``manage.py backup DIR`` writes

- the database: a PostgreSQL custom-format dump (``pg_dump --format=custom``), or for the
  embedded SQLite a consistent copy made with SQLite's online backup API;
- ``manifest.json``: when, which database, the dump's SHA-256, the applied migrations, a
  checksum and row count per table, and the audit chain's head (seq and hash).

The keys (``FIELD_ENCRYPTION_KEYS``, ``BLIND_INDEX_KEY``, ``MEDICAL_MASTER_KEYS``,
``AUDIT_HMAC_KEY``) are not in it: they live outside the database and must be backed up apart
from it, so that whoever holds a backup cannot read it.

``manage.py restore DIR`` restores into the configured database (``DATABASE_URL``; it must be
empty unless ``--force``), then checks that the dump is the one the manifest names, that every
table's checksum equals the manifest's, and that the audit chain head is there; replays the
destructions made after the backup (:data:`DESTRUCTION_REPLAYERS`); and runs the full audit
verification. See the drill in ``docs/architecture.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.module_loading import import_string

from arbo.audit.models import AuditEvent
from arbo.audit.verify import verify_chain

FORMAT = 1
MANIFEST = "manifest.json"

#: Dotted paths of callables ``replay(since: datetime) -> int`` that redo, after a restore, the
#: destructions (retention purges, crypto-shredding) made after ``since`` (the backup's time),
#: from a record kept outside the database; each returns how many it redid. A destruction must
#: never come back with a backup. The retention work registers its replayer here.
DESTRUCTION_REPLAYERS: list[str] = ["arbo.retention.destroy.replay_since"]


class RestoreError(Exception):
    """The backup is not what its manifest says, or the restored database differs from it."""


def _dump_name() -> str:
    return "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"


def _tool(name: str) -> str:
    """The PostgreSQL client program (postgresql-client, the server's major version or newer)."""
    path = shutil.which(name)
    if path is None:
        raise RestoreError(f"{name} is not installed (apt-get install postgresql-client-15)")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or "")}
    env.update({"PGUSER": str(db.get("USER") or ""), "PGDATABASE": str(db["NAME"])})
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return {key: value for key, value in env.items() if value}


def table_checksums() -> dict[str, dict[str, Any]]:
    """Per table of every installed model (and the migration table): rows and a SHA-256 over the
    rows in primary key order. Equal before the backup and after the restore."""
    tables = {
        model._meta.db_table: model._meta.pk.column for model in apps.get_models() if model._meta.managed
    }
    tables[MigrationRecorder.Migration._meta.db_table] = "id"
    quote = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for table, pk in sorted(tables.items()):
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608 - model metadata
            digest, rows = hashlib.sha256(), 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    digest.update(
                        repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode()
                    )
                    rows += 1
            result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _audit_head() -> dict[str, Any] | None:

    last = AuditEvent.objects.exclude(seq=None).order_by("-seq").values_list("seq", "hash").first()
    return {"seq": last[0], "hash": bytes(last[1]).hex()} if last else None


def backup(directory: Path) -> dict[str, Any]:
    """Write the dump and the manifest into ``directory`` (created; must be empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    dump = directory / _dump_name()
    started = timezone.now()
    # The checksums and the head are read in the very state the dump holds: on PostgreSQL in a
    # repeatable-read transaction whose snapshot pg_dump shares (--snapshot). On SQLite the online
    # backup API copies a consistent state and the checksums are read right after it: back up an
    # embedded database while it is quiet (a write in between shows as a difference on restore).
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
            checksums, head = table_checksums(), _audit_head()
            subprocess.run(  # noqa: S603 - pg_dump from PATH, arguments from settings
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dump),
                ],
                env=_pg_env(),
                check=True,
            )
    else:
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        checksums, head = table_checksums(), _audit_head()
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": connection.vendor,
        "file": dump.name,
        "sha256": _sha256(dump),
        "bytes": dump.stat().st_size,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "tables": checksums,
        "audit_head": head,
        "keys_included": False,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    replayed: dict[str, int] = field(default_factory=dict)
    audit_rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(directory: Path) -> dict[str, Any]:
    manifest = json.loads((directory / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise RestoreError(f"unknown manifest format {manifest.get('format')}")
    dump = directory / manifest["file"]
    if not dump.exists() or _sha256(dump) != manifest["sha256"]:
        raise RestoreError(f"{dump.name} is missing or its SHA-256 differs from the manifest")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(directory: Path, *, force: bool = False) -> RestoreReport:
    """Restore the backup in ``directory`` into the configured database, then check it."""
    manifest = read_manifest(directory)
    if manifest["database"] != connection.vendor:
        raise RestoreError(f"a {manifest['database']} backup cannot be restored into {connection.vendor}")
    if not force and not _database_is_empty():
        raise RestoreError("the database is not empty: restore into a new database, or pass --force")
    dump = directory / manifest["file"]
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(  # noqa: S603 - pg_restore from PATH, arguments from settings
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _pg_env()["PGDATABASE"],
                str(dump),
            ],
            env=_pg_env(),
            check=True,
        )
    else:
        connection.close()
        shutil.copyfile(dump, settings.DATABASES["default"]["NAME"])
    return check_restored(manifest)


def check_restored(manifest: dict[str, Any]) -> RestoreReport:
    """Compare the restored database with the manifest, replay destructions, verify the audit log."""

    report = RestoreReport(manifest)
    applied = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
    if applied != manifest["migrations"]:
        report.problems.append("the applied migrations differ from the manifest")
    found = table_checksums()
    for table, expected in manifest["tables"].items():
        if found.get(table) != expected:
            report.problems.append(
                f"table {table} differs from the manifest ({found.get(table)} != {expected})"
            )
    head = manifest["audit_head"]
    if head != _audit_head():
        report.problems.append(f"the audit chain head is not the manifest's ({head})")
    since = dt.datetime.fromisoformat(manifest["created_at"])
    for path in DESTRUCTION_REPLAYERS:
        replay: Callable[[dt.datetime], int] = import_string(path)
        report.replayed[path] = replay(since)
    verification = verify_chain()
    report.audit_rows = verification.rows
    if not verification.ok:
        report.problems.append(f"audit chain broken: {verification.first_problem}")
    return report
