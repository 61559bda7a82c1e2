"""Category C at rest: per-person data keys, no plaintext in the tables, crypto-shredding."""

from __future__ import annotations

import base64

import pytest
from django.db import connection

from arbo.access import care
from arbo.medical import keys
from arbo.medical.domain import add_medical_note
from arbo.medical.models import DataKey
from arbo.medical.queries import notes_for

pytestmark = pytest.mark.django_db

SECRET = "CANARY-C-diagnose-burn-out-F43.2"


def _dump(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names in a test
        return repr(cursor.fetchall())


def test_medical_notes_are_not_stored_in_plaintext(doctor_bram, employee_of_a) -> None:
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)

    add_medical_note(employee_of_a, kind="diagnose", body=SECRET, by=doctor_bram)

    for table in ("medical_medicalnote", "medical_datakey", "audit_auditevent"):
        assert SECRET not in _dump(table)
    assert [n.body for n in notes_for(doctor_bram, employee_of_a)] == [SECRET]


def test_destroying_a_data_key_shreds_only_that_person(doctor_bram, employee_of_a, employee_of_b) -> None:
    for employee in (employee_of_a, employee_of_b):
        care.assign_treating_doctor(employee, doctor_bram, by=doctor_bram)
        add_medical_note(employee, kind="notitie", body=f"{SECRET} {employee.pk}", by=doctor_bram)

    keys.destroy_data_key(employee_of_a)

    assert [n.body for n in notes_for(doctor_bram, employee_of_a)] == [""]
    assert [n.body for n in notes_for(doctor_bram, employee_of_b)] == [f"{SECRET} {employee_of_b.pk}"]
    with pytest.raises(keys.MedicalDataUnavailable):
        keys.decrypt_for(employee_of_a, employee_of_a.medical_notes.get().body_encrypted)


def test_ciphertext_moved_to_another_person_does_not_decrypt(
    doctor_bram, employee_of_a, employee_of_b
) -> None:
    token = keys.encrypt_for(employee_of_a, SECRET)
    keys.encrypt_for(employee_of_b, "other")

    with pytest.raises(keys.MedicalDataUnavailable):
        keys.decrypt_for(employee_of_b, token)


def test_master_key_rotation_rewraps_data_keys(settings, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    old = "m1:" + base64.b64encode(b"1" * 32).decode()
    new = "m2:" + base64.b64encode(b"2" * 32).decode()
    settings.MEDICAL_MASTER_KEYS = old
    token = keys.encrypt_for(employee_of_a, SECRET)
    settings.MEDICAL_MASTER_KEYS = f"{new},{old}"

    assert keys.rewrap_all() == 1

    assert DataKey.objects.get(employee=employee_of_a).master_key_id == "m2"
    settings.MEDICAL_MASTER_KEYS = new
    assert keys.decrypt_for(employee_of_a, token) == SECRET
