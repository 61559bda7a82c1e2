"""``manage.py restore DIR``: restore a backup into the configured database and prove it.

Exits 1 when the dump is not the manifest's, a table's checksum differs, the audit head is
missing or the audit chain does not verify."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arbo.operations.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Restore DIR (from manage.py backup) into the configured database, check it against the manifest, replay destructions, verify the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--force", action="store_true", help="overwrite a database that is not empty")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(options["directory"], force=options["force"])
        except RestoreError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError("restore check failed", returncode=1)
        replayed = sum(report.replayed.values())
        self.stdout.write(
            f"restored {report.manifest['file']} of {report.manifest['created_at']}: "
            f"{len(report.manifest['tables'])} tables equal to the manifest, audit chain intact "
            f"({report.audit_rows:,} rows), {replayed} destructions replayed by {len(report.replayed)} replayers"
        )
