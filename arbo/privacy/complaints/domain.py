"""Writes of the complaints procedure: file, assign, acknowledge, extend, decide.

Validation first, then one transaction with the audit record; a :class:`DomainError` changes
nothing. Letters to the complainant (acknowledgement, extension notice, decision) go to the
portal inbox when the complainant has a portal account.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arbo.access.policy import is_employee_user, is_staff_user
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.portal import inbox
from arbo.privacy.complaints import terms
from arbo.privacy.complaints.models import Complaint
from arbo.privacy.office import office
from arbo.registry.models import Employee

MIN_TEXT = 10


def file_complaint(
    *,
    by: User,
    kind: str,
    description: str,
    received_on: dt.date | None = None,
    complainant: Employee | None = None,
    complainant_name: str = "",
    complainant_contact: str = "",
    about: User | None = None,
    handler: User | None = None,
    language: str = "nl",
) -> Complaint:
    """Register a complaint: from the portal (``by`` is the employee) or by staff."""
    today = timezone.localdate()
    received_on = received_on or today
    if kind not in Complaint.Kind.values:
        raise DomainError(_("Kies de soort klacht."), field="kind")
    if len(description.strip()) < MIN_TEXT:
        raise DomainError(_("Beschrijf de klacht (minstens 10 tekens)."), field="description")
    if received_on > today:
        raise DomainError(_("De ontvangstdatum kan niet in de toekomst liggen."), field="received_on")
    if complainant is None and not complainant_name.strip():
        raise DomainError(_("Vul de naam van de klager in."), field="complainant_name")
    if about is not None and not is_staff_user(about):
        raise DomainError(
            _("Een klacht over de zorg gaat over een medewerker van de arbodienst."), field="about"
        )
    if handler is not None and about is not None and handler.pk == about.pk:
        raise DomainError(_("Wie de klacht betreft, kan haar niet zelf behandelen."), field="handler")
    portal = is_employee_user(by)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            kind=kind,
            channel=Complaint.Channel.PORTAL if portal else Complaint.Channel.STAFF,
            complainant=complainant,
            complainant_name=complainant_name.strip(),
            complainant_contact=complainant_contact.strip(),
            received_on=received_on,
            language=language if language in dict(settings.LANGUAGES) else "nl",
            description=description.strip(),
            about=about,
            handler=handler,
            registered_by=by,
            due_on=terms.initial_due(kind, received_on),
        )
        log.record(
            by,
            log.Action.CREATE,
            "privacy.complaint_filed",
            subject=complainant,
            obj=complaint,
            category="BD",
            basis=log.Basis.SELF if portal else log.Basis.AUTHORISATION,
            data={"kind": kind},
        )
    return complaint


def assign_handler(
    complaint: Complaint,
    *,
    handler: User,
    about: User | None = None,
    by: User,
) -> Complaint:
    """Appoint the complaints officer (and record whom the complaint is about). The handler gets a
    content-free e-mail that a complaint waits."""
    _open(complaint)
    if not is_staff_user(handler) or not handler.is_active:
        raise DomainError(_("Kies een medewerker als klachtenfunctionaris."), field="handler")
    about = about or complaint.about
    if about is not None and about.pk == handler.pk:
        raise DomainError(_("Wie de klacht betreft, kan haar niet zelf behandelen."), field="handler")
    with transaction.atomic():
        complaint.handler = handler
        complaint.about = about
        complaint.save(update_fields=["handler", "about"])
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.complaint_assigned",
            subject=complaint.complainant,
            obj=complaint,
            category="D",
        )
    if handler.email:
        send_mail(
            _("Arbodossier: een klacht om te behandelen"),
            _("Er is een klacht aan je toegewezen. Bekijk haar na het inloggen: %(url)s")
            % {"url": reverse("privacy:complaint_detail", args=[complaint.pk])},
            settings.DEFAULT_FROM_EMAIL,
            [handler.email],
        )
    return complaint


def acknowledge(complaint: Complaint, *, by: User) -> Complaint:
    """Confirm receipt to the complainant, with the decision date."""
    _open(complaint)
    if complaint.acknowledged_on is not None:
        raise DomainError(_("De ontvangst is al bevestigd."))
    with transaction.atomic():
        complaint.acknowledged_on = timezone.localdate()
        complaint.status = Complaint.Status.ACKNOWLEDGED
        complaint.save(update_fields=["acknowledged_on", "status"])
        _letter(complaint, "acknowledgement", by=by)
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.complaint_acknowledged",
            subject=complaint.complainant,
            obj=complaint,
            category="D",
        )
    return complaint


def extend(complaint: Complaint, *, by: User, new_due_on: dt.date, reason: str) -> Complaint:
    """Move the decision date once, within the legal maximum, before the term has ended, with notice."""
    _open(complaint)
    today = timezone.localdate()
    if complaint.extended_on is not None:
        raise DomainError(_("De termijn is al eens verlengd; dat kan maar één keer."), field="new_due_on")
    if today > complaint.due_on:
        raise DomainError(
            _("De termijn is al verstreken; verlengen moet vóór de uiterste beslisdatum."), field="new_due_on"
        )
    latest = terms.latest_extension(complaint.kind, complaint.received_on)
    if not complaint.due_on < new_due_on <= latest:
        raise DomainError(
            _("De nieuwe datum moet na %(due)s liggen en uiterlijk op %(latest)s.")
            % {"due": show_date(complaint.due_on), "latest": show_date(latest)},
            field="new_due_on",
        )
    if len(reason.strip()) < MIN_TEXT:
        raise DomainError(_("Geef de reden van de verlenging (minstens 10 tekens)."), field="reason")
    with transaction.atomic():
        complaint.extended_on = today
        complaint.extension_reason = reason.strip()
        complaint.due_on = new_due_on
        complaint.save(update_fields=["extended_on", "extension_reason", "due_on"])
        _letter(complaint, "extension", by=by)
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.complaint_extended",
            subject=complaint.complainant,
            obj=complaint,
            category="D",
        )
    return complaint


def decide(complaint: Complaint, *, by: User, upheld: bool, outcome: str) -> Complaint:
    """Record the reasoned decision and send the outcome letter."""
    _open(complaint)
    if len(outcome.strip()) < MIN_TEXT:
        raise DomainError(_("Schrijf het oordeel met de maatregelen (minstens 10 tekens)."), field="outcome")
    with transaction.atomic():
        complaint.decided_on = timezone.localdate()
        complaint.outcome = outcome.strip()
        complaint.upheld = upheld
        complaint.status = Complaint.Status.DECIDED
        complaint.save(update_fields=["decided_on", "outcome", "upheld", "status"])
        _letter(complaint, "decision", by=by)
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.complaint_decided",
            subject=complaint.complainant,
            obj=complaint,
            category="BD",
        )
    return complaint


def _letter(complaint: Complaint, which: str, *, by: User) -> None:
    employee = complaint.complainant
    user = employee.user if employee is not None else None
    if user is None or not user.is_active:
        return
    with translation.override(complaint.language):
        subjects = {
            "acknowledgement": _("Ontvangstbevestiging van je klacht"),
            "extension": _("De behandeling van je klacht duurt langer"),
            "decision": _("Het oordeel over je klacht"),
        }
        body = render_to_string(
            f"privacy/complaints/letter_{which}.txt", {"complaint": complaint, "office": office()}
        )
    inbox.deliver(
        recipient=user,
        employee=employee,
        subject=f"{subjects[which]} ({complaint.reference})",
        body=body,
        source=f"privacy.complaint:{complaint.pk}:{which}",
        sender_label=office()["name"],
        by=by,
    )


def _open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise DomainError(_("Deze klacht is afgehandeld."))
