"""Demo data for the privacy officer (piet.privacy): incidents in several states, complaints near
their dates, a processor with a support engineer.

Idempotent: nothing is added when the demo already has an incident. Made through the domain
functions (the same validation and audit as the app), then dated back where the demo needs history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from arbo.identity.models import User
from arbo.privacy import reminders
from arbo.privacy.breaches import domain as breaches
from arbo.privacy.breaches.models import Breach
from arbo.privacy.complaints import domain as complaints
from arbo.privacy.complaints.models import Complaint
from arbo.privacy.processors import domain as processors
from arbo.privacy.register import statement
from arbo.registry.models import Employee, Employer


def seed_privacy_demo(users: dict[str, User], employers: dict[str, Employer], out: Any) -> None:
    if Breach.objects.exists():
        return
    fg, carla, bram = users["piet.privacy"], users["carla.cm"], users["bram.arts"]
    now = timezone.now()
    bakkerij = employers["bakkerij"]
    affected = list(
        Employee.objects.filter(employments__employer=bakkerij).order_by("employments__personnel_number")[:4]
    )

    # Reported 30 hours ago, not yet decided: the clock shows 42 hours left, a 24-hour signal.
    open_breach = breaches.report_breach(
        by=carla,
        summary="Verzuimoverzicht naar de verkeerde werkgever gemaild",
        description="Een overzicht van vier zieke werknemers van de bakkerij is naar de contactpersoon van de bouw gestuurd.",
        data_description="Namen, personeelsnummers en eerste ziektedagen",
        data_categories=["A", "D"],
        people_estimate=4,
        aware_at=now - dt.timedelta(hours=30),
        occurred_at=now - dt.timedelta(hours=31),
        employer=bakkerij,
    )
    eva = Employee.objects.filter(user__username="eva.werknemer").first()
    breaches.link_affected(
        open_breach, by=fg, employees=[*affected, *([eva] if eva else [])], data_categories=["A", "D"]
    )

    # A lost paper file, assessed as no risk, not notified, closed: it stays in the register.
    closed = breaches.report_breach(
        by=bram,
        summary="Map met spreekuurplanning in de trein laten liggen",
        description="Een map met de planning van één spreekuurdag (tijden en achternamen) is kwijt; teruggevonden bij gevonden voorwerpen.",
        data_description="Achternamen en tijden van afspraken",
        data_categories=["D"],
        people_estimate=9,
        aware_at=now - dt.timedelta(days=20),
    )
    breaches.assess_breach(
        closed,
        by=fg,
        nature=["availability"],
        risk="none",
        risk_reasoning="Map binnen een dag onaangebroken terug; alleen achternamen en tijden.",
        consequences="",
    )
    breaches.decide_breach(
        closed,
        by=fg,
        notify_ap=False,
        notify_ap_reason="Geen risico: de map is onaangebroken teruggevonden.",
        notify_subjects=False,
        notify_subjects_reason="Geen risico voor de betrokkenen.",
    )
    breaches.record_measures(
        closed,
        by=fg,
        measures="Planning voortaan alleen digitaal; papieren lijsten worden niet meer meegenomen.",
    )
    breaches.close_breach(closed, by=fg)

    # Complaints: a Wkkgz complaint without a handler yet, a privacy complaint due within a week.
    wkkgz = complaints.file_complaint(
        by=users.get("eva.werknemer") or fg,
        kind="wkkgz",
        complainant=eva,
        description="De bedrijfsarts gaf een advies over mijn werkhervatting zonder dat ik dat met hem kon bespreken.",
        complainant_name="" if eva else "Demo klager",
    )
    privacy = complaints.file_complaint(
        by=fg,
        kind="privacy",
        complainant=affected[0] if affected else None,
        complainant_name="Demo klager",
        description="Mijn leidinggevende wist van mijn spreekuurbezoek; ik wil weten hoe dat kan.",
        received_on=timezone.localdate() - dt.timedelta(days=26),
        handler=fg,
    )
    complaints.acknowledge(privacy, by=fg)

    # A processor; the FG opens support windows for its engineers from its page.
    processor = processors.save_processor(
        None,
        by=fg,
        name="Zorgcloud Hosting B.V.",
        services="Hosting, back-ups en beheer van de applicatie",
        agreement_signed_on=dt.date(2025, 1, 1),
        certifications=["ISO 27001", "NEN 7510"],
        sub_processors="Datacenter Amsterdam B.V. (colocatie)",
        locations=["NL", "DE"],
        contact="Service desk",
        active=True,
    )
    statement.publish(by=fg, reason="Demo: verwerkers toegevoegd")
    reminders.raise_breach_signals(now)
    out.write(
        f"  privacy: 2 incidents, {Complaint.objects.count()} complaints ({wkkgz.reference}, {privacy.reference}), "
        f"processor {processor.name}"
    )
