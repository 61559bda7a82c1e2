"""Issue 18: the agenda lists a day in time order, free slots and appointments together."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from arbo.medical.consultations import domain as dc
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 7, 0, tzinfo=dt.UTC)  # a Monday, 08:00 in Amsterdam


def _slot(doctor, hour: int, minute: int = 0):  # type: ignore[no-untyped-def]
    start = timezone.localtime(NOW).replace(hour=hour, minute=minute)
    return dc.create_slot(
        doctor=doctor,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        by=doctor,
        location="Kamer 2",
    )


def test_a_day_is_one_list_in_time_order(doctor_bram, treated, planner_piet) -> None:
    with time_machine.travel(NOW, tick=False):
        _slot(doctor_bram, 9)
        booked = _slot(doctor_bram, 9, 30)
        _slot(doctor_bram, 10)
        dc.plan_consultation(treated, slot=booked, by=planner_piet, notify=False)

        page = (
            login(doctor_bram)
            .get(reverse("medical:agenda"), {"doctor": doctor_bram.pk, "date": "2027-03-01", "view": "day"})
            .content.decode()
        )

    body = page.partition("<tbody>")[2]
    times = [body.index(t) for t in ("09:00–09:30", "09:30–10:00", "10:00–10:30")]
    assert times == sorted(times)
    assert body.index(treated.full_name) < body.index("10:00–10:30")  # the appointment between the slots
    assert "maandag 1 maart 2027" in page
