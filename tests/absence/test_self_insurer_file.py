"""Marking a case as a self-insurer's file (retention ``erd_zw`` / ``erd_wga``): only the arbodienst,
only for an employer that carries that risk; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from arbo.absence.domain import mark_self_insurer_file
from arbo.absence.models import AbsenceCase
from arbo.audit.models import AuditEvent
from arbo.lib.errors import DomainError
from tests.retention import builders as b


def _case(company) -> AbsenceCase:  # type: ignore[no-untyped-def]
    employee = b.person(company, ends_on=dt.date(2024, 1, 31))
    return b.closed_case(employee, company, dt.date(2023, 12, 1))


@pytest.mark.django_db
def test_the_arbodienst_marks_a_self_insurers_file_and_it_is_audited(employer_a, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    type(employer_a).objects.filter(pk=employer_a.pk).update(erd_wga=True)
    employer_a.refresh_from_db()
    case = _case(employer_a)
    marked = mark_self_insurer_file(case, "wga", by=casemanager_carla)
    assert AbsenceCase.objects.get(pk=case.pk).self_insurer_file == "wga" == marked.self_insurer_file
    event = AuditEvent.objects.get(event="absence.self_insurer_file_marked")
    assert (event.subject_id, event.category, event.data) == (
        case.employee_id,
        "A",
        {"case": case.pk, "kind": "wga"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["zw", "onzin"])
def test_an_employer_that_is_no_self_insurer_for_it_changes_nothing(  # type: ignore[no-untyped-def]
    kind: str, employer_a, casemanager_carla, hr_wim
) -> None:
    type(employer_a).objects.filter(pk=employer_a.pk).update(erd_wga=True)
    employer_a.refresh_from_db()
    case = _case(employer_a)
    with pytest.raises(DomainError):
        mark_self_insurer_file(case, kind, by=casemanager_carla)
    with pytest.raises(DomainError):
        mark_self_insurer_file(case, "wga", by=hr_wim)  # the employer's HR: not theirs to say
    assert AbsenceCase.objects.get(pk=case.pk).self_insurer_file == ""
    assert not AuditEvent.objects.filter(event="absence.self_insurer_file_marked").exists()
