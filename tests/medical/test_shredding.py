"""Crypto-shredding covers every encrypted field and file of the medical app; rotation keeps them."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.medical import keys
from arbo.medical.advice import domain as da
from arbo.medical.advice.queries import released_for_employer
from arbo.medical.domain import add_medical_note
from arbo.medical.models import DataKey, IncomingDocument
from arbo.medical.queries import medical_file_for
from arbo.medical.records import domain as dr
from arbo.medical.records.models import Limitation
from arbo.registry.models import Employee, Practitioner
from tests.medical.conftest import dangerously_create_consultation, login

pytestmark = pytest.mark.django_db

SECRET = "CANARY-shred"


def _encrypted_fields() -> list[tuple[type, str]]:
    """Every (model, field) of the medical app that holds ciphertext under the person's key."""
    return [
        (model, f.name)
        for model in apps.get_app_config("medical").get_models()
        for f in model._meta.concrete_fields
        if f.name.endswith("_encrypted")
    ]


def _fill(employee: Employee, doctor, secretary, employee_user=None) -> None:  # type: ignore[no-untyped-def]
    """One record of every kind, every encrypted field non-empty."""
    consultation = dangerously_create_consultation(employee, doctor, reason=f"{SECRET} reason")
    add_medical_note(
        employee,
        kind="diagnose",
        body=f"{SECRET} note",
        cas_code="P70",
        icd10_code="F43.2",
        consultation=consultation,
        by=doctor,
    )
    texts = {
        n: f"{SECRET} {n}"
        for n in ("can_do", "cannot_do", "expected_duration", "adjustments", "reintegration")
    }
    advice = da.save_advice(
        consultation, by=doctor, employee_review_requested=employee_user is not None, **texts
    )
    advice = da.release_advice(advice, by=doctor)
    if employee_user is not None:
        da.mark_advice_seen(advice, by=employee_user, response=f"{SECRET} response")
    dr.file_incoming_document(
        employee,
        upload=SimpleUploadedFile("brief.pdf", f"%PDF-1.4 {SECRET}".encode()),
        received_on=timezone.localdate(),
        sender=f"{SECRET} sender",
        description=f"{SECRET} description",
        by=secretary,
    )
    practitioner = Practitioner.objects.create(name=f"Praktijk {employee.pk}")
    dr.record_information_consent(
        employee,
        practitioner=practitioner,
        question=f"{SECRET} q",
        given_by="W",
        given_on=timezone.localdate(),
        by=doctor,
    )
    request = dr.create_information_request(
        employee, practitioner=practitioner, question=f"{SECRET} ask", by=doctor
    )
    dr.record_information_answer(request, answer=f"{SECRET} answer", by=doctor)
    dr.record_functional_abilities(
        employee,
        assessed_on=timezone.localdate(),
        rubrics={"statisch": (Limitation.LIMITED, f"{SECRET} fml")},
        remarks="r",
        by=doctor,
    )


def _readable(employee: Employee) -> dict[str, list[bool]]:
    opener = keys.Opener(employee)
    result: dict[str, list[bool]] = {}
    for model, name in _encrypted_fields():
        for value in model.objects.filter(employee=employee).values_list(name, flat=True):
            if isinstance(value, str):
                if value:
                    result.setdefault(f"{model._meta.model_name}.{name}", []).append(
                        opener.text(value) is not None
                    )
            else:
                result.setdefault(f"{model._meta.model_name}.{name}", []).append(
                    opener.file(value) is not None
                )
    return result


def test_every_encrypted_field_belongs_to_a_person() -> None:
    # Shredding works per person: every sealed column sits on a row with an ``employee``.
    models = {model for model, _name in _encrypted_fields()}

    assert {m._meta.model_name for m in models} == {
        "consultation",
        "medicalnote",
        "consultationadvice",
        "incomingdocument",
        "informationconsent",
        "informationrequest",
        "functionalabilities",
    }
    assert all("employee" in {f.name for f in m._meta.concrete_fields} for m in models)


def test_destroying_a_data_key_shreds_every_record_of_that_person_only(
    doctor_bram, treated, treated_b, secretary_sara, employee_eva, employer_b, hr_wim
) -> None:
    from tests import factories as f

    f.join_team(secretary_sara, employer_b)
    _fill(treated, doctor_bram, secretary_sara, employee_user=employee_eva)
    _fill(treated_b, doctor_bram, secretary_sara)
    before = _readable(treated)
    assert len(before) == len(_encrypted_fields())  # every field was filled
    assert all(all(v) for v in before.values())

    keys.destroy_data_key(treated)

    assert all(not any(v) for v in _readable(treated).values())
    assert all(all(v) for v in _readable(treated_b).values())
    file = medical_file_for(doctor_bram, treated)
    assert file.shredded is True
    assert [n.body for n in file.notes] == [""]
    assert file.consultations[0].reason is None
    assert released_for_employer(hr_wim, treated).advice[0].readable is False
    document = IncomingDocument.objects.get(employee=treated)
    assert login(doctor_bram).get(reverse("medical:letter_download", args=[document.pk])).status_code == 404
    other = IncomingDocument.objects.get(employee=treated_b)
    assert login(doctor_bram).get(reverse("medical:letter_download", args=[other.pk])).status_code == 200
    page = login(doctor_bram).get(reverse("medical:file", args=[treated.pk])).content.decode()
    assert SECRET not in page
    assert "vernietigd" in page


def test_a_shredded_file_takes_no_new_medical_data(doctor_bram, treated) -> None:
    from arbo.lib.errors import DomainError

    add_medical_note(treated, kind="notitie", body="eerste", by=doctor_bram)
    keys.destroy_data_key(treated)

    with pytest.raises(DomainError, match="vernietigd"):
        add_medical_note(treated, kind="notitie", body="tweede", by=doctor_bram)


def test_rotate_medical_keys_rewraps_and_everything_still_decrypts(
    settings, doctor_bram, treated, secretary_sara
) -> None:
    old = "m1:" + base64.b64encode(b"1" * 32).decode()
    new = "m2:" + base64.b64encode(b"2" * 32).decode()
    settings.MEDICAL_MASTER_KEYS = old
    _fill(treated, doctor_bram, secretary_sara)
    settings.MEDICAL_MASTER_KEYS = f"{new},{old}"
    out = StringIO()

    call_command("rotate_medical_keys", stdout=out)
    settings.MEDICAL_MASTER_KEYS = new

    assert DataKey.objects.get(employee=treated).master_key_id == "m2"
    assert out.getvalue().startswith("1 data keys re-wrapped under master key m2; 0 under older keys")
    assert all(all(v) for v in _readable(treated).values())
    event = AuditEvent.objects.get(event="medical.master_key_rotated")
    assert event.data == {"rewrapped": 1, "master_key_id": "m2"}
    assert event.actor is None


def test_shredded_keys_stay_shredded_through_rotation(settings, treated) -> None:
    old = "m1:" + base64.b64encode(b"1" * 32).decode()
    settings.MEDICAL_MASTER_KEYS = old
    keys.encrypt_for(treated, "x")
    keys.destroy_data_key(treated)
    settings.MEDICAL_MASTER_KEYS = "m2:" + base64.b64encode(b"2" * 32).decode() + "," + old

    call_command("rotate_medical_keys", stdout=StringIO())

    key = DataKey.objects.get(employee=treated)
    assert (key.wrapped_key, key.master_key_id) == ("", "m1")
    assert key.destroyed_at is not None
