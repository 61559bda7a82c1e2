"""Erasure weighed against retention: what may go is gone for good, what must stay stays readable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from arbo.lib.subject import sources
from arbo.medical.keys import Opener
from arbo.medical.models import DataKey, MedicalNote
from arbo.prevention.models import ExposureRecord
from arbo.privacy.rights import domain
from arbo.privacy.rights.models import RightsRequest
from arbo.registry.models import Employee
from arbo.retention import register
from arbo.retention.models import PurgeLog
from tests.privacy.canaries import write_canaries
from tests.privacy.test_subject_records import _text

pytestmark = pytest.mark.django_db


def _raw_cells() -> list[Any]:
    """Every value of every table, as stored (ciphertext stays ciphertext)."""
    cells: list[Any] = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')  # noqa: S608 — table names from the models
            for row in cursor.fetchall():
                cells += [bytes(v) if isinstance(v, memoryview) else v for v in row]
    return cells


def _readable(cells: list[Any], employee: Employee) -> str:
    """What anyone holding the keys could read from ``cells``: each value as stored, each value
    decrypted with the person's data key (texts and sealed files) if that still opens it."""
    opener = Opener(Employee.objects.get(pk=employee.pk))

    def opened(cell: Any) -> str:
        try:
            if isinstance(cell, str) and cell:
                return opener.text(cell) or ""
            if isinstance(cell, bytes) and len(cell) > 12:
                return (opener.file(cell) or b"").decode(errors="replace")
        except ValueError:  # not a ciphertext at all (binascii.Error is a ValueError)
            pass
        return ""

    return "\n".join(f"{cell}\n{opened(cell)}" for cell in cells)


def _every_cell(employee: Employee) -> str:
    """Every value of every table, as stored and as decrypted: raw cells opened with the person's
    data key, and every model read through the ORM (which opens the application-key fields)."""
    orm = [
        str(row)
        for model in apps.get_models()
        for row in model._base_manager.values_list()  # EncryptedTextField decrypts here
    ]
    return _readable(_raw_cells(), employee) + "\n".join(orm)


def _uploads() -> str:
    """Every file in the media storage (none is written today: uploads are sealed in their rows)."""
    root = Path(settings.MEDIA_ROOT)
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return "\n".join(p.read_bytes().decode(errors="replace") for p in files)


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
    # No plaintext and no decryptable ciphertext of the erased records in any table or upload:
    # the key stays (the exposure register is sealed with it), so every cell is tried with it.
    cells = _every_cell(employee_of_a) + _uploads()
    for gone in ("note", "icd", "reason", "advice", "document", "fml", "pmo", "journal"):
        assert canaries[gone] not in cells, gone
    assert canaries["exposure"] in cells  # the probe opens what the key still opens
    # Through the retention destroyers: registered (a restore destroys them again) and in the
    # purge log under the person's pseudonym only.
    lines = [line for line in register.entries() if line.get("kind") == "erasure"]
    assert {"medical.medicalnote", "medical.consultation", "journal.journalentry"} <= {
        line["model"] for line in lines
    }
    assert all(line["op"] == "rows" for line in lines)  # the key is kept
    subject = register.pseudonym("employee", employee_of_a.pk)
    purge = PurgeLog.objects.get(kind="erasure")
    assert set(purge.subjects) == {subject}
    assert purge.records >= 7
    assert purge.keys_destroyed == 0
    # Someone else's file is untouched.
    other_text = _text([r for p in sources().values() for r in p(employee_of_b, reader=None)])
    assert all(c in other_text for c in others.values())
    report = {row["label"]: row for row in request.erasure_report}
    assert any(not row["erased"] and "40 jaar" in row["ground"] for row in report.values())
    assert request.status == RightsRequest.Status.DECIDED


def test_without_anything_to_keep_the_data_key_is_destroyed(fg_piet, employee_of_a, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    canaries = write_canaries(employee_of_a, doctor_bram)
    ExposureRecord.objects.filter(employee=employee_of_a).delete()
    backup = _raw_cells()  # a copy of every table taken before the erasure (a backup)
    assert canaries["note"] in _readable(backup, employee_of_a)  # the probe does open sealed values
    _erase(fg_piet, employee_of_a)
    key = DataKey.objects.get(employee=employee_of_a)
    assert key.wrapped_key == ""  # crypto-shredded: no copy of any sealed value decrypts any more
    cells = _every_cell(employee_of_a) + _uploads()
    old_copy = _readable(backup, employee_of_a)  # the backup's ciphertext, tried with what is left
    for where in ("note", "icd", "reason", "document", "fml", "pmo", "journal", "advice"):
        assert canaries[where] not in cells, where
        if where != "journal":  # the journal is not sealed: a restore deletes it again (register)
            assert canaries[where] not in old_copy, where
    key_lines = [line for line in register.entries() if line["op"] == "key"]
    assert key_lines == [
        {**key_lines[0], "holder": "employee", "subject": register.pseudonym("employee", employee_of_a.pk)}
    ]
    assert PurgeLog.objects.get(kind="erasure").keys_destroyed == 1


@pytest.mark.parametrize(
    ("kind", "kept", "gone"),
    [
        # A hold for every kind of record keeps the medical file and the journal alike.
        ("", ("note", "icd", "reason", "advice", "document", "fml", "pmo", "journal"), ()),
        # A hold for the medical file keeps that; the journal (no hold of its kind) goes.
        ("medical_file", ("note", "icd", "reason", "advice", "document", "fml", "pmo"), ("journal",)),
    ],
)
def test_erasure_keeps_what_another_legal_hold_holds_and_says_why(
    fg_piet, employee_of_a, doctor_bram, kind, kept, gone
) -> None:  # type: ignore[no-untyped-def]
    """A labour dispute (or a UWV objection ...) of the retention app stands in the way of erasure:
    the records stay readable, the data key stays, and the letter names the hold and its reason."""
    import datetime as dt

    from django.utils import timezone

    from arbo.privacy.rights import letters
    from arbo.retention.domain import record_hold
    from arbo.retention.models import LegalHold

    canaries = write_canaries(employee_of_a, doctor_bram)
    ExposureRecord.objects.filter(employee=employee_of_a).delete()  # else the key stays anyway
    record_hold(
        employee=employee_of_a,
        kind=kind,
        reason=LegalHold.Reason.LABOUR_DISPUTE,
        review_on=timezone.localdate() + dt.timedelta(days=60),
        by=fg_piet,
    )
    request = _erase(fg_piet, employee_of_a)
    text = _text([r for p in sources().values() for r in p(employee_of_a, reader=None)])
    for where in kept:
        assert canaries[where] in text, where
    for where in gone:
        assert canaries[where] not in text, where
    assert DataKey.objects.get(employee=employee_of_a).wrapped_key != ""
    medical = next(row for row in request.erasure_report if row["label"].startswith("Medisch dossier"))
    assert (medical["erased"], medical["hold"]) == (False, "labour_dispute")
    _, body = letters.render(request, "decision")
    assert "juridische procedure" in body
    assert "arbeidsconflict" in body
    # The other hold stands; the erasure request's own hold is lifted.
    standing = LegalHold.objects.filter(employee=employee_of_a, lifted_at__isnull=True)
    assert list(standing.values_list("reason", flat=True)) == ["labour_dispute"]
    # In English for an English-speaking person.
    RightsRequest.objects.filter(pk=request.pk).update(language="en")
    request.refresh_from_db()
    _, body = letters.render(request, "decision")
    assert "labour dispute" in body
    assert "legal proceedings" in body
