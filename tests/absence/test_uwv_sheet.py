"""The data sheet for the 42nd-week notice to UWV: what it shows, to whom, and that it is audited."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from arbo.absence.models import AbsenceCase, Milestone
from arbo.absence.reports import domain as report_domain
from arbo.audit.models import AuditEvent
from arbo.lib.dates import show_date

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def case(employee_of_a, hr_wim) -> AbsenceCase:  # type: ignore[no-untyped-def]
    period = report_domain.report_sick(
        employee_of_a, by=hr_wim, via="portal", first_sick_day=dt.date(2025, 1, 6)
    )
    return period.case


def _sheet(case: AbsenceCase) -> str:
    return reverse("absence:uwv_sheet", args=[case.pk])


def _pdf(case: AbsenceCase) -> str:
    return reverse("absence:uwv_sheet_pdf", args=[case.pk])


def test_employer_sees_what_the_notice_needs_with_the_full_bsn(case, hr_wim, mfa_client) -> None:
    employee = case.employee
    due = case.milestones.get(kind=Milestone.Kind.UWV_42ND_WEEK_NOTICE).effective_due_on

    response = mfa_client(hr_wim).get(_sheet(case))

    html = response.content.decode()
    assert response.status_code == 200
    for expected in (
        case.employer.name,
        case.employer.kvk_number,
        employee.full_name,
        employee.bsn,
        "6 januari 2025",
        show_date(due),
    ):
        assert expected in html, expected
    assert "loonheffingennummer staat niet in Arbodossier" in html
    event = AuditEvent.objects.get(actor=hr_wim, event="absence.uwv_sheet_viewed")
    assert (event.action, event.category, event.subject_id) == ("read", "A", employee.pk)
    assert event.data == {"bsn_shown": True}


def test_due_date_is_the_first_working_day_after_week_42(case, hr_wim, mfa_client) -> None:
    # Day 294 counted from Monday 6 January 2025 is Sunday 26 October; the notice is due Monday.
    html = mfa_client(hr_wim).get(_sheet(case)).content.decode()

    assert "27 oktober 2025" in html


def test_safety_net_is_yes_or_no_never_which(employee_of_a, hr_wim, doctor_bram, mfa_client) -> None:
    case = report_domain.report_sick(
        employee_of_a,
        by=doctor_bram,
        via="staff",
        first_sick_day=dt.date(2025, 1, 6),
        safety_net_kind="pregnancy",
    ).case

    html = mfa_client(hr_wim).get(_sheet(case)).content.decode()

    assert "Vangnetregeling van toepassing</dt><dd>ja</dd>" in html
    assert "zwangerschap" not in html.lower()


def test_partial_recovery_shows_its_percentage(case, hr_wim, mfa_client) -> None:
    report_domain.report_recovery(
        case,
        by=hr_wim,
        via="portal",
        kind="partial",
        recovered_on=dt.date(2025, 2, 17),
        percentage=40,
        hours_per_week=Decimal("16"),
    )

    html = mfa_client(hr_wim).get(_sheet(case)).content.decode()

    assert "40%" in html
    assert "Vangnetregeling van toepassing</dt><dd>nee</dd>" in html


def test_staff_with_category_a_see_it(case, casemanager_carla, doctor_bram, mfa_client) -> None:
    for user in (casemanager_carla, doctor_bram):
        assert case.employee.bsn in mfa_client(user).get(_sheet(case)).content.decode()


@pytest.mark.parametrize("persona", ["secretary_sara", "outsider_olaf", "employee_eva"])
def test_others_get_404_and_no_bsn(case, persona, request, mfa_client) -> None:
    user = request.getfixturevalue(persona)
    client = mfa_client(user)

    for url in (_sheet(case), _pdf(case)):
        response = client.get(url)
        assert response.status_code == 404, url
        assert case.employee.bsn not in response.content.decode()
    assert not AuditEvent.objects.filter(actor=user, event__startswith="absence.uwv_sheet").exists()


def test_the_pdf_renders_and_is_audited_as_an_export(case, hr_wim, mfa_client) -> None:
    response = mfa_client(hr_wim).get(_pdf(case))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Gegevens 42e-weeksmelding UWV" in text
    assert case.employee.bsn in text
    assert "27 oktober 2025" in text
    assert AuditEvent.objects.get(actor=hr_wim, event="absence.uwv_sheet_exported").action == "export"
