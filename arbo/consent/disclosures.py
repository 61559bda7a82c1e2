"""Disclosure packages: what leaves the arbodienst for one recipient about one person.

Composing offers an item only when the recipient's profile names it, its ground holds (a valid
consent where the profile needs one), the person is not restricted, and the composer's own
function may read the item's category; every other item is refused with its reason. The package
is read through the owning apps (audited there), sealed with the person's data key, registered
(:class:`~arbo.consent.models.Disclosure`, audited ``consent.disclosed``) and delivered through a
secure channel: an expiring link whose one-time code the composer passes on separately, or the
recipient's portal inbox. The e-mail only says that something is waiting.

This module sits above the data apps (it reads them); :mod:`arbo.consent.domain` is the leaf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access import policy
from arbo.access.auditing import record_access
from arbo.access.matrix import Action
from arbo.access.policy import can, employees_visible_to, is_staff_user
from arbo.audit import log
from arbo.consent.domain import record_consent
from arbo.consent.items import ITEMS, read_item
from arbo.consent.models import Consent, Disclosure, Ground, RecipientProfile
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.medical import keys
from arbo.portal.inbox import deliver
from arbo.registry.models import Employee, Organisation

#: How long a download link stays valid, and how many wrong codes close it.
LINK_VALID = dt.timedelta(days=7)
MAX_CODE_ATTEMPTS = 5


def is_restricted(employee: Employee) -> bool:
    """Restriction of processing (AVG art. 18): the one place this app asks ``access.policy``."""
    return policy.is_restricted(employee)


@dataclass(frozen=True)
class Offer:
    """What a composer may put in a package for this recipient and person, and what not (why)."""

    profile: RecipientProfile
    consent: Consent | None
    allowed: list[str]
    refused: dict[str, str]

    @property
    def allowed_labels(self) -> list[tuple[str, str]]:
        return [(key, str(ITEMS[key].label)) for key in self.allowed]

    @property
    def refused_labels(self) -> list[tuple[str, str]]:
        return [(str(ITEMS[key].label) if key in ITEMS else key, why) for key, why in self.refused.items()]


def composable_employee(user: User, employee_id: int) -> Employee:
    """An employee the user may see; 404 otherwise (the same answer as for one that does not exist)."""
    employee = employees_visible_to(user).filter(pk=employee_id).first()
    if employee is None or not is_staff_user(user):
        raise Http404
    return employee


def valid_consent(employee: Employee, recipient: Organisation) -> Consent | None:
    return (
        Consent.objects.valid()
        .filter(employee=employee, recipient=recipient, kind=Consent.Kind.DISCLOSURE)
        .order_by("-given_at")
        .first()
    )


def offer(user: User, employee: Employee, recipient: Organisation) -> Offer:
    """What may go to ``recipient`` about ``employee``; a :class:`DomainError` when nothing may.

    Reads nothing of the person's data: it only decides.
    """
    profile = RecipientProfile.objects.filter(kind=recipient.kind).first()
    if profile is None:
        raise DomainError(
            _("Voor dit soort ontvanger is geen profiel vastgelegd: er mag niets naartoe."), field="recipient"
        )
    if not recipient.active:
        raise DomainError(_("Deze ontvanger is niet meer actief."), field="recipient")
    if not profile.person_packages:
        raise DomainError(
            _("Deze ontvanger krijgt alleen groepscijfers, nooit gegevens over één persoon."),
            field="recipient",
        )
    if is_restricted(employee):
        raise DomainError(
            _("De verwerking van de gegevens van deze werknemer is beperkt: er mag niets worden verstrekt.")
        )
    consent = None
    if profile.ground == Ground.CONSENT:
        consent = valid_consent(employee, recipient)
        if consent is None:
            raise DomainError(
                _(
                    "Voor deze ontvanger is toestemming van de werknemer nodig, en er is geen geldige "
                    "toestemming (nooit gegeven, verlopen of ingetrokken)."
                ),
                field="recipient",
            )
    allowed, refused = [], {}
    for key in profile.items:
        item = ITEMS.get(key)
        if item is None:
            refused[key] = _("onbekend gegeven in het profiel")
        elif consent is not None and consent.scope and key not in consent.scope:
            refused[key] = _("valt buiten de toestemming")
        elif not can(user, Action.READ, item.category, employee):
            refused[key] = _("uw functie mag dit gegeven niet inzien")
        else:
            allowed.append(key)
    for key in ITEMS:
        if key not in profile.items:
            refused[key] = _("hoort niet bij het profiel van deze ontvanger")
    return Offer(profile, consent, allowed, refused)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Composed:
    disclosure: Disclosure
    #: The download link's token and the one-time code: shown once to the composer, stored hashed.
    token: str = ""
    code: str = ""


def compose(user: User, employee: Employee, recipient: Organisation, *, items: list[str]) -> Composed:
    """Read the chosen items, seal them, register the disclosure and deliver it.

    Refuses (``DomainError``, nothing written) an item the offer does not allow, or no item.
    Side effects, in one transaction: the reads (audited by the apps), the ``Disclosure`` row,
    the ``consent.disclosed`` audit record, and the delivery (a notice e-mail after commit, or an
    inbox letter).
    """
    current = offer(user, employee, recipient)
    if not items:
        raise DomainError(_("Kies wat er in het pakket komt."), field="items")
    wrong = [key for key in items if key not in current.allowed]
    if wrong:
        reasons = "; ".join(
            f"{label}: {why}"
            for label, why in Offer(
                current.profile, None, [], {k: current.refused.get(k, _("niet aangeboden")) for k in wrong}
            ).refused_labels
        )
        raise DomainError(_("Dit mag niet in het pakket: {reasons}.").format(reasons=reasons), field="items")
    chosen = [key for key in current.allowed if key in items]
    with transaction.atomic():
        sections = {key: read_item(key, user, employee) for key in chosen}
        content = {
            "recipient": {"name": recipient.name, "kind": recipient.get_kind_display()},
            "ground": current.profile.get_ground_display(),
            "items": [
                {"key": key, "label": str(ITEMS[key].label), "sections": sections[key]} for key in chosen
            ],
        }
        token, code = secrets.token_urlsafe(32), f"{secrets.randbelow(10**8):08d}"
        link = recipient.delivery == Organisation.Delivery.LINK
        disclosure = Disclosure.objects.create(
            employee=employee,
            recipient=recipient,
            composed_by=user,
            ground=current.profile.ground,
            consent=current.consent,
            items=chosen,
            categories="".join(sorted({ITEMS[key].category for key in chosen})),
            content_encrypted=keys.seal(employee, json.dumps(content, ensure_ascii=False)),
            delivery=recipient.delivery,
            token_hash=_hash(token) if link else "",
            code_hash=_hash(code) if link else "",
            expires_at=timezone.now() + LINK_VALID if link else None,
        )
        record_access(
            user,
            log.Action.CREATE,
            "consent.disclosed",
            employee,
            obj=disclosure,
            category=disclosure.categories,
            basis=log.Basis.CONSENT if current.consent else None,
            data={"recipient": recipient.pk, "items": chosen, "ground": current.profile.ground},
        )
        if link:
            url = reverse("consent:download", args=[token])
            transaction.on_commit(lambda: _notify(recipient, url))
            return Composed(disclosure, token, code)
        _deliver_to_inbox(disclosure, content, by=user)
    return Composed(disclosure)


def _notify(recipient: Organisation, path: str) -> None:
    """The e-mail says only that something is waiting, with the link; the code goes separately."""
    if not recipient.email:
        return
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    send_mail(
        subject=_("Er staat een bericht voor u klaar"),
        message=_(
            "Er staat een beveiligd bericht van de arbodienst voor u klaar. Open het via {url} "
            "met de code die u apart van ons ontvangt. De link verloopt na 7 dagen."
        ).format(url=f"{base}{path}"),
        from_email=None,
        recipient_list=[recipient.email],
    )


def _deliver_to_inbox(disclosure: Disclosure, content: dict[str, Any], *, by: User) -> None:
    recipient = disclosure.recipient
    if recipient.portal_user is None:
        raise DomainError(_("Deze ontvanger heeft geen account voor de inbox; kies aflevering per link."))
    deliver(
        recipient=recipient.portal_user,
        employee=disclosure.employee,
        subject=str(_("Gegevensverstrekking {number}")).format(number=disclosure.pk),
        body=render_text(content),
        source=f"consent.disclosure:{disclosure.pk}",
        sender_label=str(_("Arbodienst")),
        by=by,
    )


def render_text(content: dict[str, Any]) -> str:
    lines = [f"{content['recipient']['name']} ({content['recipient']['kind']}) – {content['ground']}"]
    for item in content["items"]:
        lines.append(f"\n{item['label']}")
        for title, rows in item["sections"]:
            lines.append(f"  {title}")
            lines += [f"    {label}: {value}" for label, value in rows]
    return "\n".join(lines)


def content_of(disclosure: Disclosure) -> dict[str, Any]:
    text = keys.Opener(disclosure.employee).text(disclosure.content_encrypted)
    if text is None:
        raise Http404  # the person's key is destroyed: the package is gone
    data: dict[str, Any] = json.loads(text)
    return data


def open_link(token: str, code: str) -> Disclosure:
    """The disclosure behind a download link, once, with its one-time code.

    404 for an unknown or expired link; ``DomainError`` for a wrong code (after
    :data:`MAX_CODE_ATTEMPTS` wrong codes the link is closed) or a code already used.
    """
    with transaction.atomic():
        disclosure = (
            Disclosure.objects.select_for_update()
            .select_related("employee", "recipient")
            .filter(token_hash=_hash(token), expires_at__gt=timezone.now())
            .first()
        )
        if disclosure is None or disclosure.failed_attempts >= MAX_CODE_ATTEMPTS:
            raise Http404
        if disclosure.code_used_at is not None:
            raise DomainError(_("Deze code is al gebruikt. Vraag de arbodienst om een nieuwe verstrekking."))
        if not secrets.compare_digest(disclosure.code_hash, _hash(code.strip())):
            disclosure.failed_attempts += 1
            disclosure.save(update_fields=["failed_attempts"])
            raise DomainError(_("Deze code klopt niet."), field="code")
        disclosure.code_used_at = timezone.now()
        disclosure.save(update_fields=["code_used_at"])
        log.record(
            None,
            log.Action.READ,
            "consent.disclosure_downloaded",
            subject=disclosure.employee,
            obj=disclosure,
            category=disclosure.categories,
            basis=disclosure.ground == Ground.CONSENT and log.Basis.CONSENT or log.Basis.AUTHORISATION,
            data={"recipient": disclosure.recipient_id},
        )
    return disclosure


def link_disclosure(token: str) -> Disclosure:
    """The disclosure behind a live link (not expired, not closed by wrong codes); 404 otherwise."""
    disclosure = (
        Disclosure.objects.select_related("employee", "recipient")
        .filter(token_hash=_hash(token), expires_at__gt=timezone.now(), failed_attempts__lt=MAX_CODE_ATTEMPTS)
        .first()
    )
    if disclosure is None or not token:
        raise Http404
    return disclosure


def record_disclosure_consent(
    user: User,
    employee: Employee,
    recipient: Organisation,
    *,
    given_by: str,
    valid_until: dt.date,
    signed_form: bytes,
) -> Consent:
    """Record the person's signed consent to disclose to ``recipient`` (staff who may change B),
    with the scan of the signed form (sealed with the person's key)."""
    if not can(user, Action.CHANGE, "B", employee):
        raise Http404
    return record_consent(
        Consent.Kind.DISCLOSURE,
        form=signed_form,
        employee=employee,
        recipient=recipient,
        purpose=str(_("Verstrekking van gegevens aan {recipient}")).format(recipient=recipient.name),
        how=Consent.How.WRITTEN,
        given_by=given_by,
        valid_until=valid_until,
        category="B",
        by=user,
    )
