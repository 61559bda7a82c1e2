"""The daily signal job: right signals, no duplicates (twice, or two at once), content-free mail."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from arbo.absence import domain
from arbo.absence.milestones.reminders import raise_signals
from arbo.absence.models import Signal
from arbo.absence.reports import domain as report_domain
from arbo.access import care


@pytest.fixture
def open_case(employee_of_a, hr_wim, casemanager_carla, doctor_bram):  # type: ignore[no-untyped-def]
    hr_wim.email = "wim@aalbers.example"
    hr_wim.save(update_fields=["email"])
    for user, address in ((casemanager_carla, "carla@arbo.example"), (doctor_bram, "bram@arbo.example")):
        user.email = address
        user.save(update_fields=["email"])
    with time_machine.travel(dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC), tick=False):
        case = report_domain.report_sick(
            employee_of_a,
            by=hr_wim,
            via="portal",
            first_sick_day=dt.date(2025, 1, 6),
            remarks="Klant X bellen",
        ).case
        domain.assign_casemanager(case, casemanager_carla, by=casemanager_carla)
        care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    return case


def test_signals_for_due_soon_and_overdue_milestones(open_case) -> None:
    # 2025-02-18: probleemanalyse (16 Feb) is overdue; plan van aanpak (2 Mar) is not yet due soon.
    result = raise_signals(dt.date(2025, 2, 18))

    kinds = {(s.milestone.kind, s.kind) for s in result.created}
    assert kinds == {("probleemanalyse", Signal.Kind.OVERDUE)}
    # 2025-02-24: the plan falls due within a week.
    later = raise_signals(dt.date(2025, 2, 24))
    assert {(s.milestone.kind, s.kind) for s in later.created} == {("plan_van_aanpak", Signal.Kind.DUE_SOON)}


def test_running_twice_raises_and_mails_once(open_case) -> None:
    first = raise_signals(dt.date(2025, 2, 18))
    second = raise_signals(dt.date(2025, 2, 18))

    assert len(first.created) == 1
    assert second.created == []
    assert Signal.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bram@arbo.example"]


def test_mail_carries_no_personal_content(open_case, employee_of_a) -> None:
    raise_signals(dt.date(2025, 10, 30))  # many milestones overdue: doctor, casemanager, employer

    assert {m.to[0] for m in mail.outbox} == {
        "bram@arbo.example",
        "carla@arbo.example",
        "wim@aalbers.example",
    }
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (employee_of_a.surname, employee_of_a.first_names, open_case.employer.name, "Klant X"):
            assert secret not in text
        assert "/absence/caseload/" in text
        assert message.attachments == []


def test_done_and_recovered_milestones_raise_nothing(open_case, hr_wim) -> None:
    with time_machine.travel(dt.datetime(2025, 1, 20, 9, tzinfo=dt.UTC), tick=False):
        report_domain.report_recovery(
            open_case, by=hr_wim, via="portal", kind="full", recovered_on=dt.date(2025, 1, 20)
        )
    assert raise_signals(dt.date(2025, 10, 30)).created == []


def test_command_runs(open_case, capsys) -> None:
    with time_machine.travel(dt.datetime(2025, 2, 18, 6, tzinfo=dt.UTC), tick=False):
        call_command("raise_signals")
    assert "1 signals raised" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
)
@pytest.mark.django_db(transaction=True)
def test_two_machines_at_once_raise_each_signal_once(employer_a) -> None:
    from tests import factories as f

    hr = f.make_employer_user(employer_a, username="hr-concurrent", email="hr@aalbers.example")
    employees = [e.employee for e in employer_a.employments.all()]
    with time_machine.travel(dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC), tick=False):
        for employee in employees:
            report_domain.report_sick(employee, by=hr, via="portal", first_sick_day=dt.date(2025, 1, 6))

    results = []
    barrier = threading.Barrier(2)

    def run() -> None:
        from django.db import connections

        barrier.wait()
        try:
            results.append(raise_signals(dt.date(2025, 10, 30)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    created = [s for r in results for s in r.created]
    assert len(created) == Signal.objects.count()
    assert len({(s.milestone_id, s.kind) for s in created}) == len(created)
    assert Signal.objects.filter(milestone__owner="employer").count() >= len(employees)
    assert sum(r.mails for r in results) <= 2  # one mail per run that created signals, never per duplicate


def test_end_of_wage_payment_is_announced_but_never_late(open_case) -> None:
    from arbo.absence.models import Milestone

    end = open_case.milestones.get(kind=Milestone.Kind.WAGE_PAYMENT_END)
    soon = raise_signals(end.due_on - dt.timedelta(days=3))
    assert any(s.milestone_id == end.pk and s.kind == Signal.Kind.DUE_SOON for s in soon.created)
    later = raise_signals(end.due_on + dt.timedelta(days=3))
    assert not any(s.milestone_id == end.pk for s in later.created)
