"""``manage.py rotate_medical_keys``: re-wrap every person's medical data key under the current master key.

Rotation of ``MEDICAL_MASTER_KEYS``: put the new key first and keep the old one listed, run this
command, then remove the old key from the setting. Only the wrapped data keys change; no medical
record needs to be re-encrypted, and destroyed (shredded) keys stay destroyed. Safe to run twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from arbo.audit import log
from arbo.medical import keys
from arbo.medical.models import DataKey


class Command(BaseCommand):
    help = "Re-wrap every medical data key under the first key of MEDICAL_MASTER_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            moved = keys.rewrap_all()
            primary = keys.current_master_key_id()
            log.record(
                None,
                log.Action.EXECUTE,
                "medical.master_key_rotated",
                basis=log.Basis.SYSTEM,
                data={"rewrapped": moved, "master_key_id": primary},
            )
        left = DataKey.objects.exclude(wrapped_key="").exclude(master_key_id=primary).count()
        self.stdout.write(f"{moved} data keys re-wrapped under master key {primary}; {left} under older keys")
