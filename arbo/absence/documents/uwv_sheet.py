"""The data sheet for the ziekmelding to UWV in the 42nd week (shared/research/domain.md §2.2).

The employer reports a long absence to UWV "uiterlijk de eerste werkdag na de 42e ziekteweek"
(counted sick days: the case's ``uwv_42nd_week_notice`` milestone). The sheet lists what the
employer needs for it from what the arbodienst holds: category A and D data the employer may know,
including the BSN, which is shown unmasked on this sheet only (audited as such). The registry has
no loonheffingennummer, so the sheet leaves it out. Whether a safety net applies is said as yes or
no only, never which one (AP beleidsregels).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404

from arbo.absence.models import AbsenceCase, Milestone, RecoveryReport
from arbo.access.auditing import record_access
from arbo.access.matrix import Category
from arbo.access.policy import may_see_uwv_sheet
from arbo.audit import log
from arbo.identity.models import User


@dataclass(frozen=True)
class UwvSheet:
    case: AbsenceCase
    employer_name: str
    kvk_number: str
    employee_name: str
    bsn: str
    birth_date: dt.date
    first_sick_day: dt.date
    notice_due_on: dt.date | None
    notice_done_on: dt.date | None
    safety_net: bool
    partial_recovery_percentage: int | None
    partial_recovery_hours: Decimal | None


def uwv_sheet_for(user: User, case: AbsenceCase, *, export: bool = False) -> UwvSheet:
    """The sheet's data, audited as a category A read (or export) that shows the full BSN."""
    if not may_see_uwv_sheet(user, case.employee):
        raise Http404
    employee = case.employee
    milestone = case.milestones.filter(kind=Milestone.Kind.UWV_42ND_WEEK_NOTICE).order_by("sequence").first()
    recovery = case.recoveries.filter(withdrawn_at__isnull=True).order_by("recovered_on", "id").last()
    partial = recovery if recovery and recovery.kind == RecoveryReport.Kind.PARTIAL else None
    record_access(
        user,
        log.Action.EXPORT if export else log.Action.READ,
        "absence.uwv_sheet_exported" if export else "absence.uwv_sheet_viewed",
        employee,
        obj=case,
        category=Category.A,
        data={"bsn_shown": True},
    )
    return UwvSheet(
        case=case,
        employer_name=case.employer.name,
        kvk_number=case.employer.kvk_number,
        employee_name=employee.full_name,
        bsn=employee.bsn,
        birth_date=employee.birth_date,
        first_sick_day=case.first_sick_day,
        notice_due_on=milestone.effective_due_on if milestone else None,
        notice_done_on=milestone.done_on if milestone else None,
        safety_net=case.periods.filter(withdrawn_at__isnull=True, safety_net=True).exists(),
        partial_recovery_percentage=partial.percentage if partial else None,
        partial_recovery_hours=partial.hours_per_week if partial else None,
    )
