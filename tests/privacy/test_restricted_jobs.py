"""Scheduled jobs skip a restricted person (AVG art. 18, issue 13) and pick them up again once lifted.

The jobs ask ``access.policy`` (``exclude_restricted`` / ``restricted_employee_ids``), one place:
the poortwachter signals (``absence.milestones.reminders.raise_signals``) raise no signal and send no mail
about the person, and the retention purge (``retention.kinds.not_held`` and ``purge.people_done``)
destroys nothing of theirs: a restriction means the data is kept as it is. Disclosures are refused
by the consent app (``tests/consent/test_disclosure.py`` restricts and lifts for real). The rights
signals keep running: they are about answering the person's own request.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from arbo.absence.milestones.reminders import raise_signals
from arbo.absence.models import AbsenceCase, Signal
from arbo.privacy.rights import domain as rights
from arbo.retention import purge
from tests import factories as f
from tests.absence.test_reminders import open_case  # noqa: F401 - the fixture
from tests.retention import builders as b

pytestmark = pytest.mark.django_db


def test_no_poortwachter_signal_about_a_restricted_person(open_case, employee_of_a, fg_piet) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    rights.restrict(employee_of_a, by=fg_piet, reason="Betwist de juistheid van het verzuimdossier.")
    assert raise_signals(dt.date(2025, 2, 18)).created == []
    assert not Signal.objects.exists()
    assert mail.outbox == []

    rights.lift_restriction(employee_of_a, by=fg_piet)
    assert {(s.milestone.kind, s.kind) for s in raise_signals(dt.date(2025, 2, 18)).created} == {
        ("probleemanalyse", Signal.Kind.OVERDUE)
    }


def test_the_retention_purge_keeps_a_restricted_person_whole(fg_piet) -> None:  # type: ignore[no-untyped-def]
    employer = f.EmployerFactory()
    employee = b.person(employer, ends_on=dt.date(2020, 1, 31))
    case = b.closed_case(employee, employer, dt.date(2019, 6, 30))
    rights.restrict(employee, by=fg_piet, reason="Wil het dossier bewaren voor een rechtszaak.")

    result = purge.run(dt.date(2030, 1, 1))  # the WvP file is long due, the person too
    assert result["wvp_file"] == 0
    assert AbsenceCase.objects.filter(pk=case.pk).exists()
    assert employee.__class__.objects.filter(pk=employee.pk).exists()

    rights.lift_restriction(employee, by=fg_piet)
    result = purge.run(dt.date(2030, 1, 1))
    assert result["wvp_file"] == 1
    assert not AbsenceCase.objects.filter(pk=case.pk).exists()
