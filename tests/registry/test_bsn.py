"""BSN: the 11-test, encryption at rest, the blind index and masking."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from arbo.lib import crypto
from arbo.registry.models import Employee, bsn_blind_index
from arbo.registry.validators import mask_bsn, normalise_bsn
from tests.factories import EmployeeFactory


@pytest.mark.parametrize("value", ["111222333", "123456782", " 1112 22333 "])
def test_normalise_bsn_accepts_valid_numbers(value: str) -> None:
    assert normalise_bsn(value) == value.replace(" ", "")


@pytest.mark.parametrize("value", ["111222334", "12345678", "abcdefghi", "1234567890", ""])
def test_normalise_bsn_rejects_invalid_numbers_in_dutch(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        normalise_bsn(value)

    assert "elfproef" in excinfo.value.messages[0]


def test_mask_bsn_shows_only_last_three_digits() -> None:
    assert mask_bsn("111222333") == "••••••333"
    assert mask_bsn("") == ""


@pytest.mark.django_db
def test_bsn_is_stored_encrypted_and_indexed() -> None:
    employee = EmployeeFactory(bsn="111222333")

    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn, bsn_index FROM registry_employee WHERE id = %s", [employee.pk])
        raw_bsn, raw_index = cursor.fetchone()
    assert "111222333" not in raw_bsn
    assert raw_bsn.startswith(f"v1:{crypto.primary_key_id()}:")
    assert raw_index == bsn_blind_index("111222333")
    assert "111222333" not in raw_index
    assert Employee.objects.get(pk=employee.pk).bsn == "111222333"
    assert Employee.objects.get(bsn_index=bsn_blind_index("111222333")) == employee


@pytest.mark.django_db
def test_no_table_holds_a_plain_bsn() -> None:
    employees = EmployeeFactory.create_batch(3)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_employee")
        dump = repr(cursor.fetchall())
    for employee in employees:
        assert employee.bsn not in dump


@pytest.mark.django_db
def test_ciphertext_is_bound_to_its_column() -> None:
    employee = EmployeeFactory(bsn="111222333")
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM registry_employee WHERE id = %s", [employee.pk])
        (token,) = cursor.fetchone()

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="registry.employee.email")
    assert crypto.decrypt(token, context="registry.employee.bsn") == "111222333"


def test_key_rotation_decrypts_old_values(settings) -> None:  # type: ignore[no-untyped-def]
    import base64

    old = "old1:" + base64.b64encode(b"o" * 32).decode()
    new = "new2:" + base64.b64encode(b"n" * 32).decode()
    settings.FIELD_ENCRYPTION_KEYS = old
    token = crypto.encrypt("111222333", context="x")

    settings.FIELD_ENCRYPTION_KEYS = f"{new},{old}"

    assert crypto.key_id_of(token) == "old1"
    assert crypto.decrypt(token, context="x") == "111222333"
    assert crypto.key_id_of(crypto.encrypt("111222333", context="x")) == "new2"
    settings.FIELD_ENCRYPTION_KEYS = new
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="x")
