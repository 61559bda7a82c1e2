"""An employee sees who accessed their data: name, function, when, what and why."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from arbo.access import care
from arbo.medical.domain import add_medical_note
from tests.url_scan import whole_file

pytestmark = pytest.mark.django_db

URL = reverse("portal:who_saw_my_file")


def test_employee_sees_who_read_their_file(
    mfa_client, client, employee_eva, employee_of_a, casemanager_carla, doctor_bram, hr_wim
) -> None:
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    add_medical_note(employee_of_a, kind="notitie", body="x", by=doctor_bram)
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)):
        whole_file(mfa_client(casemanager_carla), employee_of_a)
    with time_machine.travel(dt.datetime(2027, 3, 5, 10, 0, tzinfo=dt.UTC)):
        whole_file(mfa_client(doctor_bram), employee_of_a)
    whole_file(mfa_client(hr_wim), employee_of_a)

    html = mfa_client(employee_eva).get(URL).content.decode()

    assert str(casemanager_carla) in html
    assert "Casemanager" in html
    assert str(doctor_bram) in html
    assert "Bedrijfsarts" in html
    assert "las je medisch dossier" in html
    assert "behandelrelatie" in html
    assert str(hr_wim) in html
    assert "2 maart 2027" in html


def test_filters_by_period_and_category(
    mfa_client, employee_eva, employee_of_a, casemanager_carla, doctor_bram
):
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    add_medical_note(employee_of_a, kind="notitie", body="x", by=doctor_bram)
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)):
        whole_file(mfa_client(casemanager_carla), employee_of_a)
    with time_machine.travel(dt.datetime(2027, 4, 2, 10, 0, tzinfo=dt.UTC)):
        whole_file(mfa_client(doctor_bram), employee_of_a)
    client = mfa_client(employee_eva)

    march = client.get(URL, {"start": "2027-03-01", "end": "2027-03-31"}).content.decode()
    medical = client.get(URL, {"category": "C"}).content.decode()

    assert str(casemanager_carla) in march
    assert "las je medisch dossier" not in march
    assert "las je medisch dossier" in medical
    assert "bekeek je persoonsgegevens" not in medical


def test_only_employees_reach_the_page_and_only_their_own_log(
    mfa_client, hr_wim, employee_eva, employer_a, casemanager_carla
) -> None:
    colleague = employer_a.employments.exclude(employee__user=employee_eva).first().employee
    mfa_client(casemanager_carla).get(reverse("registry:employee_detail", args=[colleague.pk]))

    assert mfa_client(hr_wim).get(URL).status_code == 404
    html = mfa_client(employee_eva).get(URL).content.decode()
    assert "Niemand heeft in deze periode je gegevens ingezien." in html
