"""Rectification (WGBO 7:454): a professional judgement is not changed; the person's own statement
is added next to it, and the doctor sees it there on the medical file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arbo.access import care
from arbo.audit.models import AuditEvent
from arbo.medical.keys import seal
from arbo.medical.models import MedicalNote
from arbo.privacy.rights import domain, package
from arbo.privacy.rights.models import RightsRequest, SubjectStatement
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

JUDGEMENT = "Klachten passen bij overbelasting."
OWN_WORDS = "Ik was niet overbelast: de klachten kwamen door een val op het werk."


def test_the_own_statement_stands_next_to_the_judgement_on_the_doctors_page(
    employee_of_a, employee_eva, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    note = MedicalNote.objects.create(
        employee=employee_of_a,
        kind=MedicalNote.Kind.DIAGNOSIS,
        body_encrypted=seal(employee_of_a, JUDGEMENT),
        author=doctor_bram,
    )
    request = domain.file_request(
        by=employee_eva, employee=employee_of_a, kind="rectification", description=OWN_WORDS, medical=True
    )
    assert request.decider == RightsRequest.Decider.DOCTOR
    assert request.doctor == doctor_bram
    domain.decide(
        request,
        by=doctor_bram,
        outcome="partly",
        text="Het oordeel blijft; uw verklaring staat ernaast.",
        statement_about=f"medical.medicalnote:{note.pk}",
    )

    assert SubjectStatement.objects.get().about == f"medical.medicalnote:{note.pk}"
    page = login(doctor_bram).get(reverse("medical:file", args=[employee_of_a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert JUDGEMENT in html  # the judgement is not changed
    assert OWN_WORDS in html
    assert html.index(JUDGEMENT) < html.index(OWN_WORDS) < html.index(JUDGEMENT) + 1500  # next to it
    assert AuditEvent.objects.filter(event="privacy.statements_read", actor=doctor_bram).exists()
    # And in the person's package, with the record it stands next to.
    built = package.build(employee_of_a)
    statements = [r for r in built.records if r.kind == "privacy.subjectstatement"]
    assert [OWN_WORDS in str(r.fields) for r in statements] == [True]
