"""Incremental verification: from the last checkpoint, the new rows only; a broken new row, a
changed checkpoint row or a truncated tail is still found."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from arbo.audit.models import AuditCheckpoint
from arbo.audit.verify import verify_incremental
from tests.audit.conftest import tamper, write

pytestmark = pytest.mark.django_db


def test_first_run_is_full_and_later_runs_check_the_new_rows_only() -> None:
    write(5)

    first = verify_incremental()
    assert (first.ok, first.rows) == (True, 5)
    assert AuditCheckpoint.objects.get().seq == 5

    write(3)
    second = verify_incremental()
    assert (second.ok, second.rows, second.first_seq, second.last_seq) == (True, 3, 6, 8)
    assert list(AuditCheckpoint.objects.values_list("seq", flat=True)) == [5, 8]

    third = verify_incremental()  # nothing new
    assert (third.ok, third.rows) == (True, 0)


def test_a_changed_new_row_fails_and_sets_no_checkpoint() -> None:
    write(4)
    verify_incremental()
    write(3)
    tamper("UPDATE audit_auditevent SET actor_label = 'iemand anders' WHERE seq = 6")

    report = verify_incremental()

    assert not report.ok
    assert report.first_problem.seq == 6
    assert list(AuditCheckpoint.objects.values_list("seq", flat=True)) == [4]


def test_a_truncated_tail_is_found() -> None:
    write(4)
    verify_incremental()
    write(2)
    tamper("DELETE FROM audit_auditevent WHERE seq > 5")

    report = verify_incremental()

    assert not report.ok
    assert "tail truncated" in str(report.first_problem)


def test_a_rewritten_checkpoint_row_is_found() -> None:
    write(4)
    verify_incremental()
    tamper("UPDATE audit_auditevent SET hash = prev_hash WHERE seq = 4")

    report = verify_incremental()

    assert not report.ok
    assert report.first_problem.seq == 4


def test_changed_old_row_is_left_to_the_full_verification() -> None:
    write(4)
    verify_incremental()
    tamper("UPDATE audit_auditevent SET actor_label = 'iemand anders' WHERE seq = 2")
    write(1)

    assert verify_incremental().ok  # the checkpoint's own row is intact; seq 2 is behind it
    with pytest.raises(Exception, match="first broken link at seq 2"):
        call_command("verify_audit")
