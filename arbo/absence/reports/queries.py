"""The reports the correction pages act on: one standing (not withdrawn) report of a case the
caller fetched through :func:`arbo.absence.queries.case_for`, else 404. Not audited: the correction
audits itself, and the case page that shows the reports reads through
:func:`arbo.absence.queries.read_case`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from arbo.absence.models import AbsenceCase, RecoveryReport, SickPeriod


def sick_period_of(case: AbsenceCase, period_id: int) -> SickPeriod:
    """A standing sick report of ``case``, else 404."""
    return get_object_or_404(case.periods.filter(withdrawn_at__isnull=True), pk=period_id)


def recovery_of(case: AbsenceCase, recovery_id: int) -> RecoveryReport:
    """A standing recovery report of ``case``, else 404."""
    return get_object_or_404(case.recoveries.filter(withdrawn_at__isnull=True), pk=recovery_id)
