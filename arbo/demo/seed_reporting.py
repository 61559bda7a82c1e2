"""Two and a half years of closed absence history for the demo employers, so that the employer's
dashboard and the management view have figures and trends to show (issue 17).

Idempotent: an employer that already has history (a case older than 400 days) is left alone.
The history is written directly (as an import of an earlier system's records would be), with the
national shape of :mod:`arbo.reporting.synthetic`; it ends well before each employee's current demo
case, and every period is closed by a full recovery, so no milestone or caseload changes.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from arbo.absence.models import AbsenceCase, Channel, RecoveryReport, SickPeriod
from arbo.identity.models import User
from arbo.registry.models import Employer, Employment
from arbo.reporting.synthetic import spells

HISTORY_DAYS = 900
#: A small department at the bakery, so that the dashboard shows suppression at work.
SMALL_DEPARTMENT = ("Directie", 4)


def _small_department(employer: Employer) -> None:
    """Move the last few bakery employees (no current case) into a department of four."""
    from arbo.registry.models import Department

    name, size = SMALL_DEPARTMENT
    department, _created = Department.objects.get_or_create(employer=employer, name=name)
    if department.employments.exists():
        return
    movable = (
        Employment.objects.filter(employer=employer)
        .exclude(employee__absence_cases__isnull=False)
        .order_by("-personnel_number")[:size]
    )
    Employment.objects.filter(pk__in=[e.pk for e in movable]).update(department=department)


def seed_reporting_demo(
    reporters: dict[int, User], stdout: Any = None, *, small: Employer | None = None
) -> int:
    """``reporters``: employer id → the HR user named as reporter; ``small``: the employer that
    gets a small department. Returns the periods created."""
    if small is not None:
        _small_department(small)
    today = timezone.localdate()
    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    created = 0
    for employer in Employer.objects.filter(pk__in=reporters):
        if AbsenceCase.objects.filter(
            employer=employer, first_sick_day__lt=today - dt.timedelta(days=400)
        ).exists():
            continue
        rng = random.Random(f"history-{employer.kvk_number}")  # noqa: S311 -- demo data
        current = dict(
            AbsenceCase.objects.filter(employer=employer)
            .order_by("first_sick_day")
            .values_list("employee_id", "first_sick_day")
        )
        by = reporters[employer.pk]
        for employment in Employment.objects.filter(employer=employer).order_by("personnel_number"):
            start = max(window_start, employment.starts_on)
            end = (
                (current[employment.employee_id] - dt.timedelta(days=60))
                if employment.employee_id in current
                else today - dt.timedelta(days=7)
            )
            for spell in spells(rng, start, end, end):
                if spell.last is None:
                    continue
                case = AbsenceCase.objects.create(
                    employee_id=employment.employee_id,
                    employer=employer,
                    first_sick_day=spell.first,
                    status=AbsenceCase.Status.RECOVERED,
                    closed_at=timezone.make_aware(dt.datetime.combine(spell.last, dt.time(17))),
                )
                SickPeriod.objects.create(
                    case=case,
                    first_sick_day=spell.first,
                    last_sick_day=spell.last,
                    reported_by=by,
                    reported_via=Channel.PORTAL,
                    reported_at=timezone.make_aware(dt.datetime.combine(spell.first, dt.time(9))),
                )
                recoveries = []
                if spell.partial:
                    recoveries.append(
                        RecoveryReport(
                            case=case,
                            kind=RecoveryReport.Kind.PARTIAL,
                            recovered_on=spell.partial[0],
                            percentage=spell.partial[1],
                            reported_by=by,
                            reported_via=Channel.PORTAL,
                        )
                    )
                recoveries.append(
                    RecoveryReport(
                        case=case,
                        kind=RecoveryReport.Kind.FULL,
                        recovered_on=spell.last + dt.timedelta(days=1),
                        percentage=100,
                        reported_by=by,
                        reported_via=Channel.PORTAL,
                    )
                )
                RecoveryReport.objects.bulk_create(recoveries)
                created += 1
    if stdout is not None and created:
        stdout.write(f"Demo absence history: {created} closed sick periods.")
    return created
