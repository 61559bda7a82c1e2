"""Demo absence cases at every stage, relative to today, so the demo caseloads show real work.

Idempotent: an employee who already has a case is left alone. Every case is made through the
domain functions (the same validation and audit as the app), then dated back where the demo needs
history (when it was reported).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from arbo.absence import domain
from arbo.absence.milestones import domain as milestone_domain
from arbo.absence.models import AbsenceCase, Milestone
from arbo.absence.reports import domain as report_domain
from arbo.access import care
from arbo.identity.models import User
from arbo.registry.models import Employee, Employer


def _employees(employer: Employer) -> list[Employee]:
    return list(
        Employee.objects.filter(employments__employer=employer).order_by("employments__personnel_number")
    )


def _report(employee: Employee, by: User, first: dt.date, **kwargs: Any) -> AbsenceCase:
    period = report_domain.report_sick(
        employee, by=by, via=kwargs.pop("via", "portal"), first_sick_day=first, **kwargs
    )
    # Reported on time (the demo's history): the employer reported on the first sick day.
    reported = period.case.milestones.filter(kind=Milestone.Kind.REPORT_TO_ARBODIENST, done_on__isnull=False)
    reported.update(done_on=min(first + dt.timedelta(days=1), timezone.localdate()))
    type(period).objects.filter(pk=period.pk).update(
        reported_at=timezone.make_aware(dt.datetime.combine(first, dt.time(9)))
    )
    return period.case


def seed_absence_demo(users: dict[str, User], employers: dict[str, Employer], stdout: Any = None) -> int:
    """Create the demo cases; returns how many were created."""
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    wim, hanna, carla, bram = users["wim.hr"], users["hanna.hr"], users["carla.cm"], users["bram.arts"]
    bakery, building = _employees(employers["bakkerij"]), _employees(employers["bouw"])
    created = 0

    def fresh(employee: Employee) -> bool:
        return not employee.absence_cases.exists()

    # Eva (the portal employee): sick for three weeks, casemanager Carla.
    if fresh(bakery[0]):
        case = _report(bakery[0], wim, today - 20 * day, expected_duration="weeks", phone="0612345678")
        domain.assign_casemanager(case, carla, by=carla)
        created += 1
    # New: reported this week.
    if fresh(bakery[1]):
        _report(
            bakery[1],
            wim,
            today - 2 * day,
            expected_duration="week",
            remarks="Overdracht: bestellingen maandag",
        )
        created += 1
    # Week 7 without a plan van aanpak: probleemanalyse done, plan due within the fortnight.
    if fresh(bakery[2]):
        case = _report(bakery[2], wim, today - 45 * day, expected_duration="long")
        domain.assign_casemanager(case, carla, by=carla)
        milestone_domain.complete_milestone(
            case, Milestone.Kind.PROBLEEMANALYSE, by=bram, done_on=today - 5 * day
        )
        created += 1
    # Past week 42: partly back at work, plan and evaluations done, UWV notified.
    if fresh(bakery[3]):
        first = today - 300 * day
        case = _report(bakery[3], wim, first, expected_duration="long")
        domain.assign_casemanager(case, carla, by=carla)
        milestone_domain.complete_milestone(
            case, Milestone.Kind.PROBLEEMANALYSE, by=bram, done_on=first + 38 * day
        )
        done = first + 52 * day
        milestone_domain.complete_milestone(case, Milestone.Kind.PLAN_VAN_AANPAK, by=carla, done_on=done)
        while done + 40 * day <= today:
            done += 40 * day
            milestone_domain.complete_milestone(case, Milestone.Kind.EVALUATION, by=carla, done_on=done)
        report_domain.report_recovery(
            case,
            by=wim,
            via="portal",
            kind="partial",
            recovered_on=first + 200 * day,
            percentage=50,
            hours_per_week=Decimal("18"),
        )
        milestone_domain.complete_milestone(
            case, Milestone.Kind.UWV_42ND_WEEK_NOTICE, by=wim, done_on=first + 292 * day
        )
        created += 1
    # Recovered after eight weeks.
    if fresh(bakery[4]):
        first = today - 80 * day
        case = _report(bakery[4], wim, first, expected_duration="weeks")
        milestone_domain.complete_milestone(
            case, Milestone.Kind.PROBLEEMANALYSE, by=bram, done_on=first + 35 * day
        )
        report_domain.report_recovery(case, by=wim, via="portal", kind="full", recovered_on=first + 57 * day)
        created += 1
    # Added-up periods: sick, fit for two weeks, sick again (one case, the gap not counted).
    if fresh(bakery[5]):
        first = today - 120 * day
        case = _report(bakery[5], wim, first, expected_duration="weeks")
        report_domain.report_recovery(case, by=wim, via="portal", kind="full", recovered_on=first + 40 * day)
        _report(bakery[5], wim, first + 55 * day, expected_duration="long")
        domain.assign_casemanager(case, carla, by=carla)
        created += 1
    # Overdue probleemanalyse at the builder (Bram's work), therapeutic work recorded.
    if fresh(building[0]):
        if care.treating_doctor_of(building[0]) is None:
            care.assign_treating_doctor(building[0], bram, by=bram)
        first = today - 50 * day
        case = _report(building[0], hanna, first, expected_duration="long", workplace_accident=True)
        report_domain.record_therapeutic_work(
            case, by=carla, starts_on=today - 7 * day, hours_per_week=Decimal("6")
        )
        created += 1
    if fresh(building[1]):
        _report(building[1], hanna, today - 6 * day, expected_duration="weeks")
        created += 1
    if stdout is not None and created:
        stdout.write(f"Demo absence cases: {created} created.")
    return created
