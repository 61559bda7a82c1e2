"""The daily jobs of the rights requests: signals before the due date, the two-year purge."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from arbo.operations.schedule import job_named
from arbo.privacy import reminders
from arbo.privacy.rights import domain
from arbo.privacy.rights.models import RightsRequest, RightsSignal

pytestmark = pytest.mark.django_db


def test_signals_before_and_after_the_due_date_once_each(fg_piet, employee_of_a, employee_eva) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC), tick=False):
        request = domain.file_request(by=employee_eva, employee=employee_of_a, kind="access")
    assert reminders.raise_rights_signals(dt.date(2026, 2, 10)) == 0
    assert reminders.raise_rights_signals(dt.date(2026, 2, 26)) == 1
    assert reminders.raise_rights_signals(dt.date(2026, 2, 27)) == 0  # once per due date
    assert reminders.raise_rights_signals(dt.date(2026, 3, 3)) == 1
    assert set(RightsSignal.objects.filter(request=request).values_list("kind", flat=True)) == {
        "due_soon",
        "overdue",
    }
    assert mail.outbox
    assert employee_of_a.surname not in mail.outbox[-1].body  # content-free
    assert job_named("raise_rights_signals").task == "arbo.privacy.tasks.raise_rights_signals"


def test_handled_requests_are_deleted_two_years_after_the_decision(
    fg_piet, employee_of_a, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2024, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        old = domain.file_request(by=employee_eva, employee=employee_of_a, kind="restriction")
        domain.decide(old, by=fg_piet, outcome="granted")
    recent = domain.file_request(by=employee_eva, employee=employee_of_a, kind="access")
    assert domain.purge_handled_requests(dt.date(2026, 1, 15)) == 0
    assert domain.purge_handled_requests(dt.date(2026, 1, 16)) == 1
    assert list(RightsRequest.objects.all()) == [recent]
    assert employee_of_a.restrictions.exists()  # the restriction it made stays
