"""Writes of the register of processors and of supplier support access (audited)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.privacy.processors.models import EEA, MAX_WINDOW, Processor, SupportEngineer, SupportWindow

PROCESSOR_FIELDS = (
    "name",
    "services",
    "agreement_signed_on",
    "agreement_ends_on",
    "certifications",
    "sub_processors",
    "locations",
    "contact",
    "active",
)


def check_locations(locations: Sequence[str]) -> list[str]:
    codes = [code.strip().upper() for code in locations if code.strip()]
    if not codes:
        raise DomainError(_("Geef aan in welke landen de gegevens worden verwerkt."), field="locations")
    outside = [code for code in codes if code not in EEA]
    if outside:
        raise DomainError(
            _("Verwerking buiten de EER is niet toegestaan (%(codes)s).") % {"codes": ", ".join(outside)},
            field="locations",
        )
    return codes


def save_processor(
    processor: Processor | None, *, by: User, request: HttpRequest | None = None, **fields: object
) -> Processor:
    """Create or update a processor agreement; the data must stay inside the EEA."""
    fields["locations"] = check_locations(fields.get("locations") or [])  # type: ignore[arg-type]
    signed, ends = fields.get("agreement_signed_on"), fields.get("agreement_ends_on")
    if isinstance(signed, dt.date) and isinstance(ends, dt.date) and ends < signed:
        raise DomainError(
            _("De overeenkomst kan niet eindigen vóór ze is getekend."), field="agreement_ends_on"
        )
    creating = processor is None
    with transaction.atomic():
        processor = processor or Processor()
        changed = [
            name
            for name in PROCESSOR_FIELDS
            if name in fields and getattr(processor, name, None) != fields[name]
        ]
        for name in PROCESSOR_FIELDS:
            if name in fields:
                setattr(processor, name, fields[name])
        processor.save()
        log.record(
            by,
            log.Action.CREATE if creating else log.Action.UPDATE,
            "privacy.processor_saved",
            obj=processor,
            request=request,
            data={"fields": changed},
        )
    return processor


def grant_support_window(
    processor: Processor,
    *,
    by: User,
    ticket: str,
    reason: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    engineer: SupportEngineer | None = None,
    new_username: str = "",
    new_name: str = "",
    new_email: str = "",
    request: HttpRequest | None = None,
) -> tuple[SupportWindow, str]:
    """Open a time-boxed window for a supplier's engineer (an existing one, or a new account).

    Returns the window and, for a new account, its one-time password (shown once to the privacy
    officer to pass on; the engineer enrols a second factor at the first login).
    """
    if not processor.active or not processor.agreement_in_force():
        raise DomainError(_("Deze verwerker heeft geen geldige verwerkersovereenkomst."))
    if not ticket.strip():
        raise DomainError(_("Geef het ticketnummer."), field="ticket")
    if len(reason.strip()) < 10:
        raise DomainError(_("Geef de reden (minstens 10 tekens)."), field="reason")
    if ends_at <= starts_at:
        raise DomainError(_("Het venster moet eindigen na het begin."), field="ends_at")
    if ends_at - starts_at > MAX_WINDOW:
        raise DomainError(_("Een venster duurt hooguit acht uur."), field="ends_at")
    if ends_at <= timezone.now():
        raise DomainError(_("Het venster ligt al in het verleden."), field="ends_at")
    if engineer is not None and engineer.processor_id != processor.pk:
        raise DomainError(_("Deze medewerker werkt niet voor deze verwerker."), field="engineer")
    if engineer is None:
        if not new_username.strip() or not new_name.strip():
            raise DomainError(
                _("Kies een medewerker van de leverancier of maak een account aan."), field="engineer"
            )
        if User.objects.filter(username__iexact=new_username.strip()).exists():
            raise DomainError(_("Deze gebruikersnaam bestaat al."), field="new_username")
    password = ""
    with transaction.atomic():
        if engineer is None:
            first, _sep, last = new_name.strip().partition(" ")
            user = User(
                username=new_username.strip(),
                first_name=first,
                last_name=last,
                email=new_email.strip(),
                kind=User.Kind.SUPPLIER,
            )
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            engineer = SupportEngineer.objects.create(user=user, processor=processor)
            log.record(by, log.Action.CREATE, "privacy.support_account_created", obj=user, request=request)
        window = SupportWindow.objects.create(
            engineer=engineer,
            ticket=ticket.strip()[:60],
            reason=reason.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            granted_by=by,
            granted_at=timezone.now(),
        )
        log.record(
            by,
            log.Action.CREATE,
            "privacy.support_window_granted",
            obj=window,
            request=request,
            data={"engineer": engineer.user_id, "ticket": window.ticket},
        )
    return window, password


def revoke_support_window(window: SupportWindow, *, by: User, request: HttpRequest | None = None) -> None:
    if window.revoked_at is not None or window.ends_at <= timezone.now():
        raise DomainError(_("Dit venster is al gesloten."))
    with transaction.atomic():
        window.revoked_at = timezone.now()
        window.save(update_fields=["revoked_at"])
        log.record(by, log.Action.UPDATE, "privacy.support_window_revoked", obj=window, request=request)


def support_home_window(user: User) -> SupportWindow | None:
    """The engineer's current window for their home page; the visit audited."""
    window = SupportWindow.objects.current().filter(engineer__user=user).first()
    log.record(user, log.Action.READ, "privacy.support_home_viewed")
    return window
