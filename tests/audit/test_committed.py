"""Verification of committed rows on several connections at once, and ``flush`` of the audit trail.

Transactional tests: the rows are committed, so the SQL scanner's extra connections see them;
the test database is then emptied with ``flush``, which the TRUNCATE trigger must allow.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arbo.audit import verify
from tests.audit.conftest import tamper, write

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_verification_sees_every_range(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(verify, "RANGE_ROWS", 3)
    write(10)
    out = StringIO()

    call_command("verify_audit", "--jobs", "2", stdout=out)
    assert "audit chain intact: 10 rows (seq 1..10)" in out.getvalue()

    tamper("DELETE FROM audit_auditevent WHERE seq = 7")
    with pytest.raises(CommandError, match="first broken link at seq 8: gap before seq 8"):
        call_command("verify_audit", "--jobs", "2", stdout=StringIO(), stderr=StringIO())


def test_flush_empties_the_whole_audit_trail() -> None:
    write(3)

    call_command("flush", interactive=False, verbosity=0)
    write(1)

    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "audit chain intact: 1 rows (seq 1..1)" in out.getvalue()
