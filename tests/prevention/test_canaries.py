"""No category C canary of a PMO, exposure record or pre-employment exam reaches anyone who may not
read category C: not in a page, an API answer, an e-mail, a log line or the audit log's data.

Who is tried: the secretariat and the planner (D only), a casemanager (A, B, D), HR of the
employer (A, D, and the applicant's released outcome only), and that employer's API client.
"""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from rest_framework.test import APIClient

from arbo.api import domain as api_domain
from arbo.audit.models import AuditEvent
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from tests.prevention.conftest import CANARY

pytestmark = pytest.mark.django_db

NO_C_PERSONAS = ["secretary_sara", "planner_piet", "casemanager_carla", "hr_wim"]


def _pages(employee, applicant) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"/registry/employees/{employee.pk}/",
        "/registry/employees/",
        f"/registry/employers/{employee.employments.first().employer_id}/",
        f"/prevention/employees/{employee.pk}/",
        "/prevention/applicants/",
        f"/prevention/applicants/{applicant.pk}/",
        "/prevention/outcomes/",
        f"/prevention/outcomes/{applicant.pk}/",
    ]


def _assert_clean(text: str) -> None:
    for name, canary in CANARY.items():
        assert canary not in text, name


@pytest.mark.parametrize("persona", NO_C_PERSONAS)
def test_no_canary_in_any_page(
    persona, request, canary_file, employee_of_a, applicant_of_a, mfa_client, caplog
) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)
    client = mfa_client(user)
    caplog.set_level(logging.DEBUG)

    responses = {url: client.get(url) for url in _pages(employee_of_a, applicant_of_a)}

    for url, response in responses.items():
        _assert_clean(response.content.decode())
        # The outcome was not released: nobody here learns it, not even the employer.
        assert "geschikt" not in response.content.decode(), url
    assert responses[f"/prevention/employees/{employee_of_a.pk}/"].status_code == 404
    assert responses[f"/prevention/applicants/{applicant_of_a.pk}/"].status_code == 404
    assert responses["/prevention/applicants/"].status_code == 404
    _assert_clean(caplog.text)
    _assert_clean("".join(str(m.message()) for m in mail.outbox))
    _assert_clean(repr(list(AuditEvent.objects.values_list("data", flat=True))))


@pytest.mark.parametrize("persona", NO_C_PERSONAS)
def test_no_c_write_for_those_without_c(persona, request, employee_of_a, applicant_of_a, mfa_client) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)
    client = mfa_client(user)
    audit_before = AuditEvent.objects.count()

    statuses = [
        client.post(
            f"/prevention/employees/{employee_of_a.pk}/exams/",
            {"programme": "algemeen", "exam_date": "2025-01-06", "results": "x", "conclusion": "verwezen"},
        ).status_code,
        client.post(
            f"/prevention/employees/{employee_of_a.pk}/exposures/",
            {"kind": "straling", "agent": "x", "exposure_start": "2025-01-06"},
        ).status_code,
        client.post(
            f"/prevention/applicants/{applicant_of_a.pk}/exams/",
            {
                "kind": "algemeen",
                "position": "x",
                "exam_date": "2025-01-06",
                "results": "x",
                "outcome": "geschikt",
            },
        ).status_code,
    ]

    assert statuses == [404, 404, 404]
    assert (
        PeriodicExam.objects.count()
        == ExposureRecord.objects.count()
        == PreEmploymentExam.objects.count()
        == 0
    )
    assert AuditEvent.objects.filter(event__startswith="prevention.").count() == 0
    assert AuditEvent.objects.count() == audit_before


def test_no_canary_in_the_api(canary_file, employee_of_a, hr_wim) -> None:  # type: ignore[no-untyped-def]
    _, plaintext = api_domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR-systeem A", by=hr_wim
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    listing = api.get("/api/v1/employees/")
    detail = api.get(f"/api/v1/employees/{employee_of_a.pk}/")

    assert (listing.status_code, detail.status_code) == (200, 200)
    for response in (listing, detail):
        text = response.content.decode()
        _assert_clean(text)
        assert "geschikt" not in text
        assert "prevention" not in text


def test_the_employer_never_learns_of_a_pmo_or_exposure(
    canary_file, employee_of_a, hr_wim, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(hr_wim)

    text = "".join(
        client.get(url).content.decode()
        for url in (
            f"/registry/employees/{employee_of_a.pk}/",
            "/registry/employees/",
            "/prevention/outcomes/",
        )
    )

    for word in ("PMO", "periodiek", "lawaai", "blootstelling", "kankerverwekkend"):
        assert word.lower() not in text.lower(), word
