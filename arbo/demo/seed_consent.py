"""Demo data for consent and disclosure (issue 16): three recipients (UWV, an absence insurer, a
re-integration company), one disclosure to UWV about Eva, and a second doctor (Lotte, not a demo
persona) whose files the privacy officer can put in a quality visitation for Bram. Idempotent;
made through the domain functions (same validation and audit as the app)."""

from __future__ import annotations

import importlib
from typing import Any

from django.db.models import Q

from arbo.access import care
from arbo.access.models_care import CareRelationship
from arbo.consent import disclosures, recipients
from arbo.consent.models import Disclosure, RecipientProfile
from arbo.demo.cast import DemoPerson
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.medical.domain import add_medical_note
from arbo.medical.models import MedicalNote
from arbo.registry.models import Employee, Employer, Organisation

#: A doctor on the building firm's team, not a demo persona: Bram visits her files.
VISITED_DOCTOR = DemoPerson(
    "lotte.arts", "Lotte", "Vermeer", "staff", (StaffFunction.BEDRIJFSARTS,), ("bouw",)
)

RECIPIENTS = [
    {
        "kind": Organisation.Kind.UWV,
        "name": "UWV Utrecht",
        "contact_name": "Team Sociaal-Medische Zaken",
        "email": "smz-utrecht@uwv.example",
        "phone": "088 898 9294",
        "street": "Daalsesingel",
        "house_number": "1",
        "postcode": "3511 SV",
        "city": "Utrecht",
    },
    {
        "kind": Organisation.Kind.ABSENCE_INSURER,
        "name": "Zekerwerk Verzuimverzekeringen",
        "contact_name": "Afdeling schadebehandeling",
        "email": "verzuim@zekerwerk.example",
        "phone": "010 555 0101",
        "street": "Coolsingel",
        "house_number": "40",
        "postcode": "3011 AD",
        "city": "Rotterdam",
    },
    {
        "kind": Organisation.Kind.REINTEGRATION,
        "name": "Werkfit Re-integratie BV",
        "contact_name": "Joyce de Graaf",
        "email": "intake@werkfit.example",
        "phone": "030 555 0202",
        "street": "Stationsplein",
        "house_number": "9",
        "postcode": "3511 ED",
        "city": "Utrecht",
    },
]


def _ensure_profiles() -> None:
    """The profiles are data seeded by migration ``consent.0004``; a test database flushed after
    its migrations (browser tests) lacks them, so the demo puts back what is missing."""
    seeded = importlib.import_module("arbo.consent.migrations.0004_recipient_profiles")
    for spec in seeded.PROFILES:
        RecipientProfile.objects.get_or_create(kind=spec["kind"], defaults=spec)


def seed_consent_demo(users: dict[str, User], employers: dict[str, Employer], out: Any) -> None:
    _ensure_profiles()
    fg = users["piet.privacy"]
    made = {}
    for spec in RECIPIENTS:
        existing = Organisation.objects.filter(kind=spec["kind"], name=spec["name"]).first()
        made[spec["kind"]] = existing or recipients.save_recipient(
            fg,
            None,
            **spec,
            country="Nederland",
            delivery=Organisation.Delivery.LINK,
            employer=None,
            active=True,
        )
    eva = Employee.objects.filter(user__username="eva.werknemer").first()
    bram = users["bram.arts"]
    if eva is not None and not Disclosure.objects.filter(employee=eva).exists():
        # Bram sends Eva's re-integration report data to UWV (by law, Wet verbetering poortwachter).
        offer = disclosures.offer(bram, eva, made[Organisation.Kind.UWV])
        disclosures.compose(bram, eva, made[Organisation.Kind.UWV], items=offer.allowed)
    lotte = users.get(VISITED_DOCTOR.username)
    if lotte is not None and not CareRelationship.objects.filter(user=lotte).exists():
        # Lotte treats six employees of the building firm: the files a visitation can sample.
        patients = Employee.objects.filter(employments__employer=employers["bouw"]).filter(
            ~Q(care_relationships__kind=CareRelationship.Kind.TREATING_DOCTOR)
        )
        for employee in patients.order_by("employments__personnel_number")[:6]:
            care.assign_treating_doctor(employee, lotte, by=lotte)
            add_medical_note(
                employee,
                kind=MedicalNote.Kind.ANAMNESIS,
                by=lotte,
                body="Schouderklachten na vallen op de bouwplaats; fysiotherapie loopt, hervatting in eigen werk gepland.",
            )
    out.write(f"Consent: {len(made)} recipients, a disclosure to UWV, Lotte's files for a visitation.\n")
