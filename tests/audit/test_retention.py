"""Purging the oldest audit rows: the chain still verifies, from the purge anchor on."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from arbo.audit.models import AuditChainHead, AuditEvent
from arbo.audit.retention import purge_audit_before
from tests.audit.conftest import broken, tamper, write

pytestmark = pytest.mark.django_db


def test_purge_deletes_the_oldest_rows_and_the_chain_still_verifies(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    call_command("record_audit_head", stdout=StringIO())  # a head at seq 6: still there after the purge
    purged_hash = bytes(AuditEvent.objects.get(seq=3).hash)

    assert purge_audit_before(4) == 3

    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [4, 5, 6, 7]
    anchor = AuditChainHead.objects.get(kind=AuditChainHead.Kind.PURGE)
    assert (anchor.seq, bytes(anchor.hash)) == (3, purged_hash)
    purge_record = AuditEvent.objects.get(seq=7)
    assert (purge_record.event, purge_record.data) == ("audit.purged", {"before_seq": 4, "rows": 3})
    assert "audit chain intact: 4 rows (seq 4..7)" in verifier()


def test_purges_follow_each_other(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    purge_audit_before(3)
    purge_audit_before(6)

    assert "audit chain intact: 3 rows (seq 6..8)" in verifier()


def test_row_deleted_after_a_purge_is_still_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    purge_audit_before(4)
    tamper("DELETE FROM audit_auditevent WHERE seq = 4")

    assert broken(verifier).startswith(
        "first broken link at seq 5: chain starts at seq 5 but no purge of seq 1..4"
    )


def test_changed_first_row_after_a_purge_is_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    purge_audit_before(4)
    tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = 4", [bytes(32)])

    assert broken(verifier).startswith("first broken link at seq 4: ")


def test_purge_keeps_the_end_of_the_chain() -> None:
    write(3)

    with pytest.raises(ValueError, match="the chain ends at seq 3"):
        purge_audit_before(5)
    assert purge_audit_before(1) == 0
    assert AuditEvent.objects.count() == 3
