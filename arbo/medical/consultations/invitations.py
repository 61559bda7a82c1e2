"""Invitation letters (PDF), inbox letters, notice e-mails and iCalendar files for a consultation.

What an invitation holds, and all it holds: date, time, how and where (or the video link), the
doctor's name, the employee's name and address (on the letter) and a link to the portal. Never the
reason or anything else medical, never the kind of consultation (a preventive consultation looks
like any other appointment). The invitation itself reaches the employee in the portal inbox
(:func:`arbo.portal.inbox.deliver`); the e-mail only says that a message is waiting, with a link,
and carries no doctor's name, no kind of consultation, no video link and no attachment (issue 16;
the calendar file is a download in the portal). A regular consultation (asked for in the absence
process) also tells the employer, in its inbox, the day and time of the appointment and nothing
else (seed 004); a preventive or other consultation goes to the employee only.

Mails and letters leave after the transaction commits (``transaction.on_commit``): a rolled-back
booking sends nothing.
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
from arbo.lib.dates import show_date
from arbo.medical.models import Consultation, Mode
from arbo.portal.inbox import deliver

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


def _notice(to: list[str], base_url: str, *, employer: bool) -> EmailMessage:
    """The e-mail that says a message waits in the portal: nothing more."""
    subject = _("Er staat een bericht voor u klaar") if employer else _("Er staat een bericht voor je klaar")
    body = render_to_string(
        "medical/mail/notice.txt", {"inbox_url": base_url + reverse("portal:inbox"), "employer": employer}
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def _employer_users(consultation: Consultation) -> list[User]:
    users = User.objects.filter(
        kind=User.Kind.EMPLOYER,
        is_active=True,
        employer_memberships__employer__employments__employee=consultation.employee,
    ).distinct()
    return [u for u in users if can_receive_release(u, consultation.employee)]


def messages(consultation: Consultation, *, base_url: str = "") -> list[EmailMessage]:
    """The notice mails of an invitation or cancellation (not sent): to the employee, and to the
    employer's users only when the consultation is regular."""
    result = []
    if consultation.employee.email:
        result.append(_notice([consultation.employee.email], base_url, employer=False))
    if consultation.reaches_employer:
        recipients = _employer_recipients(consultation)
        if recipients:
            result.append(_notice(recipients, base_url, employer=True))
    return result


def _letters(consultation: Consultation, base_url: str) -> None:
    """The invitation in the employee's inbox; for a regular consultation, its day and time in the
    inbox of the employer's users. One letter per version of the appointment."""
    invitation = invitation_for(consultation, base_url=base_url)
    version = f"{consultation.pk}:{consultation.sequence}:{consultation.status}"
    date = show_date(invitation.starts_at)
    account = consultation.employee.user
    if account is not None:
        subject = (
            _("Afspraak met de bedrijfsarts op %(date)s geannuleerd")
            if invitation.cancelled
            else _("Uitnodiging: afspraak met de bedrijfsarts op %(date)s")
        ) % {"date": date}
        deliver(
            recipient=account,
            employee=consultation.employee,
            subject=subject,
            body=render_to_string("medical/mail/invitation.txt", {"invitation": invitation, "copy": False}),
            source=f"medical.invitation:{version}",
            sender_label=str(_("Arbodienst")),
            by=None,
        )
    if consultation.reaches_employer:
        for user in _employer_users(consultation):
            deliver(
                recipient=user,
                employee=consultation.employee,
                subject=_("Ter informatie: afspraak van %(name)s op %(date)s")
                % {"name": invitation.employee_name, "date": date},
                body=render_to_string(
                    "medical/mail/invitation.txt", {"invitation": invitation, "copy": True}
                ),
                source=f"medical.invitation:{version}",
                sender_label=str(_("Arbodienst")),
                by=None,
            )


def _send(consultation_id: int, base_url: str) -> None:
    consultation = Consultation.objects.select_related("employee", "doctor", "employee__user").get(
        pk=consultation_id
    )
    _letters(consultation, base_url)
    for message in messages(consultation, base_url=base_url):
        message.send()


def send_invitation_on_commit(consultation: Consultation, *, base_url: str = "") -> None:
    transaction.on_commit(partial(_send, consultation.pk, base_url))


def send_cancellation_on_commit(consultation: Consultation, *, base_url: str = "") -> None:
    # The same mails: the consultation's status makes them a cancellation.
    transaction.on_commit(partial(_send, consultation.pk, base_url))
