"""Canaries: one unique text written into every kind of record an app holds about a person.

The access package must carry every canary of its person and none of anyone else's (issue 13).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from arbo.absence.models import AbsenceCase, CaseDocument, Channel, DocumentVersion, SickPeriod
from arbo.identity.models import User
from arbo.journal.models import JournalEntry
from arbo.medical.keys import encrypt_file_for, seal
from arbo.medical.models import (
    Consultation,
    ConsultationAdvice,
    FunctionalAbilities,
    IncomingDocument,
    MedicalNote,
)
from arbo.portal.models import InboxMessage
from arbo.prevention.models import ExposureRecord, PeriodicExam
from arbo.privacy.models import Complaint
from arbo.registry.models import Employee


def write_canaries(employee: Employee, by: User) -> dict[str, str]:
    """Write a canary into each kind of record of ``employee``; ``{where: canary}``."""
    tag = uuid.uuid4().hex[:10]

    def canary(where: str) -> str:
        return f"KANARIE-{where}-{tag}"

    c = {
        k: canary(k)
        for k in (
            "journal",
            "note",
            "icd",
            "reason",
            "advice",
            "document",
            "fml",
            "remarks",
            "wvp",
            "response",
            "pmo",
            "exposure",
            "letter",
            "complaint",
            "stay",
        )
    }
    employer = employee.employments.first().employer  # type: ignore[union-attr]
    now = timezone.now()
    JournalEntry.objects.create(employee=employee, category="B", text=c["journal"], author=by)
    consultation = Consultation.objects.create(
        employee=employee,
        doctor=by,
        starts_at=now,
        ends_at=now + dt.timedelta(minutes=30),
        reason_encrypted=seal(employee, c["reason"]),
        planned_by=by,
    )
    MedicalNote.objects.create(
        employee=employee,
        kind=MedicalNote.Kind.DIAGNOSIS,
        body_encrypted=seal(employee, c["note"]),
        icd10_code_encrypted=seal(employee, c["icd"]),
        author=by,
        consultation=consultation,
    )
    ConsultationAdvice.objects.create(
        consultation=consultation,
        employee=employee,
        author=by,
        can_do_encrypted=seal(employee, c["advice"]),
    )
    IncomingDocument.objects.create(
        employee=employee,
        received_on=now.date(),
        scanned_on=now.date(),
        filename_encrypted=seal(employee, "brief.pdf"),
        content_type="application/pdf",
        size=10,
        content_encrypted=encrypt_file_for(employee, c["document"].encode()),
        filed_by=by,
    )
    FunctionalAbilities.objects.create(
        employee=employee,
        assessed_on=now.date(),
        author=by,
        content_encrypted=seal(employee, '{{"remarks": "{}"}}'.format(c["fml"])),
    )
    case = AbsenceCase.objects.create(employee=employee, employer=employer, first_sick_day=now.date())
    SickPeriod.objects.create(
        case=case,
        first_sick_day=now.date(),
        reported_by=by,
        reported_via=Channel.STAFF,
        remarks=c["remarks"],
        stay_address=c["stay"],
    )
    document = CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.PROBLEEMANALYSE,
        created_by=by,
        employee_response=c["response"],
    )
    DocumentVersion.objects.create(document=document, number=1, content=c["wvp"], author=by)
    PeriodicExam.objects.create(
        employee=employee,
        employer=employer,
        programme=PeriodicExam.Programme.GENERAL,
        exam_date=now.date(),
        examining_doctor=by,
        results_encrypted=seal(employee, c["pmo"]),
        advice_encrypted="",
        conclusion_encrypted="",
    )
    ExposureRecord.objects.create(
        employee=employee,
        kind=ExposureRecord.Kind.CARCINOGENIC,
        agent_encrypted=seal(employee, c["exposure"]),
        source_encrypted="",
        details_encrypted="",
        exposure_start=now.date(),
        recorded_by=by,
    )
    if employee.user_id:
        InboxMessage.objects.create(
            recipient_id=employee.user_id,
            employee=employee,
            sender_label="Arbodienst",
            subject="Brief",
            body=c["letter"],
            source=f"test:{tag}",
            sent_at=now,
        )
    else:
        c.pop("letter")
    Complaint.objects.create(
        kind=Complaint.Kind.PRIVACY,
        channel=Complaint.Channel.STAFF,
        complainant=employee,
        received_on=now.date(),
        description=c["complaint"],
        registered_by=by,
        due_on=now.date(),
    )
    return c
