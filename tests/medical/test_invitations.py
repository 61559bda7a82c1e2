"""Invitations: a letter in the inbox, a notice e-mail, a PDF letter and a calendar download; no medical\ncontent; preventive to the employee only."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from arbo.audit.models import AuditEvent
from arbo.medical.consultations import domain as dc
from arbo.medical.models import Consultation, Mode
from arbo.portal.models import InboxMessage
from tests import factories as f
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)  # after the fixtures' real dates
START = dt.datetime(2027, 3, 3, 9, 30, tzinfo=dt.UTC)  # 10:30 in Amsterdam
REASON = "CANARY-C-reason-invitation"


@pytest.fixture
def invitees(treated, employer_a, hr_wim):  # type: ignore[no-untyped-def]
    treated.email = "werknemer@example.nl"
    treated.save()
    hr_wim.email = "hr@bakkerij.example.nl"
    hr_wim.save()
    return treated


def _plan(doctor, employee, kind, capture, **kwargs) -> Consultation:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False), capture(execute=True):
        return dc.plan_consultation(
            employee,
            doctor=doctor,
            starts_at=START,
            ends_at=START + dt.timedelta(minutes=30),
            kind=kind,
            reason=REASON,
            by=doctor,
            **kwargs,
        )


def test_regular_invitation_reaches_the_inboxes_and_the_mails_only_say_so(
    doctor_bram, invitees, employee_eva, hr_wim, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _plan(
        doctor_bram,
        invitees,
        Consultation.Kind.REGULAR,
        django_capture_on_commit_callbacks,
        location="Utrecht, Stationsplein 1",
    )

    employee_mail, employer_mail = mailoutbox
    [employee_letter] = InboxMessage.objects.filter(recipient=employee_eva)
    [employer_letter] = InboxMessage.objects.filter(recipient=hr_wim)
    assert (employee_mail.to, employer_mail.to) == (["werknemer@example.nl"], ["hr@bakkerij.example.nl"])
    for message in mailoutbox:
        text = message.subject + message.body
        assert message.attachments == []
        assert "/portal/inbox/" in message.body
        for secret in (REASON, "10:30", "3 maart 2027", "Utrecht", doctor_bram.get_full_name(), "spreekuur"):
            assert secret not in text
    assert "3 maart 2027" in employee_letter.subject
    assert "10:30" in employee_letter.body
    assert "Utrecht, Stationsplein 1" in employee_letter.body
    assert doctor_bram.get_full_name() in employee_letter.body
    # The employer learns the day and time (seed 004), not the doctor, the place or the kind.
    assert "10:30" in employer_letter.body
    for secret in (doctor_bram.get_full_name(), "Utrecht", "spreekuur verzuimbegeleiding", REASON):
        assert secret not in employer_letter.body


def test_the_calendar_file_is_a_download_in_the_portal(
    doctor_bram, invitees, employee_eva, django_capture_on_commit_callbacks
) -> None:
    consultation = _plan(doctor_bram, invitees, Consultation.Kind.REGULAR, django_capture_on_commit_callbacks)

    response = login(employee_eva).get(reverse("medical:invitation_ics", args=[consultation.pk]))

    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["UID"] == f"consultation-{consultation.pk}@arbodossier"
    assert event.decoded("DTSTART") == START


def test_preventive_invitation_goes_to_the_employee_only(
    doctor_bram, invitees, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _plan(doctor_bram, invitees, Consultation.Kind.PREVENTIVE, django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["werknemer@example.nl"]]
    message = mailoutbox[0]
    assert "preventief" not in (message.subject + message.body).lower()
    assert REASON not in message.body


def test_a_manager_of_another_department_gets_no_copy(
    doctor_bram, invitees, employer_a, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    department = f.DepartmentFactory(employer=employer_a)
    manager = f.make_employer_user(employer_a, email="manager@bakkerij.example.nl")
    manager.employer_memberships.get().departments.add(department)

    _plan(doctor_bram, invitees, Consultation.Kind.REGULAR, django_capture_on_commit_callbacks)

    assert ["manager@bakkerij.example.nl"] not in [m.to for m in mailoutbox]
    assert all("manager@bakkerij.example.nl" not in m.to for m in mailoutbox)


def test_cancellation_reaches_the_inbox_as_a_new_letter(
    doctor_bram, invitees, employee_eva, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = _plan(
        doctor_bram, invitees, Consultation.Kind.PREVENTIVE, django_capture_on_commit_callbacks
    )
    mailoutbox.clear()

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        dc.cancel_consultation(consultation, by=doctor_bram)

    [message] = mailoutbox
    cancelled, invited = InboxMessage.objects.filter(recipient=employee_eva).order_by("-id")
    assert "geannuleerd" in cancelled.subject
    assert "Uitnodiging" in invited.subject
    assert message.attachments == []
    assert "geannuleerd" not in message.subject


def test_no_mail_when_the_booking_rolls_back(doctor_bram, invitees, mailoutbox) -> None:
    # Without running the on-commit callbacks nothing is sent: a failed transaction mails nobody.
    with time_machine.travel(NOW, tick=False):
        dc.plan_consultation(
            invitees,
            doctor=doctor_bram,
            starts_at=START,
            ends_at=START + dt.timedelta(minutes=30),
            by=doctor_bram,
        )

    assert mailoutbox == []


def test_invitation_pdf_and_ics_downloads_hold_no_medical_content(
    doctor_bram, invitees, casemanager_carla, django_capture_on_commit_callbacks
) -> None:
    consultation = _plan(
        doctor_bram,
        invitees,
        Consultation.Kind.REGULAR,
        django_capture_on_commit_callbacks,
        mode=Mode.VIDEO,
        video_link="https://video.example.nl/r/abc",
    )
    client = login(casemanager_carla)  # reads B (the regular appointment), not C (the reason)

    pdf = client.get(reverse("medical:invitation_pdf", args=[consultation.pk]))
    ics = client.get(reverse("medical:invitation_ics", args=[consultation.pk]))

    assert pdf.status_code == ics.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert invitees.full_name in text
    assert "https://video.example.nl/r/abc" in text
    assert REASON not in text
    assert REASON.encode() not in pdf.content
    assert REASON not in ics.content.decode()
    assert (
        AuditEvent.objects.filter(event="medical.invitation_printed", action="print", category="D").count()
        == 1
    )


def test_the_employee_downloads_their_own_ics_but_not_someone_elses(
    doctor_bram, invitees, employee_eva, treated_b, django_capture_on_commit_callbacks
) -> None:
    own = _plan(doctor_bram, invitees, Consultation.Kind.PREVENTIVE, django_capture_on_commit_callbacks)
    with time_machine.travel(NOW, tick=False):
        other = dc.plan_consultation(
            treated_b,
            doctor=doctor_bram,
            starts_at=START + dt.timedelta(hours=1),
            ends_at=START + dt.timedelta(hours=1, minutes=30),
            by=doctor_bram,
            notify=False,
        )
    client = login(employee_eva)

    assert client.get(reverse("medical:invitation_ics", args=[own.pk])).status_code == 200
    assert client.get(reverse("medical:invitation_ics", args=[other.pk])).status_code == 404
