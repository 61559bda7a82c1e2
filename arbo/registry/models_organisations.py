"""Organisations outside the arbodienst that may receive data: the recipients of disclosures.

Each has a kind (UWV, an absence insurer, a re-integration company, ...); what a kind may receive
and on which ground is data in :mod:`arbo.consent` (``RecipientProfile``), not code here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.registry.models import Address


class Organisation(Address):
    """A recipient organisation with its contact and delivery details."""

    class Kind(models.TextChoices):
        UWV = "uwv", _("UWV")
        ABSENCE_INSURER = "verzuimverzekeraar", _("verzuimverzekeraar")
        INSURER_MEDICAL_ADVISER = "medisch_adviseur", _("medisch adviseur van de verzekeraar")
        REINTEGRATION = "re_integratie", _("re-integratiebedrijf")
        PRACTITIONER = "behandelaar", _("behandelend arts")
        LAWYER = "advocaat", _("advocaat of rechtshulp")
        ARBODIENST = "arbodienst", _("andere arbodienst")
        WORKS_COUNCIL = "ondernemingsraad", _("ondernemingsraad")

    class Delivery(models.TextChoices):
        LINK = "link", _("downloadlink met losse eenmalige code")
        INBOX = "inbox", _("inbox in het portaal")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres voor meldingen"), blank=True)
    phone = models.CharField(_("telefoon (voor de eenmalige code)"), max_length=30, blank=True)
    delivery = models.CharField(
        _("aflevering"), max_length=8, choices=Delivery.choices, default=Delivery.LINK
    )
    #: The account whose inbox receives packages when ``delivery`` is the inbox.
    portal_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: For a works council: the employer whose council it is.
    employer = models.ForeignKey("registry.Employer", models.PROTECT, null=True, blank=True, related_name="+")
    #: For a treating practitioner: the practitioner in the registry.
    practitioner = models.ForeignKey(
        "registry.Practitioner", models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


#: Contact details of organisations: the contact person's name is personal data of category D.
ORGANISATION_CATEGORIES: dict[str, dict[str, str]] = {
    "registry.organisation": {
        "kind": "D",
        "name": "D",
        "contact_name": "D",
        "email": "D",
        "phone": "D",
        "delivery": "D",
        "portal_user": "D",
        "employer": "D",
        "practitioner": "D",
        "active": "D",
        "street": "D",
        "house_number": "D",
        "postcode": "D",
        "city": "D",
        "country": "D",
    },
}
