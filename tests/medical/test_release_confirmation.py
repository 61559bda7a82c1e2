"""Nothing reaches the employer without the confirmation step (issue 18), over HTTP.

Releasing advice first shows who will read it (the employee, and the employer's users by name)
and what they read; only a POST with ``confirmed=1`` releases. Advice for the employer that
mentions medical terms needs an explicit "release anyway" on top.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from arbo.medical.advice import domain as da
from arbo.medical.models import Consultation
from tests.medical.conftest import dangerously_create_consultation, login

pytestmark = pytest.mark.django_db

ADVICE = {
    "can_do": "Licht administratief werk, 4 uur per dag",
    "cannot_do": "Tillen boven 10 kg",
    "expected_duration": "Vier tot zes weken",
    "adjustments": "Zit-sta-bureau",
    "reintegration": "Opbouw met 2 uur per week",
}


def _consultation(treated, doctor, **advice):  # type: ignore[no-untyped-def]
    consultation = dangerously_create_consultation(treated, doctor, kind=Consultation.Kind.REGULAR)
    da.save_advice(consultation, by=doctor, employee_review_requested=False, **{**ADVICE, **advice})
    return consultation


def test_release_without_confirmation_shows_who_sees_what_and_releases_nothing(  # type: ignore[no-untyped-def]
    doctor_bram, treated, hr_wim
) -> None:
    hr_wim.first_name, hr_wim.last_name = "Wim", "Peters"
    hr_wim.save()
    consultation = _consultation(treated, doctor_bram)
    url = reverse("medical:release_advice", args=[consultation.pk])
    doctor = login(doctor_bram)

    page = doctor.post(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Advies verstrekken: bevestigen" in html
    assert treated.full_name in html  # the employee
    assert "Wim Peters" in html  # the employer's user who will read it, by name
    assert ADVICE["cannot_do"] in html  # what they will read
    assert 'name="confirmed" value="1"' in html
    advice = consultation.advice
    advice.refresh_from_db()
    assert advice.employee_released_at is None
    assert advice.employer_released_at is None

    assert doctor.post(url, {"confirmed": "1"}).status_code == 302
    advice.refresh_from_db()
    assert advice.employer_released_at is not None
    assert advice.employer_released_at == advice.employee_released_at


def test_medical_terms_need_an_explicit_release_anyway(doctor_bram, treated, hr_wim) -> None:  # type: ignore[no-untyped-def]
    consultation = _consultation(treated, doctor_bram, expected_duration="Twee weken, griep")
    url = reverse("medical:release_advice", args=[consultation.pk])
    doctor = login(doctor_bram)

    warned = doctor.post(url).content.decode()
    assert "medische gegevens" in warned
    assert "griep" in warned
    refused = doctor.post(url, {"confirmed": "1"})
    assert refused.status_code == 200
    assert 'id="id_accept_medical_terms_errors"' in refused.content.decode()
    consultation.advice.refresh_from_db()
    assert consultation.advice.employer_released_at is None

    doctor.post(url, {"confirmed": "1", "accept_medical_terms": "1"})
    consultation.advice.refresh_from_db()
    assert consultation.advice.employer_released_at is not None


def test_only_the_treating_doctor_gets_the_confirmation_page(  # type: ignore[no-untyped-def]
    doctor_bram, treated, hr_wim, casemanager_carla
) -> None:
    consultation = _consultation(treated, doctor_bram)
    url = reverse("medical:release_advice", args=[consultation.pk])
    for user in (hr_wim, casemanager_carla):
        assert login(user).post(url, {"confirmed": "1"}).status_code == 404
    consultation.advice.refresh_from_db()
    assert consultation.advice.employee_released_at is None


def test_a_consent_recorded_by_the_doctor_releases_the_report_only_after_the_confirmation(  # type: ignore[no-untyped-def]
    doctor_bram, treated, hr_wim
) -> None:
    """A preventive consultation's report reaches the employer only with the employee's consent; the
    doctor's team recording a written consent first sees who will read which report."""
    from arbo.medical.models import EmployerReportConsent

    hr_wim.first_name, hr_wim.last_name = "Wim", "Peters"
    hr_wim.save()
    consultation = dangerously_create_consultation(treated, doctor_bram, kind=Consultation.Kind.PREVENTIVE)
    da.release_advice(da.save_advice(consultation, by=doctor_bram, **ADVICE), by=doctor_bram)
    url = reverse("medical:record_report_consent", args=[consultation.pk])
    doctor = login(doctor_bram)

    page = doctor.post(url, {"how": "schriftelijk"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Toestemming vastleggen: bevestigen" in html
    assert "De werkgever, nu: Wim Peters" in html
    assert ADVICE["can_do"] in html
    assert 'name="how" value="schriftelijk"' in html
    assert not EmployerReportConsent.objects.exists()
    consultation.advice.refresh_from_db()
    assert consultation.advice.employer_released_at is None

    assert doctor.post(url, {"how": "schriftelijk", "confirmed": "1"}).status_code == 302
    assert EmployerReportConsent.objects.get().how == "schriftelijk"
