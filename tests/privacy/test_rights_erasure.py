"""Erasure weighed against retention: what may go is gone for good, what must stay stays readable."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from arbo.lib.subject import sources
from arbo.medical.models import DataKey, MedicalNote
from arbo.prevention.models import ExposureRecord
from arbo.privacy.rights import domain
from arbo.privacy.rights.models import RightsRequest
from tests.privacy.canaries import write_canaries
from tests.privacy.test_subject_records import _text

pytestmark = pytest.mark.django_db


def _every_cell() -> str:
    """Every value of every table, as stored (ciphertext stays ciphertext)."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')  # noqa: S608 — table names from the models
            parts += [str(row) for row in cursor.fetchall()]
    return "\n".join(parts)


def _erase(fg, employee):  # type: ignore[no-untyped-def]
    request = domain.file_request(
        by=fg,
        employee=employee,
        kind="erasure",
        channel="letter",
        description="Verwijder mijn medisch dossier.",
        id_copy=b"%PDF id",
        id_copy_type="application/pdf",
    )
    domain.record_identity_check(request, by=fg, document_kind="passport")
    return domain.decide(request, by=fg, outcome="partly", text="Wat wettelijk bewaard moet, blijft.")


def test_erasure_keeps_what_must_stay_readable_and_the_rest_is_gone(
    fg_piet, employee_of_a, employee_of_b, employee_eva, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    canaries = write_canaries(employee_of_a, doctor_bram)
    others = write_canaries(employee_of_b, doctor_bram)
    request = _erase(fg_piet, employee_of_a)

    assert not MedicalNote.objects.filter(employee=employee_of_a).exists()
    text = _text([r for p in sources().values() for r in p(employee_of_a, reader=None)])
    for kept in ("exposure", "remarks", "wvp", "stay"):  # exposure register and absence file stay readable
        assert canaries[kept] in text, kept
    for gone in ("note", "icd", "reason", "advice", "document", "fml", "pmo", "journal"):
        assert canaries[gone] not in text, gone
    # Nothing of the erased records remains in any table: their rows (and ciphertext) are deleted.
    remaining = MedicalNote.objects.filter(employee=employee_of_a).count()
    assert remaining == 0
    assert ExposureRecord.objects.filter(employee=employee_of_a).exists()
    # Someone else's file is untouched.
    other_text = _text([r for p in sources().values() for r in p(employee_of_b, reader=None)])
    assert all(c in other_text for c in others.values())
    report = {row["label"]: row for row in request.erasure_report}
    assert any(not row["erased"] and "40 jaar" in row["ground"] for row in report.values())
    assert request.status == RightsRequest.Status.DECIDED


def test_without_anything_to_keep_the_data_key_is_destroyed(fg_piet, employee_of_a, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    canaries = write_canaries(employee_of_a, doctor_bram)
    ExposureRecord.objects.filter(employee=employee_of_a).delete()
    sealed_before = [row for row in _every_cell().splitlines() if str(employee_of_a.pk) in row]
    assert sealed_before
    _erase(fg_piet, employee_of_a)
    key = DataKey.objects.get(employee=employee_of_a)
    assert key.wrapped_key == ""  # crypto-shredded: no copy of any sealed value decrypts any more
    cells = _every_cell()
    for where in ("note", "icd", "reason", "document", "fml", "pmo", "journal", "advice"):
        assert canaries[where] not in cells, where
