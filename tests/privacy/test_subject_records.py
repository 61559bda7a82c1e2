"""Subject records (arbo.lib.subject): every app returns everything it holds about one person."""

from __future__ import annotations

import pytest

from arbo.audit.models import AuditEvent
from arbo.lib.subject import SubjectRecord, sources
from tests.privacy.canaries import write_canaries

pytestmark = pytest.mark.django_db


def _text(records: list[SubjectRecord]) -> str:
    parts = []
    for record in records:
        parts += [record.title, *record.fields.values()]
        parts += [(f.content or b"").decode(errors="replace") for f in record.files]
    return "\n".join(parts)


def _all(employee, reader) -> list[SubjectRecord]:  # type: ignore[no-untyped-def]
    return [r for provider in sources().values() for r in provider(employee, reader=reader)]


def test_every_app_with_personal_data_provides_records() -> None:
    assert {"access", "journal", "medical", "absence", "prevention", "portal", "privacy"} <= set(sources())


def test_the_person_gets_every_canary_of_theirs_and_none_of_anyone_else(
    employee_of_a, employee_of_b, employee_eva, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    mine = write_canaries(employee_of_a, doctor_bram)
    theirs = write_canaries(employee_of_b, doctor_bram)
    text = _text(_all(employee_of_a, None))
    missing = [where for where, canary in mine.items() if canary not in text]
    assert missing == []
    assert [where for where, canary in theirs.items() if canary in text] == []
    assert employee_of_a.surname in text


def test_a_reader_without_category_c_gets_no_medical_content(
    employee_of_a, casemanager_carla, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    canaries = write_canaries(employee_of_a, doctor_bram)
    text = _text(_all(employee_of_a, casemanager_carla))
    assert canaries["journal"] in text  # B: the casemanager reads re-integration notes
    for where in ("note", "icd", "reason", "document", "pmo", "exposure", "fml"):
        assert canaries[where] not in text, where


def test_the_read_is_audited_per_app_without_content(employee_of_a, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    canaries = write_canaries(employee_of_a, doctor_bram)
    _all(employee_of_a, None)
    events = AuditEvent.objects.filter(event__endswith=".subject_records_read", subject_id=employee_of_a.pk)
    assert {"journal.subject_records_read", "medical.subject_records_read"} <= set(
        events.values_list("event", flat=True)
    )
    assert all(str(e.data).find(canaries["note"]) == -1 for e in events)
