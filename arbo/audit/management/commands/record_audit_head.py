"""``manage.py record_audit_head``: write down the current end of the audit chain (run it from cron).

The head is stored in the database and printed; keep the printed line somewhere else as well (the
cron mail, a log server): ``verify_audit --head SEQ:HASH`` then proves that the log still reaches
that far even if someone with database access also removed the stored heads.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from arbo.audit.chain import record_head


class Command(BaseCommand):
    help = "Record the current end of the audit chain as a chain head, and print it as SEQ:HASH."

    def handle(self, *args: Any, **options: Any) -> None:
        head = record_head()
        if head is None:
            self.stdout.write("audit log is empty: no head recorded")
            return
        self.stdout.write(f"{head.seq}:{bytes(head.hash).hex()} recorded at {head.recorded_at.isoformat()}")
