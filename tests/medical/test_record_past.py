"""Issue 18: a consultation that already happened (a phone call a minute ago) is recorded
afterwards by the treating doctor, over real HTTP; bad input is refused beside the field and
changes nothing; nobody else gets the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from arbo.medical.models import Consultation
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_doctor_records_a_phone_call_of_a_minute_ago(doctor_bram, treated) -> None:
    client = login(doctor_bram)
    medical_tab = client.get(reverse("registry:employee_medical", args=[treated.pk])).content.decode()
    url = reverse("medical:record_past", args=[treated.pk])
    assert url in medical_tab

    response = client.post(
        url,
        {
            "kind": Consultation.Kind.REGULAR,
            "status": Consultation.Status.HELD,
            "mode": "telefoon",
            "starts_at": _local(timezone.now() - dt.timedelta(minutes=11)),
            "minutes": "10",
        },
    )

    consultation = Consultation.objects.get(employee=treated)
    assert response.status_code == 302
    assert response["Location"] == consultation.get_absolute_url()
    assert (consultation.status, consultation.mode, consultation.doctor) == (
        "gehouden",
        "telefoon",
        doctor_bram,
    )


def test_a_consultation_still_to_come_is_refused_beside_the_field_and_nothing_is_written(
    doctor_bram, treated
) -> None:
    client = login(doctor_bram)

    response = client.post(
        reverse("medical:record_past", args=[treated.pk]),
        {
            "kind": Consultation.Kind.REGULAR,
            "status": Consultation.Status.NO_SHOW,
            "mode": "telefoon",
            "starts_at": _local(timezone.now() + dt.timedelta(hours=1)),
            "minutes": "10",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_starts_at_errors"' in html
    assert 'value="niet_verschenen" selected' in html or 'niet_verschenen" selected' in html
    assert not Consultation.objects.exists()


def test_nobody_but_the_treating_doctor_gets_the_page(casemanager_carla, planner_piet, treated) -> None:
    url = reverse("medical:record_past", args=[treated.pk])
    for user in (casemanager_carla, planner_piet):
        assert login(user).get(url).status_code == 404
        assert login(user).post(url, {"kind": "regulier", "minutes": "5"}).status_code == 404
    assert not Consultation.objects.exists()
