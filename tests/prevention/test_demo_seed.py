"""The prevention demo: on top of seed_demo, idempotent, and the employer sees what it may."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from arbo.demo.seed_prevention import seed_prevention_demo
from arbo.identity.models import User
from arbo.prevention import queries
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return PeriodicExam.objects.count(), ExposureRecord.objects.count(), PreEmploymentExam.objects.count()


def test_seed_prevention_demo_runs_twice_and_shows_one_released_outcome(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())

    seed_prevention_demo(io.StringIO())
    first = _counts()
    seed_prevention_demo(io.StringIO())

    assert first == (2, 2, 2)
    assert _counts() == first
    wim = User.objects.get(username="wim.hr")
    statuses = sorted(str(o.status) for o in queries.exam_outcomes_for_employer(wim))
    assert statuses == ["afgerond", "geschikt"]
    eva = User.objects.get(username="eva.werknemer")
    assert [e.programme for e in queries.periodic_exams_for(eva, eva.employee)] == ["nachtwerk"]


def test_seed_prevention_demo_waits_for_the_cast(db) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()

    seed_prevention_demo(out)

    assert "skipped" in out.getvalue()
    assert _counts() == (0, 0, 0)
