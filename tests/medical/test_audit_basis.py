"""Issue 10: the reads that recorded a wrong NEN 7513 basis now record the reader's real one, and
the address and user agent come from the request context, not from an ``HttpRequest`` argument."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from arbo.access.auditing import record_access
from arbo.audit import context, log
from arbo.audit.models import AuditEvent
from tests.medical.conftest import dangerously_create_consultation, login

pytestmark = pytest.mark.django_db


def _planned(employee, doctor):  # type: ignore[no-untyped-def]
    from arbo.medical.models import Consultation

    return dangerously_create_consultation(
        employee,
        doctor,
        status=Consultation.Status.PLANNED,
        starts_at=timezone.now() + dt.timedelta(days=2),
    )


def test_the_treating_doctor_reading_the_appointments_on_the_employee_page_is_treatment(
    doctor_bram, treated
) -> None:
    _planned(treated, doctor_bram)

    page = login(doctor_bram).get(reverse("registry:employee_medical", args=[treated.pk]))

    assert page.status_code == 200
    record = AuditEvent.objects.get(event="medical.appointments_viewed", subject_id=treated.pk)
    assert record.basis == log.Basis.TREATMENT  # was hard-coded "authorisation"


def test_the_invitation_printed_by_the_treating_doctor_is_treatment_by_the_casemanager_authorisation(
    doctor_bram, casemanager_carla, treated
) -> None:
    consultation = _planned(treated, doctor_bram)

    for user in (doctor_bram, casemanager_carla):
        assert login(user).get(reverse("medical:invitation_pdf", args=[consultation.pk])).status_code == 200

    bases = dict(
        AuditEvent.objects.filter(event="medical.invitation_printed").values_list("actor__username", "basis")
    )
    assert bases == {
        doctor_bram.username: log.Basis.TREATMENT,
        casemanager_carla.username: log.Basis.AUTHORISATION,
    }


def test_a_record_carries_the_address_and_user_agent_of_the_request_it_was_written_in(
    doctor_bram, treated
) -> None:
    _planned(treated, doctor_bram)

    login(doctor_bram).get(
        reverse("registry:employee_medical", args=[treated.pk]),
        REMOTE_ADDR="192.0.2.7",
        HTTP_USER_AGENT="Firefox/1\x00",
    )

    record = AuditEvent.objects.get(event="medical.appointments_viewed")
    assert (record.ip_address, record.user_agent) == ("192.0.2.7", "Firefox/1\ufffd")


def test_outside_a_request_a_record_has_no_address_unless_one_is_bound(doctor_bram, treated) -> None:
    outside = record_access(doctor_bram, log.Action.READ, "medical.notes_viewed", treated)
    point = context.AccessPoint(ip_address="198.51.100.1", user_agent="job")
    with context.bound(point), context.acting_for("hanna.hr"):
        inside = record_access(doctor_bram, log.Action.READ, "medical.notes_viewed", treated)

    assert (outside.ip_address, outside.user_agent, outside.on_behalf_of) == (None, "", "")
    assert (inside.ip_address, inside.user_agent, inside.on_behalf_of) == ("198.51.100.1", "job", "hanna.hr")
    assert outside.category == inside.category == "C"  # from the event registry
    assert outside.basis == log.Basis.TREATMENT
