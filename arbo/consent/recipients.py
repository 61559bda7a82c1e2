"""Recipients: the organisations outside the arbodienst that may receive a disclosure package.

The privacy officer (FG) keeps them: name, kind, contact and delivery details. What a kind may
receive, and on which ground, is its profile (:class:`~arbo.consent.models.RecipientProfile`);
a recipient of a kind without a profile is refused here, so every recipient in the registry has
one. Saving validates everything first and writes in one transaction, audited as
``consent.recipient_saved`` (the organisation, no person).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from arbo.access.policy import is_staff_user
from arbo.audit import log
from arbo.consent.models import RecipientProfile
from arbo.identity.models import User
from arbo.identity.rights import staff_functions
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.lib.text import clean_text
from arbo.registry.models import Organisation
from arbo.registry.validators import normalise_postcode

FIELDS = (
    "kind",
    "name",
    "contact_name",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
    "delivery",
    "employer",
    "active",
)


def may_manage_recipients(user: User) -> bool:
    """The privacy officer (FG), who answers for every ground on which data leaves the arbodienst."""
    return user.is_active and is_staff_user(user) and StaffFunction.PRIVACY_OFFICER in staff_functions(user)


def profiles() -> dict[str, RecipientProfile]:
    return {p.kind: p for p in RecipientProfile.objects.all()}


def _clean(organisation: Organisation | None, values: dict[str, Any]) -> dict[str, Any]:
    data = {key: values.get(key) for key in FIELDS}
    for key in ("name", "contact_name", "phone", "street", "house_number", "city", "country"):
        data[key] = clean_text(data[key] or "")
    data["email"] = clean_text(data["email"] or "").lower()
    data["active"] = bool(data["active"]) if organisation is not None else True
    if data["kind"] not in Organisation.Kind.values:
        raise DomainError(_("Kies het soort ontvanger."), field="kind")
    if not RecipientProfile.objects.filter(kind=data["kind"]).exists():
        raise DomainError(
            _("Voor dit soort ontvanger is geen profiel vastgelegd: er mag niets naartoe."), field="kind"
        )
    if not data["name"]:
        raise DomainError(_("Vul de naam van de organisatie in."), field="name")
    if data["delivery"] not in Organisation.Delivery.values:
        raise DomainError(_("Kies hoe pakketten worden afgeleverd."), field="delivery")
    if data["delivery"] == Organisation.Delivery.LINK and not (data["email"] and data["phone"]):
        raise DomainError(
            _(
                "Bij aflevering per link zijn een e-mailadres (voor het bericht dat er iets klaarstaat) en "
                "een telefoonnummer (voor de losse eenmalige code) nodig."
            ),
            field="email" if not data["email"] else "phone",
        )
    if data["delivery"] == Organisation.Delivery.INBOX and (
        organisation is None or organisation.portal_user_id is None
    ):
        raise DomainError(
            _("Deze ontvanger heeft geen account voor de inbox; kies aflevering per link."), field="delivery"
        )
    if data["kind"] == Organisation.Kind.WORKS_COUNCIL and data["employer"] is None:
        raise DomainError(_("Kies de werkgever van deze ondernemingsraad."), field="employer")
    if data["kind"] != Organisation.Kind.WORKS_COUNCIL:
        data["employer"] = None
    postcode = clean_text(values.get("postcode") or "")
    if postcode and str(data["country"]).lower() in ("", "nederland", "nl", "the netherlands"):
        try:
            postcode = normalise_postcode(postcode)
        except ValidationError as error:
            raise DomainError(error.messages[0], field="postcode") from error
    data["postcode"] = postcode
    same = Organisation.objects.filter(kind=data["kind"], name__iexact=data["name"])
    if organisation is not None:
        same = same.exclude(pk=organisation.pk)
    if same.exists():
        raise DomainError(_("Er is al een ontvanger van dit soort met deze naam."), field="name")
    return data


def save_recipient(by: User, organisation: Organisation | None, **values: Any) -> Organisation:
    """Create (``organisation`` ``None``) or change a recipient; ``DomainError`` and nothing written
    on bad input; 404 for anyone but the privacy officer."""
    if not may_manage_recipients(by):
        raise Http404
    data = _clean(organisation, values)
    with transaction.atomic():
        if organisation is None:
            organisation = Organisation.objects.create(**data)
            action = log.Action.CREATE
        else:
            for key, value in data.items():
                setattr(organisation, key, value)
            organisation.save()
            action = log.Action.UPDATE
        log.record(
            by,
            action,
            "consent.recipient_saved",
            obj=organisation,
            category="D",
            data={
                "kind": organisation.kind,
                "delivery": organisation.delivery,
                "active": organisation.active,
            },
        )
    return organisation


def recipient_for(user: User, organisation_id: int) -> Organisation:
    if not may_manage_recipients(user):
        raise Http404
    found = Organisation.objects.filter(pk=organisation_id).first()
    if found is None:
        raise Http404
    return found


def recipients_for(user: User) -> list[Organisation]:
    if not may_manage_recipients(user):
        raise Http404
    return list(Organisation.objects.select_related("employer").order_by("kind", "name"))
