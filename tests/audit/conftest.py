"""Helpers for the audit tests: writing records, and tampering with the log as an attacker would.

On PostgreSQL the append-only triggers stop UPDATE and DELETE; an attacker with superuser rights
switches them off, and so does :func:`tamper` (``session_replication_role = replica``, which
skips ordinary triggers; the test user is the superuser ``postgres``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from arbo.audit import chain, log
from arbo.audit.models import AuditEvent

on_postgresql = connection.vendor == "postgresql"
postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(not on_postgresql, reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def write(count: int, **kwargs: Any) -> list[AuditEvent]:
    """``count`` system records, each with a little data of its own."""
    kwargs.setdefault("data", {})
    return [
        log.record(None, log.Action.READ, "test.read", **{**kwargs, "data": {"n": n, **kwargs["data"]}})
        for n in range(count)
    ]


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Run ``sql`` with the append-only triggers switched off (until the test's transaction ends)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if on_postgresql:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
        if on_postgresql:
            cursor.execute("SET LOCAL session_replication_role = origin")


def forged(seq: int, prev_hash: bytes, *, key_holder: bool = False, **fields: Any) -> AuditEvent:
    """A row an attacker inserts: without the key its hash is a guess; with it, a genuine-looking row."""
    defaults = {"action": log.Action.READ, "event": "test.read", "actor_label": "system"}
    entry = AuditEvent(
        occurred_at=AuditEvent.objects.order_by("-seq").first().occurred_at,
        seq=seq,
        prev_hash=prev_hash,
        **{**defaults, **fields},
    )
    entry.hash = chain.seal(entry) if key_holder else bytes(32)
    entry.save(force_insert=True)
    return entry


@pytest.fixture(params=["python", "postgresql"])
def verifier(request) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    """``verify_audit`` with the Python scanner, and (on PostgreSQL) with the SQL scanner.

    Returns the command's output; a broken chain raises ``CommandError``.
    """
    if request.param == "postgresql" and not on_postgresql:
        pytest.skip("the SQL scanner needs PostgreSQL")

    def verify(*args: str) -> str:
        from io import StringIO

        out = StringIO()
        call_command("verify_audit", *args, python=request.param == "python", stdout=out, stderr=StringIO())
        return out.getvalue()

    return verify


def broken(verify: Callable[..., str], *args: str) -> str:
    """The message of a failing ``verify_audit``, after checking that it exits with status 1."""
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 1
    return str(failure.value)
