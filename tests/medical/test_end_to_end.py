"""End to end through HTTP: plan, hold, write notes and advice; what employee and employer see, and when."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from arbo.api import domain as api_domain
from arbo.medical.models import Consultation, ConsultationAdvice, ConsultationSlot
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)  # 09:00 in Amsterdam
REASON = "CANARY-E2E-reason-knieklachten"
NOTE = "CANARY-E2E-note-meniscusletsel"


def _advice(prefix: str, *, review: bool = False) -> dict[str, str]:
    data = {
        "can_do": f"{prefix}-kan zittend werk",
        "cannot_do": f"{prefix}-niet traplopen",
        "expected_duration": f"{prefix}-drie weken",
        "adjustments": f"{prefix}-werkplek op de begane grond",
        "reintegration": f"{prefix}-halve dagen",
    }
    if review:
        data["employee_review_requested"] = "on"
    return data


def _employer_views(hr_wim, api: APIClient, employee) -> str:  # type: ignore[no-untyped-def]
    """Everything the employer can look at about the employee: pages and API answers."""
    client = login(hr_wim)
    texts = [
        client.get(reverse("registry:employee_list")).content.decode(),
        client.get(employee.get_absolute_url()).content.decode(),
        client.get(reverse("medical:employer_released", args=[employee.pk])).content.decode(),
        api.get("/api/v1/employees/").content.decode(),
        api.get(f"/api/v1/employees/{employee.pk}/").content.decode(),
    ]
    return "\n".join(texts)


def test_consultation_to_advice_through_http(
    doctor_bram, treated, employee_eva, hr_wim, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    employee = treated
    employee.email = "eva@example.nl"
    employee.save()
    hr_wim.email = "hr@example.nl"
    hr_wim.save()
    _token, plaintext = api_domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR", by=hr_wim
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    with time_machine.travel(MONDAY, tick=False) as clock:
        # The doctor opens consultation hours and plans two regular consultations.
        bram = login(doctor_bram)
        bram.post(
            reverse("medical:add_slots"),
            {
                "doctor": doctor_bram.pk,
                "day": "2027-03-01",
                "start": "10:00",
                "end": "11:00",
                "minutes": 30,
                "mode": "spreekkamer",
                "location": "Utrecht",
            },
        )
        first_slot, second_slot = ConsultationSlot.objects.order_by("starts_at")
        with django_capture_on_commit_callbacks(execute=True):
            for slot in (first_slot, second_slot):
                response = bram.post(
                    reverse("medical:plan", args=[employee.pk]),
                    {"slot": slot.pk, "kind": "spreekuur", "reason": REASON},
                )
                assert response.status_code == 302
        first, second = Consultation.objects.order_by("starts_at")
        assert sorted(m.to[0] for m in mailoutbox) == [
            "eva@example.nl",
            "eva@example.nl",
            "hr@example.nl",
            "hr@example.nl",
        ]

        # After the consultations: held, a note, advice.
        clock.move_to(dt.datetime(2027, 3, 1, 10, 5, tzinfo=dt.UTC))
        bram = login(doctor_bram)
        for consultation in (first, second):
            assert bram.post(reverse("medical:held", args=[consultation.pk])).status_code == 302
        bram.post(
            reverse("medical:add_note", args=[employee.pk]),
            {"kind": "bevindingen", "body": NOTE, "consultation": first.pk, "next": "file"},
        )
        bram.post(reverse("medical:save_advice", args=[first.pk]), _advice("FIRST"))
        assert "FIRST-kan zittend werk" not in _employer_views(hr_wim, api, employee)  # not yet released
        bram.post(reverse("medical:release_advice", args=[first.pk]), {"confirmed": "1"})

        # Released: the employer and the employee see it, with one and the same moment.
        advice = ConsultationAdvice.objects.get(consultation=first)
        assert advice.employer_released_at == advice.employee_released_at is not None
        employer_text = _employer_views(hr_wim, api, employee)
        eva_page = login(employee_eva).get(reverse("medical:mine")).content.decode()
        for text in (employer_text, eva_page):
            assert "FIRST-niet traplopen" in text
        for secret in (REASON, NOTE):
            assert secret not in employer_text
        assert "1 maart 2027 11:05" in employer_text  # the release moment, local time

        # Review first: the employer sees nothing until the employee has seen it.
        bram.post(reverse("medical:save_advice", args=[second.pk]), _advice("SECOND", review=True))
        bram.post(reverse("medical:release_advice", args=[second.pk]), {"confirmed": "1"})
        assert "SECOND-niet traplopen" in login(employee_eva).get(reverse("medical:mine")).content.decode()
        assert "SECOND-niet traplopen" not in _employer_views(hr_wim, api, employee)
        clock.move_to(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC))
        second_advice = ConsultationAdvice.objects.get(consultation=second)
        eva = login(employee_eva)
        assert (
            eva.post(
                reverse("medical:mine_advice_seen", args=[second_advice.pk]), {"response": "Akkoord"}
            ).status_code
            == 302
        )
        assert "SECOND-niet traplopen" in _employer_views(hr_wim, api, employee)
        second_advice.refresh_from_db()
        assert second_advice.employer_released_at == second_advice.employee_seen_at

        # A preventive consultation on Tuesday: no trace for the employer, anywhere.
        bram = login(doctor_bram)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            bram.post(
                reverse("medical:plan", args=[employee.pk]),
                {
                    "doctor": doctor_bram.pk,
                    "starts_at": "2027-03-02T14:00",
                    "ends_at": "2027-03-02T14:30",
                    "kind": "preventief",
                    "mode": "telefoon",
                    "reason": "CANARY-E2E-prevention-reason",
                },
            )
        preventive = Consultation.objects.get(kind=Consultation.Kind.PREVENTIVE)
        assert [m.to for m in mailoutbox] == [["eva@example.nl"]]
        views = _employer_views(hr_wim, api, employee)
        assert "2 maart 2027" not in views  # not even the planned appointment
        assert "02-03-2027" not in views
        clock.move_to(dt.datetime(2027, 3, 2, 13, 45, tzinfo=dt.UTC))
        bram = login(doctor_bram)
        bram.post(reverse("medical:held", args=[preventive.pk]))
        bram.post(reverse("medical:save_advice", args=[preventive.pk]), _advice("PREVENTIVE"))
        bram.post(reverse("medical:release_advice", args=[preventive.pk]), {"confirmed": "1"})

        assert (
            "PREVENTIVE-niet traplopen" in login(employee_eva).get(reverse("medical:mine")).content.decode()
        )
        employer_text = _employer_views(hr_wim, api, employee)
        for trace in (
            "PREVENTIVE-",
            "CANARY-E2E-prevention",
            "2 maart 2027",
            "02-03-2027",
            "2027-03-02",
            "reventie",
            "arbeidsomstandigheden",
        ):
            assert trace not in employer_text, trace
        assert "FIRST-niet traplopen" in employer_text  # the page itself still works
