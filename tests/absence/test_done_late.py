"""Issue 18: a milestone done late stays marked late ("gedaan op …, 7 weken te laat")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from arbo.absence.milestones import domain as milestone_domain
from arbo.absence.models import Milestone
from arbo.absence.reports import domain as report_domain
from arbo.lib.dates import show_date

pytestmark = pytest.mark.django_db


def test_a_milestone_done_seven_weeks_late_says_so_on_the_case(
    employee_of_a, hr_wim, casemanager_carla, mfa_client
) -> None:
    today = timezone.localdate()
    case = report_domain.report_sick(
        employee_of_a, by=hr_wim, via="portal", first_sick_day=today - dt.timedelta(weeks=20)
    ).case
    analysis = case.milestones.get(kind=Milestone.Kind.PROBLEEMANALYSE)
    done = analysis.effective_due_on + dt.timedelta(weeks=7, days=2)
    milestone_domain.complete_milestone(
        case, Milestone.Kind.PROBLEEMANALYSE, by=casemanager_carla, done_on=done
    )

    page = mfa_client(casemanager_carla).get(case.get_absolute_url()).content.decode()

    day = f"{done.day} "
    assert f"gedaan op {day}" in page
    assert "7 weken te laat" in page


def test_lateness_counts_days_then_weeks_and_nothing_when_on_time() -> None:
    due = dt.date(2026, 1, 5)
    milestone = Milestone(due_on=due)
    assert milestone.lateness == ""
    milestone.done_on = due
    assert milestone.lateness == ""
    milestone.done_on = due + dt.timedelta(days=1)
    assert milestone.lateness == "1 dag te laat"
    milestone.done_on = due + dt.timedelta(days=13)
    assert milestone.lateness == "13 dagen te laat"
    milestone.done_on = due + dt.timedelta(days=50)
    assert milestone.lateness == "7 weken te laat"
    milestone.deviated_due_on = due + dt.timedelta(days=50)
    assert milestone.lateness == ""


def test_the_caseload_keeps_a_milestone_done_late_for_two_weeks_marked_late(
    employer_a, employee_of_a, hr_wim, casemanager_carla, mfa_client
) -> None:
    other = employer_a.employments.exclude(employee=employee_of_a).first().employee
    today = timezone.localdate()
    late = report_domain.report_sick(
        employee_of_a, by=hr_wim, via="portal", first_sick_day=today - dt.timedelta(weeks=20)
    ).case
    milestone_domain.complete_milestone(
        late, Milestone.Kind.PLAN_VAN_AANPAK, by=casemanager_carla, done_on=today - dt.timedelta(days=1)
    )
    plan = late.milestones.get(kind=Milestone.Kind.PLAN_VAN_AANPAK)
    weeks = (plan.done_on - plan.effective_due_on).days // 7
    long_ago = report_domain.report_sick(
        other, by=hr_wim, via="portal", first_sick_day=today - dt.timedelta(weeks=22)
    ).case
    milestone_domain.complete_milestone(
        long_ago, Milestone.Kind.PLAN_VAN_AANPAK, by=casemanager_carla, done_on=today - dt.timedelta(days=15)
    )

    response = mfa_client(casemanager_carla).get(reverse("absence:caseload"))
    page = response.content.decode()
    rows = [row for row in page.split("<tr") if "Plan van aanpak" in row]

    assert len(rows) == 1, rows  # the one done fifteen days ago has left the caseload
    assert employee_of_a.full_name in rows[0]
    assert f"gedaan op {show_date(plan.done_on)}" in rows[0]
    assert f"{weeks} weken te laat" in rows[0]
    # done is done: not counted among the overdue, not on the "only overdue" page
    overdue_page = mfa_client(casemanager_carla).get(reverse("absence:caseload"), {"overdue": "1"})
    assert "gedaan op" not in overdue_page.content.decode()
