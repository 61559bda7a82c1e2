"""The purge as a job: a run killed mid-batch and run again, or two runs at once, destroy each
record once (the concurrency test needs PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from arbo.prevention.models import ExposureRecord
from arbo.retention import destroy, kinds, purge, register
from arbo.retention.models import PurgeLog, RetentionRule
from arbo.retention.terms import Term
from tests import factories as f
from tests.retention import builders as b
from tests.retention.conftest import seed_schedule

DAY = dt.date(2030, 1, 1)


def _due_records(count: int) -> set[int]:
    employer = f.EmployerFactory()
    people = [b.person(employer) for _ in range(5)]
    return {b.exposure(people[n % 5], "kankerverwekkend", dt.date(1980, 1, 1)).pk for n in range(count)}


def _destroyed_once(expected: set[int]) -> None:
    """Every record gone, each in exactly one committed batch (purge log) and no pk twice in the
    register lines of committed batches."""
    assert not ExposureRecord.objects.filter(pk__in=expected).exists()
    assert sum(
        PurgeLog.objects.filter(kind="exposure_carcinogenic").values_list("records", flat=True)
    ) == len(expected)


def _term() -> Term:
    return Term.of(RetentionRule.objects.get(kind="exposure_carcinogenic"))


@pytest.mark.django_db
def test_a_run_killed_mid_batch_and_run_again_destroys_each_record_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    records = _due_records(23)
    spec = kinds.KINDS["exposure_carcinogenic"]
    calls = {"n": 0}

    def dies_in_the_third_batch(pks: list[int]):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        destroyed = original(pks)  # the rows are deleted in this transaction …
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")  # … and the process dies before the commit
        return destroyed

    original = spec.destroy
    monkeypatch.setitem(
        kinds.KINDS,
        "exposure_carcinogenic",
        kinds.Kind(**{**spec.__dict__, "destroy": dies_in_the_third_batch}),
    )
    with pytest.raises(KeyboardInterrupt):
        purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=5)
    assert ExposureRecord.objects.filter(pk__in=records).count() == 23 - 10  # two batches committed

    monkeypatch.setitem(kinds.KINDS, "exposure_carcinogenic", spec)
    assert purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=5) == 13
    assert purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=5) == 0
    _destroyed_once(records)
    # The killed batch's register line was written ahead: replaying it is harmless.
    assert destroy.replay_since(dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) >= 5


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_destroy_each_record_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SELECT … FOR UPDATE SKIP LOCKED: PostgreSQL (SQLite has one writer at a time)")
    seed_schedule()
    records = _due_records(120)
    term = _term()
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            counts.append(purge.purge_kind("exposure_carcinogenic", term, DAY, batch=7))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == 120
    _destroyed_once(records)
    destroyed = [pk for line in register.entries() if line["op"] == "rows" for pk in line["pks"]]
    assert sorted(destroyed) == sorted(records)  # no record in two batches


def _chain_lock_is_free() -> bool:
    """From a second connection: could a page read take the audit chain's lock right now?"""
    from django.db import OperationalError, connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT last_seq FROM audit_auditchainstate WHERE id = 1 FOR UPDATE NOWAIT")
        return True
    except OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_purge_batch_never_holds_the_audit_chain_lock(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every batch, at its very end (destroyed, purge log written, not yet committed), leaves the
    audit chain's lock free: its one audit record is appended after the commit, a short insert of
    its own. The probe sees the lock held when a batch audits inside its transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite locks the whole database for any writer)")
    from django.db import transaction

    from arbo.audit import chain
    from arbo.audit.models import AuditEvent

    seed_schedule()
    with transaction.atomic():
        chain.locked_state()  # the chain's state row exists
    records = _due_records(9)
    free: list[bool] = []
    original = destroy._log

    def log_then_probe(*args, **kwargs):  # type: ignore[no-untyped-def]
        original(*args, **kwargs)
        assert connection.in_atomic_block  # still inside the batch's transaction
        free.append(_chain_lock_is_free())

    monkeypatch.setattr(destroy, "_log", log_then_probe)
    assert purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=4) == 9
    assert free == [True, True, True]
    assert AuditEvent.objects.filter(event="retention.purged").count() == 3  # each batch audited
    _destroyed_once(records)

    # The probe can fail: the same batch auditing inside its transaction holds the lock.
    free.clear()
    records = _due_records(4)
    monkeypatch.setattr(
        destroy,
        "_log",
        lambda *args, **kwargs: (
            original(*args, **{**kwargs, "audit_after_commit": False}),
            free.append(_chain_lock_is_free()),
        ),
    )
    assert purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=4) == 4
    assert free == [False]


@pytest.mark.django_db
def test_a_bounded_run_stops_at_its_limit_and_the_next_goes_on() -> None:
    records = _due_records(12)
    assert purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=5, limit=7) == 7
    assert ExposureRecord.objects.filter(pk__in=records).count() == 5
    assert purge.purge_kind("exposure_carcinogenic", _term(), DAY, batch=5, limit=7) == 5
    _destroyed_once(records)
