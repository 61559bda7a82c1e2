"""The demo documents: on the demo cases the seed made, idempotent, consistent with the milestones."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from arbo.absence.models import CaseDocument, Milestone
from arbo.demo.seed_documents import seed_documents_demo

pytestmark = pytest.mark.django_db(transaction=False)

Kind = CaseDocument.Kind


def test_seed_adds_documents_where_the_history_has_them_and_runs_twice(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())  # calls seed_documents_demo after the cases

    created = CaseDocument.objects.count()
    again = seed_documents_demo(io.StringIO())

    assert created > 0
    assert again == 0
    assert CaseDocument.objects.count() == created
    analyses = CaseDocument.objects.filter(kind=Kind.PROBLEEMANALYSE)
    assert analyses.exists()
    for analysis in analyses:
        assert analysis.status == CaseDocument.Status.FINAL
        assert analysis.employee_seen_at is not None
        assert analysis.released_to_employer_at is not None
        assert analysis.case.milestones.get(kind=Milestone.Kind.PROBLEEMANALYSE).document == analysis
    # Cases whose probleemanalyse is still open keep it open: the doctor's caseload shows it.
    for milestone in Milestone.objects.filter(kind=Milestone.Kind.PROBLEEMANALYSE, done_on__isnull=True):
        assert not milestone.case.documents.exists()
    plans = CaseDocument.objects.filter(kind=Kind.PLAN_VAN_AANPAK)
    assert {p.status for p in plans} == {CaseDocument.Status.FINAL, CaseDocument.Status.DRAFT}
    for plan in plans.filter(status=CaseDocument.Status.FINAL):
        evaluation = plan.case.documents.get(kind=Kind.EVALUATION)
        assert evaluation.status == CaseDocument.Status.DRAFT
        assert evaluation.versions.count() == 1
