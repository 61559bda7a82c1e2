"""The privacy office's jobs run from the scheduler: enqueued once per period, run by a worker."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from arbo.operations import domain
from arbo.operations.models import JobRun
from arbo.operations.schedule import HOUR, job_named
from arbo.privacy.breaches.domain import report_breach
from arbo.privacy.breaches.models import BreachSignal
from arbo.privacy.complaints.domain import file_complaint
from arbo.privacy.complaints.models import ComplaintSignal
from tests.worker import run_tasks

AMS = ZoneInfo("Europe/Amsterdam")
MORNING = dt.datetime(2026, 3, 10, 7, 30, tzinfo=AMS)


@pytest.mark.django_db
def test_breach_signals_run_hourly_from_the_scheduler(casemanager_carla):
    with time_machine.travel(MORNING - dt.timedelta(hours=25), tick=False):
        report_breach(
            by=casemanager_carla,
            summary="USB-stick kwijt",
            description="Onderweg verloren.",
            data_description="Verzuimlijst",
            data_categories=["A"],
            people_estimate=20,
            aware_at=MORNING - dt.timedelta(hours=25),
        )
    job = job_named("raise_breach_signals")
    assert job.every == HOUR
    with time_machine.travel(MORNING, tick=False):
        (run,) = domain.enqueue_due(now=MORNING, jobs=[job])
        assert run_tasks() == 1
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED
    assert run.result == {"signals": 1}
    assert list(BreachSignal.objects.values_list("kind", flat=True)) == ["24h"]
    # The same hour again: nothing enqueued; the next hour runs and adds nothing new.
    assert domain.enqueue_due(now=MORNING + dt.timedelta(minutes=20), jobs=[job]) == []
    with time_machine.travel(MORNING + HOUR, tick=False):
        (later,) = domain.enqueue_due(now=MORNING + HOUR, jobs=[job])
        run_tasks()
    later.refresh_from_db()
    assert later.result == {"signals": 0}
    assert BreachSignal.objects.count() == 1


@pytest.mark.django_db
def test_complaint_signals_run_daily_from_the_scheduler(employee_of_a, casemanager_carla):
    with time_machine.travel(MORNING - dt.timedelta(days=40), tick=False):
        file_complaint(
            by=casemanager_carla,
            kind="wkkgz",
            description="Klacht over de bejegening.",
            complainant=employee_of_a,
        )
    job = job_named("raise_complaint_signals")
    with time_machine.travel(MORNING, tick=False):
        (run,) = domain.enqueue_due(now=MORNING, jobs=[job])
        run_tasks()
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED
    assert run.result == {"signals": 1}
    assert ComplaintSignal.objects.get().kind == "due_soon"  # due in two days
