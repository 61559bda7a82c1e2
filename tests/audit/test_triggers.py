"""PostgreSQL's append-only triggers: no UPDATE, no DELETE (but a purge from the oldest end), no TRUNCATE."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from arbo.audit.models import AuditChainHead, AuditChainState, AuditEvent
from tests.audit.conftest import on_postgresql, write

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(not on_postgresql, reason="the triggers exist on PostgreSQL only"),
]


def _refused(sql: str, params: list[object] | None = None) -> str:
    """Run ``sql`` in a savepoint and return the database's refusal."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    return str(refusal.value)


def test_update_is_refused() -> None:
    write(3)

    assert "append-only: UPDATE on audit_auditevent refused" in _refused(
        "UPDATE audit_auditevent SET actor_label = 'x' WHERE seq = 2"
    )
    assert AuditEvent.objects.get(seq=2).actor_label == "system"


def test_orm_update_and_delete_are_refused() -> None:
    write(2)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(event="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.get(seq=2).delete()


def test_delete_is_refused() -> None:
    write(3)

    assert "append-only: DELETE on audit_auditevent refused" in _refused(
        "DELETE FROM audit_auditevent WHERE seq = 3"
    )
    assert AuditEvent.objects.count() == 3


def test_delete_from_the_middle_is_refused_even_with_the_purge_setting() -> None:
    write(5)

    refusal = _refused(
        "SELECT set_config('arbo.audit_purge_before', '4', true); DELETE FROM audit_auditevent WHERE seq = 2"
    )

    assert "a purge must delete from the oldest end" in refusal
    assert AuditEvent.objects.count() == 5


def test_purge_setting_allows_only_rows_below_it() -> None:
    write(5)

    refusal = _refused(
        "SELECT set_config('arbo.audit_purge_before', '3', true); DELETE FROM audit_auditevent WHERE seq <= 3"
    )

    assert "DELETE on audit_auditevent refused" in refusal


def _no_pending_checks() -> None:
    # TRUNCATE refuses to run while deferred foreign key checks of this transaction are pending.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_truncate_of_the_log_alone_is_refused() -> None:
    write(2)
    _no_pending_checks()

    assert "TRUNCATE audit_auditevent refused" in _refused("TRUNCATE audit_auditevent")
    assert "refused" in _refused("TRUNCATE audit_auditevent, audit_auditchainhead")
    assert AuditEvent.objects.count() == 2


def test_truncate_of_the_whole_audit_trail_is_allowed() -> None:
    """What Django's flush does between transactional tests: every table in one statement."""
    write(2)
    _no_pending_checks()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent, audit_auditchainstate, audit_auditchainhead")

    assert not AuditEvent.objects.exists()


def test_heads_cannot_be_changed_or_removed() -> None:
    write(1)
    head = AuditChainHead.objects.create(
        seq=1, hash=bytes(32), recorded_at=AuditEvent.objects.get().occurred_at
    )

    assert "UPDATE on audit_auditchainhead refused" in _refused(
        "UPDATE audit_auditchainhead SET seq = 9 WHERE id = %s", [head.pk]
    )
    assert "DELETE on audit_auditchainhead refused" in _refused("DELETE FROM audit_auditchainhead")


def test_chain_state_only_moves_forward() -> None:
    write(3)

    assert "UPDATE on audit_auditchainstate refused" in _refused(
        "UPDATE audit_auditchainstate SET last_seq = 1"
    )
    assert "DELETE on audit_auditchainstate refused" in _refused("DELETE FROM audit_auditchainstate")
    assert AuditChainState.objects.get().last_seq == 3
