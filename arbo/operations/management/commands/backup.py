"""``manage.py backup DIR``: dump the database and write a manifest (see arbo/operations/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from arbo.operations.backup import backup


class Command(BaseCommand):
    help = "Back up the database into DIR: a dump plus manifest.json (checksums, audit head). Keys are not included."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup(options["directory"])
        head = manifest["audit_head"] or {"seq": 0}
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"backup written: {manifest['file']} ({manifest['bytes']:,} bytes, sha256 {manifest['sha256'][:16]}…), "
            f"{len(manifest['tables'])} tables, {rows:,} rows, audit head seq {head['seq']}"
        )
