"""Appending to the hash chain: numbering, links, hashes, transactions, heads and the canonical form."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from arbo.audit import chain, log
from arbo.audit.models import AuditChainHead, AuditChainState, AuditEvent
from arbo.registry.models import Employee
from tests import factories as f
from tests.audit.conftest import on_postgresql, tamper, write

pytestmark = pytest.mark.django_db


def test_records_are_numbered_and_linked_in_order() -> None:
    write(3)

    rows = list(AuditEvent.objects.order_by("seq"))

    assert [row.seq for row in rows] == [1, 2, 3]
    assert bytes(rows[0].prev_hash) == chain.GENESIS
    assert [bytes(row.prev_hash) for row in rows[1:]] == [bytes(row.hash) for row in rows[:-1]]
    state = AuditChainState.objects.get()
    assert (state.last_seq, bytes(state.last_hash)) == (3, bytes(rows[-1].hash))


def test_hash_is_the_hmac_of_the_row_as_read_back() -> None:
    write(1, data={"fields": ["naam", "adres"], "note": 'é \u0001 "x"', "ratio": 0.25})

    row = AuditEvent.objects.get()

    assert bytes(row.hash) == hmac.digest(chain_key(), chain.canonical(row), "sha256")


def test_record_many_writes_one_linked_row_per_subject() -> None:
    write(1)
    employees = f.EmployeeFactory.create_batch(4)

    written = log.record_many(None, log.Action.READ, "test.listed", employees, category="D")

    rows = list(AuditEvent.objects.filter(event="test.listed").order_by("seq"))
    assert written == 4
    assert [row.subject_id for row in rows] == [employee.pk for employee in employees]
    assert [row.seq for row in rows] == [2, 3, 4, 5]
    assert bytes(rows[0].prev_hash) == bytes(AuditEvent.objects.get(seq=1).hash)
    assert [bytes(row.prev_hash) for row in rows[1:]] == [bytes(row.hash) for row in rows[:-1]]
    assert all(bytes(row.hash) == chain.seal(row) for row in rows)


def test_record_many_of_nothing_writes_nothing() -> None:
    assert log.record_many(None, log.Action.READ, "test.listed", []) == 0
    assert not AuditEvent.objects.exists()


def test_record_rolls_back_with_the_change_it_describes() -> None:
    write(1)

    def change_that_fails() -> None:
        with transaction.atomic():
            employee = f.EmployeeFactory()
            log.record(None, log.Action.CREATE, "test.created", subject=employee)
            raise RuntimeError("the change fails after its audit record was written")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert list(AuditEvent.objects.values_list("seq", "event")) == [(1, "test.read")]
    assert AuditChainState.objects.get().last_seq == 1
    write(1)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2]


def test_a_failing_audit_write_takes_the_change_down_with_it() -> None:
    """No savepoint of its own: even if the caller swallows the error, its change does not commit."""
    with transaction.atomic():
        f.EmployeeFactory()
        with contextlib.suppress(TypeError):
            log.record(None, log.Action.CREATE, "test.created", data={"not json": object()})

    assert not Employee.objects.exists()
    assert not AuditEvent.objects.exists()


def test_missing_chain_state_continues_from_the_last_row() -> None:
    write(2)
    tamper("DELETE FROM audit_auditchainstate")

    write(1)

    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3]
    assert AuditChainState.objects.get().last_seq == 3


def test_a_head_is_recorded_every_interval(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(chain, "HEAD_INTERVAL", 3)

    write(2)
    log.record_many(None, log.Action.READ, "test.listed", f.EmployeeFactory.create_batch(5))  # seq 3..7
    write(2)  # 8, 9

    heads = list(AuditChainHead.objects.values_list("seq", "hash", "kind"))
    assert [(seq, kind) for seq, _, kind in heads] == [(7, "head"), (9, "head")]
    assert all(bytes(value) == bytes(AuditEvent.objects.get(seq=seq).hash) for seq, value, _ in heads)


def test_record_audit_head_prints_what_verify_audit_accepts() -> None:
    write(3)
    out = StringIO()

    call_command("record_audit_head", stdout=out)

    printed = out.getvalue().split()[0]
    seq, digest = printed.split(":")
    assert (int(seq), digest) == (3, bytes(AuditEvent.objects.get(seq=3).hash).hex())
    assert AuditChainHead.objects.get().seq == 3
    verified = StringIO()
    call_command("verify_audit", "--head", printed, stdout=verified)
    assert "audit chain intact: 3 rows" in verified.getvalue()


def test_record_audit_head_on_an_empty_log_records_nothing() -> None:
    out = StringIO()
    call_command("record_audit_head", stdout=out)
    assert "empty" in out.getvalue()
    assert not AuditChainHead.objects.exists()


def test_access_point_is_normalised() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0::1", HTTP_USER_AGENT="curl\x00/8")
    entry = log.record(None, log.Action.LOGIN, "test.login", request=request)
    odd = log.record(
        None, log.Action.LOGIN, "test.login", request=RequestFactory().get("/", REMOTE_ADDR="unknown")
    )

    assert (entry.ip_address, entry.user_agent) == ("2001:db8::1", "curl\ufffd/8")
    assert odd.ip_address is None


def test_pages_write_chained_records(mfa_client, casemanager_carla, employer_a) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    employee = employer_a.employments.first().employee
    before = AuditChainState.objects.get().last_seq if AuditChainState.objects.exists() else 0

    client.get(reverse("registry:employee_list"))
    client.get(reverse("registry:employee_detail", args=[employee.pk]))

    rows = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [row.event for row in rows] == ["registry.employee_listed"] * 3 + ["registry.employee_viewed"]
    assert all(bytes(row.hash) == chain.seal(row) for row in rows)
    assert "audit chain intact" in _verify()


def test_hmac_from_pads_is_hmac_sha256() -> None:
    long_key = "k" * 100
    inner, outer = chain.hmac_pads(long_key)
    message = b"any message"

    by_hand = hashlib.sha256(outer + hashlib.sha256(inner + message).digest()).digest()

    assert by_hand == hmac.digest(long_key.encode(), message, "sha256")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({}, "{}"),
        (
            {"bb": 1, "a": [True, None, "x"], "ccc": {"z": 1, "y": 2}},
            '{"a": [true, null, "x"], "bb": 1, "ccc": {"y": 2, "z": 1}}',
        ),
        (
            {"s": 'quote " back \\ tab \t nl \n bell \u0007'},
            '{"s": "quote \\" back \\\\ tab \\t nl \\n bell \\u0007"}',
        ),
        (
            {"f": [0.1, 1.0, 1e-07, 1e16, -2.5, 0.0, -0.0]},
            '{"f": [0.1, 1.0, 0.0000001, 10000000000000000, -2.5, 0.0, 0.0]}',
        ),
    ],
)
def test_jsonb_text(value, text) -> None:  # type: ignore[no-untyped-def]
    assert chain.jsonb_text(value) == text


def chain_key() -> bytes:
    from django.conf import settings

    return settings.AUDIT_HMAC_KEY.encode()


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


# --- PostgreSQL builds the same canonical form -----------------------------------------------------

AWKWARD_DATA = [
    {},
    {"naam": "Zoë \u00e9\u4e2d\U0001f600", "ctrl": "\u0001\u001f\u007f", "quote": 'a"b\\c', "empty": ""},
    {"nested": {"b": [1, 2, {"c": None}], "aa": False}, "long key first?": 1, "k": True},
    {"floats": [0.1, 1.5e-10, 1e100, -0.0, 123456789.125, 2.0**60], "big": 2**70, "neg": -5},
]


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgresql, reason="needs PostgreSQL")
@pytest.mark.parametrize("data", AWKWARD_DATA)
@pytest.mark.parametrize(
    "address", [None, "10.1.2.3", "::1", "2001:db8::8:800:200c:417a", "::ffff:192.0.2.128"]
)
def test_postgresql_rebuilds_the_canonical_form_byte_for_byte(data, address) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", REMOTE_ADDR=address or "", HTTP_USER_AGENT="Mozilla/5.0 ☃; \x1f")
    actor = f.UserFactory(first_name="Zoë", last_name="O'Neill")
    entry = log.record(
        actor, log.Action.UPDATE, "test.updated", data=data, request=request, on_behalf_of="Bram"
    )

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT record_send(ROW(%s::text, seq::int8, occurred_at::timestamptz, actor_id::int8,
               actor_label::text, actor_functions::text, on_behalf_of::text, action::text, event::text,
               subject_kind::text, subject_id::int8, object_type::text, object_id::text, category::text,
               ip_address::inet, user_agent::text, basis::text, outcome::text, data::text, prev_hash::bytea)),
               data::text
               FROM audit_auditevent WHERE seq = %s""",
            [chain.FORMAT, entry.seq],
        )
        from_postgresql, data_text = cursor.fetchone()

    assert data_text == chain.jsonb_text(entry.data)
    assert bytes(from_postgresql) == chain.canonical(entry)
