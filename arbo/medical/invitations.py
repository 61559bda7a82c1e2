"""Invitation letters (PDF), e-mails and iCalendar files for a consultation.

What they hold, and all they hold: date, time, how and where (or the video link), the doctor's
name, the employee's name and address (on the letter) and a link to the portal. Never the reason
or anything else medical, never the kind of consultation (a preventive consultation looks like
any other appointment). The invitation goes to the employee; a regular consultation (asked for in
the absence process) also sends the employer a copy without calendar file. A preventive or other
consultation goes to the employee only (seed 004).

Mails leave after the transaction commits (``transaction.on_commit``): a rolled-back booking
sends nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.policy import can_receive_release
from arbo.identity.models import User
from arbo.medical.models import Consultation, Mode

PRODID = "-//Arbodossier//Spreekuur//NL"


@dataclass(frozen=True)
class Invitation:
    """Everything an invitation may say: built here, so no template can reach for more."""

    pk: int
    employee_name: str
    employee_address: str
    doctor_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str
    mode_label: str
    location: str
    video_link: str
    portal_url: str
    cancelled: bool
    sequence: int

    @property
    def place(self) -> str:
        if self.mode == Mode.VIDEO:
            return self.video_link
        if self.mode == Mode.PHONE:
            return _("De arts belt je op het telefoonnummer dat bij ons bekend is.")
        return self.location


def invitation_for(consultation: Consultation, *, base_url: str = "") -> Invitation:
    employee = consultation.employee
    return Invitation(
        pk=consultation.pk,
        employee_name=employee.full_name,
        employee_address=employee.address_line,
        doctor_name=consultation.doctor.get_full_name() or str(consultation.doctor),
        starts_at=timezone.localtime(consultation.starts_at),
        ends_at=timezone.localtime(consultation.ends_at),
        mode=consultation.mode,
        mode_label=str(consultation.get_mode_display()),
        location=consultation.location,
        video_link=consultation.video_link,
        portal_url=base_url + reverse("medical:mine"),
        cancelled=consultation.status == Consultation.Status.CANCELLED,
        sequence=consultation.sequence,
    )


def ics(invitation: Invitation) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if invitation.cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"consultation-{invitation.pk}@arbodossier")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", invitation.starts_at.astimezone(dt.UTC))
    event.add("dtend", invitation.ends_at.astimezone(dt.UTC))
    event.add("sequence", invitation.sequence)
    event.add("summary", _("Afspraak met de bedrijfsarts"))
    event.add("location", invitation.place)
    event.add(
        "description",
        _("Afspraak met %(doctor)s (%(mode)s). Meer informatie: %(url)s")
        % {"doctor": invitation.doctor_name, "mode": invitation.mode_label, "url": invitation.portal_url},
    )
    event.add("status", "CANCELLED" if invitation.cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def pdf(invitation: Invitation) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — heavy import (WeasyPrint): only when a letter is printed

    html = render_to_string(
        "medical/invitation_letter.html", {"invitation": invitation, "today": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()


def _employer_recipients(consultation: Consultation) -> list[str]:
    users = User.objects.filter(
        kind=User.Kind.EMPLOYER,
        is_active=True,
        employer_memberships__employer__employments__employee=consultation.employee,
    ).exclude(email="")
    return sorted({u.email for u in users.distinct() if can_receive_release(u, consultation.employee)})


def messages(consultation: Consultation, *, base_url: str = "") -> list[EmailMessage]:
    """The mails of an invitation or cancellation (not sent): to the employee, and a copy for the
    employer only when the consultation is regular."""
    invitation = invitation_for(consultation, base_url=base_url)
    result = []
    employee_email = consultation.employee.email
    if employee_email:
        subject = (
            _("Afspraak met de bedrijfsarts op %(date)s geannuleerd")
            if invitation.cancelled
            else _("Uitnodiging: afspraak met de bedrijfsarts op %(date)s")
        ) % {"date": f"{invitation.starts_at:%d-%m-%Y}"}
        body = render_to_string("medical/mail/invitation.txt", {"invitation": invitation, "copy": False})
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [employee_email])
        method = "CANCEL" if invitation.cancelled else "REQUEST"
        message.attach("afspraak.ics", ics(invitation), f"text/calendar; method={method}; charset=utf-8")
        result.append(message)
    if consultation.reaches_employer:
        recipients = _employer_recipients(consultation)
        if recipients:
            subject = _("Ter informatie: afspraak van %(name)s met de bedrijfsarts") % {
                "name": invitation.employee_name
            }
            body = render_to_string("medical/mail/invitation.txt", {"invitation": invitation, "copy": True})
            result.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    return result


def _send(consultation_id: int, base_url: str) -> None:
    consultation = Consultation.objects.select_related("employee", "doctor").get(pk=consultation_id)
    for message in messages(consultation, base_url=base_url):
        message.send()


def send_invitation_on_commit(consultation: Consultation, *, base_url: str = "") -> None:
    transaction.on_commit(partial(_send, consultation.pk, base_url))


def send_cancellation_on_commit(consultation: Consultation, *, base_url: str = "") -> None:
    # The same mails: the consultation's status makes them a cancellation.
    transaction.on_commit(partial(_send, consultation.pk, base_url))
