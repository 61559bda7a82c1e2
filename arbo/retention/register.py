"""The register of destructions, kept outside the database, and keyed pseudonyms.

Every destruction (a retention purge, an erasure) first appends one JSON line to the file
``RETENTION_REGISTER_PATH`` and syncs it to disk, then commits the destruction: write-ahead, so a
destruction that committed is always in the register (a line whose transaction rolled back is
harmless, because replaying it destroys only what was due or asked to go anyway).

A line never holds personal data:

- ``{"op": "key", "holder": "employee", "subject": P}``: the data key of the person with pseudonym
  P was destroyed (crypto-shredding);
- ``{"op": "subject", "holder": "employee", "subject": P}``: the whole person was erased;
- ``{"op": "rows", "model": "absence.absencecase", "pks": [...]}``: these rows (and every row that
  referred to them) were deleted. Row ids are technical keys that name no one without the
  database, and in a restored database those rows are deleted again.

:func:`arbo.retention.destroy.replay_since` (in ``DESTRUCTION_REPLAYERS``, called by ``manage.py restore``) makes every
destruction since the backup's time again in the restored database, before it serves anyone.
Keep this file on storage that survives the database server and back it up apart from the dumps;
it only ever grows, and a line may be dropped once every backup older than it is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from arbo.lib.crypto import blind_index

#: A destruction's line is written just before its transaction commits; a backup's time is taken
#: at its snapshot. Replaying from a little earlier costs nothing (replays are idempotent).
REPLAY_MARGIN = dt.timedelta(hours=1)


def pseudonym(holder: str, pk: int) -> str:
    """The keyed pseudonym of a person (``holder`` is ``employee`` or ``applicant``): an HMAC under
    ``BLIND_INDEX_KEY``, so without the key it cannot be linked to anyone, and with the key only
    by computing it for a person still in some database."""
    return blind_index(f"{holder}:{pk}", context="retention.subject")


def _path() -> Path:
    return Path(settings.RETENTION_REGISTER_PATH)


def append(entries: list[dict[str, Any]]) -> None:
    """Append lines and sync them to disk before the caller commits its destruction."""
    if not entries:
        return
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    at = timezone.now().isoformat()
    text = "".join(json.dumps({"at": at, **entry}, separators=(",", ":")) + "\n" for entry in entries)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def entries(since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
    path = _path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            entry = json.loads(line)
            if since is None or dt.datetime.fromisoformat(entry["at"]) >= since:
                yield entry
