"""Issue 18 on the case page: a failed form keeps what the user chose and says what is wrong
beside the field (and in a summary with links); every id on the page is unique."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import time_machine
from django.urls import reverse

from arbo.absence.documents import domain as documents
from arbo.absence.models import CaseDocument, RecoveryReport
from arbo.absence.reports import domain as report_domain
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def case(employee_of_a, hr_wim):  # type: ignore[no-untyped-def]
    return report_domain.report_sick(
        employee_of_a, by=hr_wim, via="portal", first_sick_day=dt.date(2025, 2, 17)
    ).case


def test_a_failed_partial_recovery_keeps_the_choice_and_shows_the_error_beside_the_field(  # type: ignore[no-untyped-def]
    case, casemanager_carla, mfa_client
) -> None:
    client = mfa_client(casemanager_carla)
    response = client.post(
        reverse("absence:report_recovery", args=[case.pk]),
        {"kind": "partial", "recovered_on": "2025-03-03", "percentage": "", "hours_per_week": "16"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The choice is kept: "gedeeltelijk hersteld" is selected, not the first option.
    selected = re.search(r'<select name="kind"[^>]*id="id_recovery_kind"[^>]*>(.*?)</select>', html, re.S)
    assert selected is not None
    assert re.search(r'<option value="partial" selected>', selected.group(1))
    assert 'value="16"' in html  # the hours typed are kept too
    # The error sits beside the percentage field, and the summary links to that field.
    beside = re.search(
        r'id="id_recovery_percentage".*?<ul class="errorlist" id="id_recovery_percentage_errors">(.*?)</ul>',
        html,
        re.S,
    )
    assert beside is not None
    assert "percentage tussen 1 en 99" in beside.group(1)
    assert '<a href="#id_recovery_percentage">' in html
    assert 'aria-invalid="true"' in html
    assert not RecoveryReport.objects.exists()


def test_an_invalid_date_is_reported_beside_the_date(case, casemanager_carla, mfa_client) -> None:  # type: ignore[no-untyped-def]
    response = mfa_client(casemanager_carla).post(
        reverse("absence:report_recovery", args=[case.pk]), {"kind": "partial", "recovered_on": "morgen"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_recovery_recovered_on_errors"' in html
    assert not RecoveryReport.objects.exists()


def test_a_valid_recovery_still_redirects(case, casemanager_carla, mfa_client) -> None:  # type: ignore[no-untyped-def]
    response = mfa_client(casemanager_carla).post(
        reverse("absence:report_recovery", args=[case.pk]),
        {"kind": "partial", "recovered_on": "2025-03-03", "percentage": "50"},
    )
    assert response.status_code == 302
    assert RecoveryReport.objects.get().percentage == 50


def test_the_case_page_has_no_duplicate_ids(case, casemanager_carla, mfa_client) -> None:  # type: ignore[no-untyped-def]
    html = mfa_client(casemanager_carla).get(case.get_absolute_url()).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert "id_recovery_hours_per_week" in ids
    assert "id_therapeutic_hours_per_week" in ids
    assert [i for i, n in ids.items() if n > 1] == []


def test_a_document_reaches_the_employer_only_after_the_confirmation(  # type: ignore[no-untyped-def]
    case, doctor_bram, hr_wim, mfa_client
) -> None:
    hr_wim.first_name, hr_wim.last_name = "Wim", "Peters"
    hr_wim.save()
    draft = documents.create_document(
        case,
        kind=CaseDocument.Kind.PLAN_VAN_AANPAK,
        sections={
            "activiteiten": "Start met twee ochtenden per week op de eigen afdeling.",
            "casemanager": "Carla Jansen",
        },
        by=doctor_bram,
    )
    doctor = mfa_client(doctor_bram)
    finalise = reverse("absence:document_finalise", args=[draft.pk])
    page = doctor.post(finalise)
    assert "Definitief maken: bevestigen" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == CaseDocument.Status.DRAFT
    doctor.post(finalise, {"confirmed": "1"})
    draft.refresh_from_db()
    assert draft.status == CaseDocument.Status.FINAL

    release = reverse("absence:document_release", args=[draft.pk])
    page = doctor.post(release)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vrijgeven aan de werkgever: bevestigen" in html
    assert "Wim Peters" in html
    assert "twee ochtenden per week" in html
    draft.refresh_from_db()
    assert draft.released_to_employer_at is None
    assert login(hr_wim).get(reverse("absence:document_detail", args=[draft.pk])).status_code == 404

    assert doctor.post(release, {"confirmed": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.released_to_employer_at is not None


def test_no_sick_report_form_for_someone_already_sick_but_a_link_to_the_case(  # type: ignore[no-untyped-def]
    case, employee_of_a, casemanager_carla, mfa_client
) -> None:
    html = (
        mfa_client(casemanager_carla)
        .get(reverse("registry:employee_absence", args=[employee_of_a.pk]))
        .content.decode()
    )
    assert reverse("absence:report_sick", args=[employee_of_a.pk]) not in html
    assert f'href="{case.get_absolute_url()}">Ziek sinds 17 februari 2025: naar het verzuim</a>' in html
