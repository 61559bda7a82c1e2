"""Demo data for the data-subject requests (issue 13): a few requests in different states, one
overdue, one extended, one of an applicant (by letter, answered by post). Idempotent: nothing is added when the demo already has a request. Made
through the domain functions (same validation and audit as the app)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from arbo.identity.models import User
from arbo.privacy.rights import domain
from arbo.privacy.rights.models import RightsRequest
from arbo.registry.models import Applicant, Employee, Employer

ID_COPY = b"%PDF-1.4\n% demo: kopie identiteitsbewijs, BSN en pasfoto afgeschermd\n%%EOF\n"


def seed_rights_demo(users: dict[str, User], employers: dict[str, Employer], out: Any) -> None:
    if RightsRequest.objects.exists():
        return
    fg = users["piet.privacy"]
    today = timezone.localdate()
    people = list(
        Employee.objects.filter(employments__employer=employers["bakkerij"], user__isnull=True).order_by(
            "employments__personnel_number"
        )[:3]
    )
    eva = Employee.objects.filter(user__username="eva.werknemer").first()
    made = []
    if eva is not None:
        # Eva asks for a copy of her file in the portal: in progress, the doctor reviews next.
        made.append(
            domain.file_request(
                by=users["eva.werknemer"],
                employee=eva,
                kind="access",
                received_on=today - dt.timedelta(days=10),
            )
        )
    if len(people) >= 3:
        # A letter asking to correct the absence record: identity checked, but overdue.
        overdue = domain.file_request(
            by=fg,
            employee=people[0],
            kind="rectification",
            channel="letter",
            received_on=today - dt.timedelta(days=40),
            description="De eerste ziektedag in mijn verzuimdossier klopt niet: het was een week later.",
            id_copy=ID_COPY,
            id_copy_type="application/pdf",
        )
        domain.record_identity_check(overdue, by=fg, document_kind="id_card")
        made.append(overdue)
        # An e-mail asking for erasure, extended within the first month with reasons.
        received = today - dt.timedelta(days=20)
        extended = domain.file_request(
            by=fg,
            employee=people[1],
            kind="erasure",
            channel="email",
            received_on=received,
            description="Verwijder alles wat u over mij heeft; ik werk niet meer bij de bakkerij.",
            id_copy=ID_COPY,
            id_copy_type="application/pdf",
        )
        domain.record_identity_check(extended, by=fg, document_kind="passport")
        domain.extend(
            extended,
            by=fg,
            reason="Wij moeten per soort gegeven nagaan of een wettelijke bewaarplicht geldt (blootstelling, verzuim).",
        )
        made.append(extended)
        # An objection to quality visitation, granted and handled (dated back a month).
        objection = domain.file_request(
            by=fg,
            employee=people[2],
            kind="objection",
            channel="phone",
            description="Ik wil niet dat mijn dossier bij de kwaliteitsvisitatie wordt ingezien.",
            id_copy=ID_COPY,
            id_copy_type="image/png",
        )
        domain.record_identity_check(objection, by=fg, document_kind="driving_licence")
        domain.decide(objection, by=fg, outcome="granted", objection_purpose="visitation")
        RightsRequest.objects.filter(pk=objection.pk).update(
            received_on=today - dt.timedelta(days=30), decided_on=today - dt.timedelta(days=25)
        )
        made.append(objection)
    applicant = Applicant.objects.filter(
        employer=employers["bakkerij"], surname="Sewdien", pre_employment_exams__isnull=False
    ).first()
    if applicant is not None:
        # An applicant (no portal) asks by letter for a copy of the keuring: identity checked;
        # the examining doctor reviews the exam before the privacy officer posts the answer.
        by_post = domain.file_request(
            by=fg,
            applicant=applicant,
            kind="access",
            channel="letter",
            medical=True,
            received_on=today - dt.timedelta(days=3),
            description="Graag een afschrift van de uitslag van mijn aanstellingskeuring.",
            reply_address="Ravi Sewdien\nLaan van Meerdervoort 200\n2517 BJ Den Haag",
            id_copy=ID_COPY,
            id_copy_type="application/pdf",
        )
        domain.record_identity_check(by_post, by=fg, document_kind="id_card")
        made.append(by_post)
    out.write(
        f"  rights requests: {', '.join(r.reference for r in made)} (one overdue, one extended, one applicant)"
    )
