"""The daily jobs of the rights requests: signals before the due date, and the two-year term of
the request data as the retention purge's kind ``rights_request``."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from arbo.operations.schedule import job_named
from arbo.privacy import reminders
from arbo.privacy.rights import domain
from arbo.privacy.rights.models import RightsRequest, RightsSignal
from arbo.retention import purge, register
from arbo.retention.models import LegalHold, PurgeLog

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


def _decided_on_15_january_2024(fg_piet, employee_of_a, employee_eva):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2024, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        old = domain.file_request(
            by=employee_eva,
            employee=employee_of_a,
            kind="objection",
            description="Geen visitatie van mijn dossier.",
        )
        domain.decide(old, by=fg_piet, outcome="granted", objection_purpose="visitation")
    return old


def test_handled_requests_go_two_years_after_the_decision_through_the_retention_purge(
    fg_piet, employee_of_a, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    old = _decided_on_15_january_2024(fg_piet, employee_of_a, employee_eva)
    RightsSignal.objects.create(request=old, kind="overdue", due_on=old.due_on, raised_at=timezone.now())
    recent = domain.file_request(by=employee_eva, employee=employee_of_a, kind="access")  # open: never due

    assert purge.run(dt.date(2026, 1, 14))["rights_request"] == 0  # a day before: stays
    assert RightsRequest.objects.filter(pk=old.pk).exists()

    assert purge.run(dt.date(2026, 1, 15))["rights_request"] == 1  # on the date: goes
    assert list(RightsRequest.objects.all()) == [recent]
    assert not RightsSignal.objects.filter(request_id=old.pk).exists()  # its rows with it
    assert employee_of_a.objections.get().request_id is None  # the objection it recorded stays
    log = PurgeLog.objects.get(kind="rights_request")
    assert set(log.subjects) == {register.pseudonym("employee", employee_of_a.pk)}
    assert any(line.get("model") == "privacy.rightsrequest" for line in register.entries())
    assert job_named("purge_due").task == "arbo.retention.tasks.purge_due"


def test_a_hold_keeps_handled_requests(fg_piet, employee_of_a, employee_eva) -> None:  # type: ignore[no-untyped-def]
    old = _decided_on_15_january_2024(fg_piet, employee_of_a, employee_eva)
    LegalHold.objects.create(
        employee=employee_of_a,
        kind="rights_request",
        reason=LegalHold.Reason.LABOUR_DISPUTE,
        placed_by=fg_piet,
        review_on=dt.date(2027, 1, 1),
    )
    assert purge.run(dt.date(2026, 6, 1))["rights_request"] == 0
    assert RightsRequest.objects.filter(pk=old.pk).exists()


def test_an_erasure_request_holds_everything_of_the_person_until_it_is_decided(
    fg_piet, employee_of_a, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    old = _decided_on_15_january_2024(fg_piet, employee_of_a, employee_eva)
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC), tick=False):
        erasure = domain.file_request(
            by=employee_eva, employee=employee_of_a, kind="erasure", description="Verwijder mijn journaal."
        )
    hold = LegalHold.objects.get(employee=employee_of_a, lifted_at__isnull=True)
    assert (hold.reason, hold.kind) == ("erasure_pending", "")
    with time_machine.travel(dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC), tick=False):
        assert purge.run(dt.date(2026, 1, 20))["rights_request"] == 0  # due, but held
        assert RightsRequest.objects.filter(pk=old.pk).exists()
        domain.decide(erasure, by=fg_piet, outcome="granted")
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    assert hold.lifted_by == fg_piet
    assert purge.run(dt.date(2026, 1, 20))["rights_request"] == 1
    assert not RightsRequest.objects.filter(pk=old.pk).exists()
