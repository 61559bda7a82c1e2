"""Issue 18: a milestone done late stays marked late ("gedaan op …, 7 weken te laat")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from arbo.absence import domain
from arbo.absence.models import Milestone

pytestmark = pytest.mark.django_db


def test_a_milestone_done_seven_weeks_late_says_so_on_the_case(
    employee_of_a, hr_wim, casemanager_carla, mfa_client
) -> None:
    today = timezone.localdate()
    case = domain.report_sick(
        employee_of_a, by=hr_wim, via="portal", first_sick_day=today - dt.timedelta(weeks=20)
    ).case
    analysis = case.milestones.get(kind=Milestone.Kind.PROBLEEMANALYSE)
    done = analysis.effective_due_on + dt.timedelta(weeks=7, days=2)
    domain.complete_milestone(case, Milestone.Kind.PROBLEEMANALYSE, by=casemanager_carla, done_on=done)

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
