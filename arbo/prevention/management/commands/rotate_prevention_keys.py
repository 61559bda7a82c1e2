"""Re-wrap every applicant data key under the first master key of ``MEDICAL_MASTER_KEYS``.

Run after putting a new master key first in ``MEDICAL_MASTER_KEYS`` (keep the old one listed until
this and the medical file's rotation have run). Employees' exam results and exposure details use
the medical file's per-employee keys and move with its rotation (``arbo.medical.keys.rewrap_all``).
Safe to run twice: keys already under the first master key are left alone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from arbo.audit import log
from arbo.prevention import keys


class Command(BaseCommand):
    help = "Re-wrap applicant data keys (pre-employment exams) under the current master key."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            moved = keys.rewrap_applicant_keys()
            log.record(
                None,
                log.Action.EXECUTE,
                "prevention.keys_rotated",
                basis=log.Basis.SYSTEM,
                data={"count": moved},
            )
        self.stdout.write(f"{moved} applicant data key(s) re-wrapped.")
