"""Chaining after commit (issue 12): a bulk writer's records are inserted pending, commit with its
change, and are chained afterwards in short transactions; the writer never holds the chain lock."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from arbo.audit import chain, log
from arbo.audit.models import AuditChainHead, AuditChainState, AuditEvent
from arbo.audit.verify import check_pending, verify_chain
from tests import factories as f
from tests.audit.conftest import broken, on_postgresql, tamper, write

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(not on_postgresql, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")


def bulk(people: list, event: str = "test.bulk") -> None:  # type: ignore[type-arg]
    log.record_many(None, log.Action.CREATE, event, people, category="A", data={"import": 7})


def refused(statement: str, pk: int) -> None:
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [pk])


def test_records_inside_the_block_are_pending_and_sealed_until_commit(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    write(2)
    people = f.EmployeeFactory.create_batch(3)

    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic(), chain.chained_after_commit():
            bulk(people)
            log.record(None, log.Action.EXECUTE, "test.bulk_done")
        pending = list(chain.pending_rows().order_by("id"))

    # Inserted with the change, not chained, the chain's end untouched; each row sealed as it is.
    assert [row.event for row in pending] == ["test.bulk"] * 3 + ["test.bulk_done"]
    assert all(bytes(row.prev_hash) == b"" for row in pending)
    assert all(bytes(row.hash) == chain.provisional_seal(row) for row in pending)
    assert AuditChainState.objects.get().last_seq == 2
    assert len(callbacks) == 1

    callbacks[0]()  # what the commit runs

    rows = list(AuditEvent.objects.order_by("seq"))
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5, 6]
    assert [row.subject_id for row in rows[2:5]] == [person.pk for person in people]
    assert not chain.pending_rows().exists()
    assert verify_chain(python=True).ok


def test_a_rolled_back_block_leaves_no_record(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    people = f.EmployeeFactory.create_batch(2)

    def failing_import() -> None:
        with transaction.atomic(), chain.chained_after_commit():
            bulk(people)
            raise RuntimeError("the import failed")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        failing_import()

    assert callbacks == []
    assert not AuditEvent.objects.filter(event="test.bulk").exists()


def test_sequencing_works_in_batches_and_records_heads(
    monkeypatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(chain, "HEAD_INTERVAL", 4)
    monkeypatch.setattr(chain, "SEQUENCE_BATCH", 3)
    write(1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        chain.chained_after_commit(),
    ):
        bulk(f.EmployeeFactory.create_batch(7))

    assert chain.sequence_pending() == 0  # nothing left
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 9))
    assert list(AuditChainHead.objects.values_list("seq", flat=True)) == [4, 8]
    assert verify_chain(python=True).ok


def test_a_pending_row_inserted_without_the_key_is_never_chained(verifier) -> None:  # type: ignore[no-untyped-def]
    write(1)
    with transaction.atomic(), chain.chained_after_commit():
        bulk(f.EmployeeFactory.create_batch(2))
    forged = chain.pending_rows().order_by("id").first()
    tamper("UPDATE audit_auditevent SET data = '{\"import\": 8}' WHERE id = %s", [forged.pk])

    assert chain.sequence_pending() == 1

    assert chain.pending_rows().get().pk == forged.pk
    # Young, it may still be on its way; past the grace the verifier names it.
    assert check_pending() == []
    later = timezone.now() + chain.PENDING_GRACE + dt.timedelta(minutes=1)
    (problem,) = check_pending(later)
    assert problem.seq == 3
    assert f"first id {forged.pk}; 1 without a valid seal" in problem.description
    past = timezone.now() - chain.PENDING_GRACE * 2
    tamper("UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s", [past, forged.pk])
    assert "1 rows not chained for more than 0:15:00" in broken(verifier)


def test_verify_audit_chains_what_a_dead_writer_left(verifier) -> None:  # type: ignore[no-untyped-def]
    write(1)
    # Committed (as far as this test goes) without its sequencing ever running: the writer died.
    with transaction.atomic(), chain.chained_after_commit():
        bulk(f.EmployeeFactory.create_batch(3))
    assert chain.pending_rows().count() == 3

    output = verifier()

    assert "chained 3 pending rows first" in output
    assert "audit chain intact: 4 rows" in output


@postgres_only
@pytest.mark.postgres
def test_the_trigger_lets_chaining_set_only_the_three_chain_columns(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    write(1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        chain.chained_after_commit(),
    ):
        bulk(f.EmployeeFactory.create_batch(1))
    row = AuditEvent.objects.get(event="test.bulk")
    assert row.seq == 2
    with transaction.atomic(), chain.chained_after_commit():
        bulk(f.EmployeeFactory.create_batch(1), event="test.second")
    pending = chain.pending_rows().get()

    for statement in (
        "UPDATE audit_auditevent SET seq = 3, event = 'test.other' WHERE id = %s",
        "UPDATE audit_auditevent SET actor_label = 'someone' WHERE id = %s",
    ):
        refused(statement, pending.pk)
    refused("UPDATE audit_auditevent SET seq = 99 WHERE id = %s", row.pk)  # chained rows stay as they are

    assert chain.sequence_pending() == 1
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@postgres_only
@pytest.mark.postgres
def test_an_open_bulk_transaction_does_not_hold_up_other_audited_requests() -> None:
    write(1)
    people = f.EmployeeFactory.create_batch(20)
    inserted, release = threading.Event(), threading.Event()

    def importer() -> None:
        try:
            with transaction.atomic(), chain.chained_after_commit():
                bulk(people)
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        assert inserted.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")  # the chain lock is free: no wait
            entry = log.record(None, log.Action.READ, "test.page")
        assert entry.seq == 2
    finally:
        release.set()
        thread.join()

    # The importer's commit chained its rows after the page's record.
    assert not chain.pending_rows().exists()
    assert list(AuditEvent.objects.filter(event="test.bulk").values_list("seq", flat=True)) == list(
        range(3, 23)
    )
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@postgres_only
@pytest.mark.postgres
def test_a_page_never_waits_for_another_transaction_holding_the_chain(
    mfa_client,
    secretary_sara,
    employee_of_a,  # type: ignore[no-untyped-def]
) -> None:
    """While another transaction holds the chain lock (a page between its audit record and its
    commit, slow to flush beside a purge), a page's records go in pending instead of waiting; they
    are chained after both commit and the chain verifies."""
    write(1)
    holding, release = threading.Event(), threading.Event()

    def other_page() -> None:
        try:
            with transaction.atomic():
                log.record(None, log.Action.READ, "test.other_page")  # takes the chain lock
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_page)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '50ms'")  # waiting for the chain would fail
            entry = log.record(None, log.Action.READ, "test.page")
        assert entry.seq is None  # pending, not waiting
        client = mfa_client(secretary_sara)
        response = client.get(reverse("registry:employee_detail", args=[employee_of_a.pk]))
        assert response.status_code == 200
        page_rows = AuditEvent.objects.filter(subject_id=employee_of_a.pk, action=log.Action.READ)
        assert page_rows.exists()
        assert all(row.seq is None for row in page_rows)
    finally:
        release.set()
        thread.join()

    assert AuditEvent.objects.get(event="test.other_page").seq == 2  # chained at once, as always
    assert chain.sequence_pending() >= 2
    assert not chain.pending_rows().exists()
    assert verify_chain().ok
