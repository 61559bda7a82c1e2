"""Tamper tests: ``verify_audit`` detects a changed, an inserted and a deleted row and a truncated tail.

Each test runs with the Python scanner and, on PostgreSQL, with the SQL scanner as well.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from arbo.audit import chain, log, verify
from arbo.audit.models import AuditChainHead, AuditEvent
from tests import factories as f
from tests.audit.conftest import broken, forged, on_postgresql, tamper, write

pytestmark = pytest.mark.django_db


def _hash(seq: int) -> bytes:
    return bytes(AuditEvent.objects.get(seq=seq).hash)


def test_intact_chain_verifies(verifier) -> None:  # type: ignore[no-untyped-def]
    write(5)

    assert "audit chain intact: 5 rows (seq 1..5)" in verifier()


def test_empty_log_verifies(verifier) -> None:  # type: ignore[no-untyped-def]
    assert "audit chain intact: 0 rows (empty log)" in verifier()


def test_changed_row_is_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(5)
    tamper("UPDATE audit_auditevent SET actor_label = 'iemand anders' WHERE seq = 3")

    assert (
        broken(verifier)
        == "first broken link at seq 3: hash mismatch (row changed, or inserted without the key)"
    )


@pytest.mark.parametrize(
    "change",
    [
        "occurred_at = occurred_at + interval '1 microsecond'",
        "data = '{\"n\": 9}'",
        "subject_id = 12",
        "ip_address = '10.0.0.1'",
        "prev_hash = hash",
    ],
)
def test_any_changed_field_is_detected(verifier, change) -> None:  # type: ignore[no-untyped-def]
    if not on_postgresql and "interval" in change:
        change = "occurred_at = '2020-01-01 00:00:00'"
    write(4)
    tamper(f"UPDATE audit_auditevent SET {change} WHERE seq = 2")  # noqa: S608 - fixed test input

    assert broken(verifier).startswith("first broken link at seq 2: ")


def test_forged_row_appended_after_the_tail_is_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(3)
    forged(4, _hash(3))

    assert broken(verifier).startswith("first broken link at seq 4: hash mismatch")


def test_row_inserted_in_the_middle_is_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    """The attacker makes room at seq 3 by renumbering the rows after it, then inserts there."""
    write(5)
    tamper("UPDATE audit_auditevent SET seq = -seq WHERE seq >= 3")
    tamper("UPDATE audit_auditevent SET seq = 1 - seq WHERE seq < 0")
    forged(3, _hash(2), object_type="registry.employee", object_id="7")

    assert broken(verifier).startswith("first broken link at seq 3: hash mismatch")


def test_genuine_but_replaced_row_is_detected_by_its_link(verifier) -> None:  # type: ignore[no-untyped-def]
    """Even a row with a valid hash (a rolled-back append dug out of the WAL) breaks the next link."""
    write(4)
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    forged(3, _hash(2), key_holder=True, event="test.rolled_back")

    assert broken(verifier) == (
        "first broken link at seq 4: prev_hash is not the hash of seq 3 (row replaced or inserted)"
    )


def test_deleted_row_is_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(5)
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")

    assert broken(verifier) == "first broken link at seq 4: gap before seq 4: seq 3..3 missing (rows deleted)"


def test_deleted_first_rows_are_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(4)
    tamper("DELETE FROM audit_auditevent WHERE seq <= 2")

    assert broken(verifier).startswith(
        "first broken link at seq 3: chain starts at seq 3 but no purge of seq 1..2"
    )


def test_truncated_tail_is_detected_by_the_chain_state(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    tamper("DELETE FROM audit_auditevent WHERE seq > 4")

    assert broken(verifier) == (
        "first broken link at seq 5: chain ends at seq 4 but the chain state records seq 6 (tail truncated)"
    )


def test_truncated_tail_with_state_reset_is_detected_by_a_recorded_head(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    call_command("record_audit_head", stdout=None)
    tamper("DELETE FROM audit_auditevent WHERE seq > 4")
    tamper("UPDATE audit_auditchainstate SET last_seq = 4, last_hash = %s", [_hash(4)])

    assert broken(verifier) == (
        "first broken link at seq 5: chain ends at seq 4 but a head was recorded at seq 6 (tail truncated)"
    )


def test_truncated_tail_with_state_and_heads_gone_is_detected_by_a_head_kept_elsewhere(verifier) -> None:  # type: ignore[no-untyped-def]
    write(6)
    kept = f"6:{_hash(6).hex()}"
    tamper("DELETE FROM audit_auditevent WHERE seq > 4")
    tamper("UPDATE audit_auditchainstate SET last_seq = 4, last_hash = %s", [_hash(4)])
    tamper("DELETE FROM audit_auditchainhead")

    assert "audit chain intact" in verifier()  # what the database alone can tell
    assert broken(verifier, "--head", kept).startswith("first broken link at seq 5: chain ends at seq 4")


def test_whole_log_deleted_is_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    write(3)
    tamper("DELETE FROM audit_auditevent")

    assert broken(verifier) == (
        "first broken link at seq 1: chain ends at seq 0 but the chain state records seq 3 (tail truncated)"
    )


def test_changed_row_under_a_head_is_reported_there_too(verifier) -> None:  # type: ignore[no-untyped-def]
    write(3)
    AuditChainHead.objects.create(
        seq=2, hash=bytes(32), recorded_at=AuditEvent.objects.get(seq=2).occurred_at
    )

    assert (
        broken(verifier)
        == "first broken link at seq 2: hash differs from the head recorded for it (row changed)"
    )


def test_rows_appended_past_the_chain_state_are_detected(verifier) -> None:  # type: ignore[no-untyped-def]
    """A row with a valid hash (the attacker holds the key) but not appended through the chain."""
    write(3)
    forged(4, _hash(3), key_holder=True)

    assert (
        broken(verifier)
        == "first broken link at seq 4: rows after seq 3 were not appended through the chain (inserted)"
    )


@pytest.mark.parametrize("where", ["seq = 4", "seq = 5", "seq = 7"])
def test_breaks_between_scan_ranges_are_found(verifier, monkeypatch, where) -> None:  # type: ignore[no-untyped-def]
    """The SQL verifier scans ranges of seq separately; links across range borders are checked too."""
    monkeypatch.setattr(verify, "RANGE_ROWS", 2)  # ranges 1-2, 3-4, 5-6, 7-8
    write(8)
    assert "audit chain intact: 8 rows" in verifier()

    tamper(f"DELETE FROM audit_auditevent WHERE {where}")  # noqa: S608 - fixed test input
    deleted = int(where.split()[-1])

    assert broken(verifier).startswith(
        f"first broken link at seq {deleted + 1}: gap before seq {deleted + 1}"
    )


def test_replaced_row_at_a_range_border_is_found(verifier, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(verify, "RANGE_ROWS", 2)
    write(6)
    tamper("DELETE FROM audit_auditevent WHERE seq = 4")
    forged(4, _hash(3), key_holder=True, event="test.other")

    assert broken(verifier).startswith("first broken link at seq 5: prev_hash is not the hash of seq 4")


def test_later_problems_are_listed_after_the_first() -> None:
    write(6)
    tamper("DELETE FROM audit_auditevent WHERE seq = 5")
    tamper("UPDATE audit_auditevent SET event = 'x' WHERE seq = 2")
    errors = StringIO()

    with pytest.raises(CommandError, match="first broken link at seq 2: hash mismatch"):
        call_command("verify_audit", stdout=StringIO(), stderr=errors)

    assert "also broken: seq 6: gap before seq 6" in errors.getvalue()


def test_awkward_values_written_in_bulk_verify(verifier) -> None:  # type: ignore[no-untyped-def]
    """record_many goes in with COPY on PostgreSQL: tabs, newlines, backslashes and JSON survive it."""
    request = RequestFactory().get(
        "/", REMOTE_ADDR="::ffff:192.0.2.1", HTTP_USER_AGENT="tab\there\nnew \\ line"
    )
    employees = f.EmployeeFactory.create_batch(3)
    data = {"note": "a\tb\nc \\N \u00e9", "n": [1.5, None, True], "nested": {"k": "\\x00"}}

    log.record_many(
        f.UserFactory(), log.Action.EXPORT, "test.exported", employees, data=data, request=request
    )

    rows = list(AuditEvent.objects.order_by("seq"))
    assert [(row.user_agent, row.data) for row in rows] == [("tab\there\nnew \\ line", data)] * 3
    assert "audit chain intact: 3 rows" in verifier()


def test_chain_formats_hash_as_hmac_of_canonical_form() -> None:
    """The verifier and the writer agree on what a hash is (a guard for the tests above)."""
    entry = write(1)[0]
    assert bytes(entry.hash) == chain.seal(AuditEvent.objects.get(seq=1))
