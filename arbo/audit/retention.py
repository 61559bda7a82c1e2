"""Retention: purging the oldest audit records, the one deletion the append-only log allows.

:func:`purge_audit_before` deletes every row with ``seq`` below a given position. It first records
a purge anchor (an :class:`~arbo.audit.models.AuditChainHead` of kind ``purge``: the seq and hash of
the last row it deletes), so that ``verify_audit`` can still check the first remaining row's
``prev_hash`` and tell this purge apart from rows deleted by anyone else. On PostgreSQL it opens the
trigger for exactly these rows with the transaction-local setting ``arbo.audit_purge_before``; the
trigger also makes sure that no older row is left behind. The purge itself is audited.

The retention periods (NEN 7513: at least as long as the dossier they describe) and the job that
calls this are for a later issue. Do not run a purge while ``verify_audit`` runs.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from arbo.audit import chain, log
from arbo.audit.models import AuditChainHead, AuditEvent


def purge_audit_before(seq: int, *, by: Any = None) -> int:
    """Delete the audit rows with ``seq`` below ``seq``; returns how many were deleted.

    At least the last row stays, so the chain always has an end to link new rows to.
    """
    with transaction.atomic():
        state = chain.locked_state()  # no appends while the start of the chain moves
        if seq > state.last_seq:
            raise ValueError(f"cannot purge up to seq {seq}: the chain ends at seq {state.last_seq}")
        last = AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").values_list("seq", "hash").first()
        if last is None:
            return 0
        if last[0] != seq - 1:
            raise ValueError(f"seq {seq - 1} is missing: run verify_audit before purging")
        kind = AuditChainHead.Kind.PURGE
        AuditChainHead.objects.create(seq=last[0], hash=bytes(last[1]), kind=kind, recorded_at=timezone.now())
        _open_trigger(seq)
        deleted, _ = AuditEvent.objects.filter(seq__lt=seq).delete()
        log.record(
            by,
            log.Action.DELETE,
            "audit.purged",
            basis=log.Basis.SYSTEM,
            data={"before_seq": seq, "rows": deleted},
        )
    return deleted


def _open_trigger(seq: int) -> None:
    """Let the append-only trigger accept deletes below ``seq``, until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('arbo.audit_purge_before', %s, true)", [str(seq)])
