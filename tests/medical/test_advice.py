"""Advice after a consultation: one release moment, review first, preventive only with consent."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from arbo.audit.models import AuditEvent
from arbo.lib.errors import DomainError
from arbo.medical.advice import domain as da
from arbo.medical.advice.queries import released_for_employer, staff_advice_for
from arbo.medical.models import Consultation, ConsultationAdvice, EmployerReportConsent
from tests.medical.conftest import dangerously_create_consultation, login

pytestmark = pytest.mark.django_db

ADVICE = {
    "can_do": "Licht administratief werk, 4 uur per dag",
    "cannot_do": "Tillen boven 10 kg",
    "expected_duration": "Vier tot zes weken",
    "adjustments": "Zit-sta-bureau",
    "reintegration": "Opbouw met 2 uur per week",
}


def _advice(treated, doctor, *, kind=Consultation.Kind.REGULAR, review=False) -> ConsultationAdvice:  # type: ignore[no-untyped-def]
    consultation = dangerously_create_consultation(treated, doctor, kind=kind)
    return da.save_advice(consultation, by=doctor, employee_review_requested=review, **ADVICE)


def test_release_reaches_employee_and_employer_at_one_moment(doctor_bram, treated, hr_wim) -> None:
    advice = _advice(treated, doctor_bram)

    da.release_advice(advice, by=doctor_bram)

    advice.refresh_from_db()
    assert advice.employee_released_at is not None
    assert advice.employer_released_at == advice.employee_released_at
    [shown] = released_for_employer(hr_wim, treated).advice
    assert shown.can_do == ADVICE["can_do"]


def test_unreleased_advice_is_invisible_to_the_employer(doctor_bram, treated, hr_wim) -> None:
    _advice(treated, doctor_bram)

    assert released_for_employer(hr_wim, treated).advice == []


def test_review_first_holds_the_advice_back_until_the_employee_saw_it(
    doctor_bram, treated, hr_wim, employee_eva
) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram, review=True), by=doctor_bram)
    assert advice.employer_released_at is None
    assert released_for_employer(hr_wim, treated).advice == []

    advice = da.mark_advice_seen(advice, by=employee_eva, response="Klopt")

    assert advice.employer_released_at == advice.employee_seen_at
    assert len(released_for_employer(hr_wim, treated).advice) == 1


def test_a_correction_request_keeps_it_from_the_employer_until_the_doctor_revises(
    doctor_bram, treated, hr_wim, employee_eva
) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram, review=True), by=doctor_bram)

    da.mark_advice_seen(advice, by=employee_eva, response="Ik kan geen 4 uur", correction_requested=True)
    assert released_for_employer(hr_wim, treated).advice == []
    revised = da.save_advice(
        advice.consultation,
        by=doctor_bram,
        employee_review_requested=True,
        **{**ADVICE, "can_do": "2 uur per dag"},
    )
    assert (revised.employee_released_at, revised.employee_seen_at) == (None, None)
    da.release_advice(revised, by=doctor_bram)
    da.mark_advice_seen(revised, by=employee_eva)

    [shown] = released_for_employer(hr_wim, treated).advice
    assert shown.can_do == "2 uur per dag"


def test_a_correction_request_needs_a_response(doctor_bram, treated, employee_eva) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram, review=True), by=doctor_bram)

    with pytest.raises(DomainError):
        da.mark_advice_seen(advice, by=employee_eva, correction_requested=True)

    advice.refresh_from_db()
    assert advice.employee_seen_at is None


def test_only_the_employee_marks_seen(doctor_bram, treated, hr_wim) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram, review=True), by=doctor_bram)

    for other in (doctor_bram, hr_wim):
        with pytest.raises(Http404):
            da.mark_advice_seen(advice, by=other)


def test_released_advice_is_final(doctor_bram, treated) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram), by=doctor_bram)

    with pytest.raises(DomainError, match="al aan de werkgever"):
        da.save_advice(advice.consultation, by=doctor_bram, **ADVICE)


def test_advice_needs_a_held_consultation(doctor_bram, treated) -> None:
    consultation = dangerously_create_consultation(treated, doctor_bram, status=Consultation.Status.NO_SHOW)

    with pytest.raises(DomainError):
        da.save_advice(consultation, by=doctor_bram, **ADVICE)

    assert ConsultationAdvice.objects.count() == 0


def test_casemanager_reads_advice_but_not_writes_it(doctor_bram, treated, casemanager_carla) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram), by=doctor_bram)

    with pytest.raises(Http404):
        da.save_advice(advice.consultation, by=casemanager_carla, **ADVICE)

    assert [a.can_do for a in staff_advice_for(casemanager_carla, treated)] == [ADVICE["can_do"]]


@pytest.mark.parametrize("kind", [Consultation.Kind.PREVENTIVE, Consultation.Kind.OTHER])
def test_advice_of_other_consultations_never_reaches_the_employer_by_itself(
    doctor_bram, treated, hr_wim, employee_eva, casemanager_carla, kind
) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram, kind=kind), by=doctor_bram)
    da.mark_advice_seen(advice, by=employee_eva)

    advice.refresh_from_db()
    assert advice.employee_released_at is not None
    assert advice.employer_released_at is None
    assert not released_for_employer(hr_wim, treated)
    # Even the casemanager (category B, no C) does not learn of it.
    assert staff_advice_for(casemanager_carla, treated) == []


def test_consent_releases_exactly_that_report(doctor_bram, treated, hr_wim, employee_eva) -> None:
    consented = da.release_advice(
        _advice(treated, doctor_bram, kind=Consultation.Kind.PREVENTIVE), by=doctor_bram
    )
    da.release_advice(_advice(treated, doctor_bram, kind=Consultation.Kind.PREVENTIVE), by=doctor_bram)

    consent = da.consent_to_employer_report(consented, by=employee_eva)

    assert (consent.advice, consent.employee, consent.recorded_by, consent.how) == (
        consented,
        treated,
        employee_eva,
        EmployerReportConsent.How.PORTAL,
    )
    release = released_for_employer(hr_wim, treated)
    assert [a.pk for a in release.advice] == [consented.pk]
    assert release.appointments == []
    assert AuditEvent.objects.filter(event="medical.consented_report_viewed", basis="consent").count() == 1


def test_consent_is_not_for_reports_that_go_to_the_employer_anyway(
    doctor_bram, treated, employee_eva
) -> None:
    advice = da.release_advice(_advice(treated, doctor_bram, review=True), by=doctor_bram)

    with pytest.raises(DomainError):
        da.consent_to_employer_report(advice, by=employee_eva)

    assert EmployerReportConsent.objects.count() == 0


def test_staff_record_a_written_consent_but_not_as_the_portal(doctor_bram, treated) -> None:
    advice = da.release_advice(
        _advice(treated, doctor_bram, kind=Consultation.Kind.PREVENTIVE), by=doctor_bram
    )

    with pytest.raises(DomainError):
        da.consent_to_employer_report(advice, by=doctor_bram, how=EmployerReportConsent.How.PORTAL)
    consent = da.consent_to_employer_report(advice, by=doctor_bram, how=EmployerReportConsent.How.WRITTEN)

    assert consent.recorded_by == doctor_bram


def test_the_employee_gives_consent_in_the_portal(doctor_bram, treated, employee_eva, hr_wim) -> None:
    advice = da.release_advice(
        _advice(treated, doctor_bram, kind=Consultation.Kind.PREVENTIVE), by=doctor_bram
    )
    client = login(employee_eva)

    page = client.get(reverse("medical:mine")).content.decode()
    url = reverse("medical:mine_advice_consent", args=[advice.pk])
    first = client.post(url, {"confirm": "yes"})
    # Issue 18: the first step only says who will see what; nothing reaches the employer yet.
    assert first.status_code == 200
    step = first.content.decode()
    assert "Toestemming geven: bevestigen" in step
    assert hr_wim.get_full_name() in step
    assert ADVICE["cannot_do"] in step
    assert not released_for_employer(hr_wim, treated)
    response = client.post(url, {"confirm": "yes", "confirmed": "1"})

    assert ADVICE["cannot_do"] in page
    assert response.status_code == 302
    assert len(released_for_employer(hr_wim, treated).advice) == 1


def test_another_employee_cannot_touch_the_advice(doctor_bram, treated, employee_of_b) -> None:
    from arbo.identity.models import User
    from tests import factories as f

    other = f.UserFactory(kind=User.Kind.EMPLOYEE)
    employee_of_b.user = other
    employee_of_b.save()
    advice = da.release_advice(
        _advice(treated, doctor_bram, kind=Consultation.Kind.PREVENTIVE), by=doctor_bram
    )
    client = login(other)

    seen = client.post(reverse("medical:mine_advice_seen", args=[advice.pk]), {})
    consent = client.post(reverse("medical:mine_advice_consent", args=[advice.pk]), {"confirm": "yes"})

    assert (seen.status_code, consent.status_code) == (404, 404)
    advice.refresh_from_db()
    assert (advice.employee_seen_at, advice.employer_released_at) == (None, None)


def test_draft_advice_stays_with_the_doctor(doctor_bram, treated, employee_eva, hr_wim) -> None:
    _advice(treated, doctor_bram)  # saved, not released
    eva = login(employee_eva)

    mine = eva.get(reverse("medical:mine")).content.decode()
    file = eva.get(reverse("medical:file", args=[treated.pk]))

    assert ADVICE["can_do"] not in mine
    assert file.status_code == 404
    assert not released_for_employer(hr_wim, treated)
