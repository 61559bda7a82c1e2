"""Records of every kind, made directly (the domain functions are tested in their own apps)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from arbo.absence.models import AbsenceCase, Channel, SickPeriod
from arbo.identity.models import User
from arbo.journal.models import JournalEntry
from arbo.medical import keys
from arbo.medical.models import DataKey, IncomingDocument, MedicalNote
from arbo.portal.models import InboxMessage
from arbo.prevention import keys as prevention_keys
from arbo.prevention.models import ExposureRecord, PreEmploymentExam
from arbo.registry.models import Applicant, Employee, Employer
from arbo.registry.models_roster import RosterImport
from tests import factories as f


def staff() -> User:
    return User.objects.filter(username="retention-staff").first() or f.UserFactory(
        username="retention-staff", kind=User.Kind.STAFF
    )


def person(employer: Employer, *, ends_on: dt.date | None = None, **kwargs: object) -> Employee:
    employee = f.EmployeeFactory(**kwargs)
    f.EmploymentFactory(employee=employee, employer=employer, starts_on=dt.date(2010, 1, 1), ends_on=ends_on)
    return employee


def closed_case(employee: Employee, employer: Employer, closed: dt.date) -> AbsenceCase:
    case = AbsenceCase.objects.create(
        employee=employee,
        employer=employer,
        first_sick_day=closed - dt.timedelta(days=20),
        status=AbsenceCase.Status.RECOVERED,
        closed_at=timezone.make_aware(dt.datetime.combine(closed, dt.time(12))),
    )
    SickPeriod.objects.create(
        case=case,
        first_sick_day=case.first_sick_day,
        last_sick_day=closed,
        reported_by=staff(),
        reported_via=Channel.STAFF,
    )
    return case


def medical_file(employee: Employee, last_change: dt.date, text: str = "CANARY-MEDICAL-NOTE") -> DataKey:
    MedicalNote.objects.create(
        employee=employee, body_encrypted=keys.encrypt_for(employee, text), author=staff()
    )
    IncomingDocument.objects.create(
        employee=employee,
        received_on=last_change,
        scanned_on=last_change,
        filename_encrypted=keys.encrypt_for(employee, "brief.pdf"),
        content_type="application/pdf",
        size=3,
        content_encrypted=keys.encrypt_file_for(employee, b"PDF"),
        filed_by=staff(),
    )
    DataKey.objects.filter(employee=employee).update(last_changed=last_change)
    return DataKey.objects.get(employee=employee)


def exposure(
    employee: Employee, kind: str, end: dt.date | None, *, persistent: bool = False
) -> ExposureRecord:
    return ExposureRecord.objects.create(
        employee=employee,
        kind=kind,
        persistent_or_latent=persistent,
        agent_encrypted=keys.encrypt_for(employee, "benzeen"),
        source_encrypted=keys.encrypt_for(employee, "tank"),
        details_encrypted=keys.encrypt_for(employee, "12 ppm"),
        exposure_start=(end or dt.date(2000, 1, 1)) - dt.timedelta(days=365),
        exposure_end=end,
        recorded_by=staff(),
    )


def applicant_exam(employer: Employer, exam_date: dt.date, **kwargs: object) -> PreEmploymentExam:
    applicant = Applicant.objects.create(
        employer=employer, surname=str(kwargs.pop("surname", "Sollicitant")), birth_date=dt.date(1995, 4, 1)
    )
    return PreEmploymentExam.objects.create(
        applicant=applicant,
        employer=employer,
        position="Heftruckchauffeur",
        exam_date=exam_date,
        examining_doctor=staff(),
        results_encrypted=prevention_keys.encrypt(applicant, "CANARY-KEURING visus 0.4"),
        outcome_encrypted=prevention_keys.encrypt(applicant, "geschikt"),
        completed_at=timezone.now(),
    )


def roster(employer: Employer, uploaded: dt.date) -> RosterImport:
    upload = RosterImport.objects.create(
        employer=employer, uploaded_by=staff(), filename="lijst.csv", payload="[]"
    )
    RosterImport.objects.filter(pk=upload.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(uploaded, dt.time(9)))
    )
    return upload


def journal(employee: Employee, text: str) -> JournalEntry:
    return JournalEntry.objects.create(employee=employee, category="A", text=text, author=staff())


def letter(employee: Employee, user: User, text: str) -> InboxMessage:
    return InboxMessage.objects.create(
        recipient=user,
        employee=employee,
        sender_label="Arbodienst",
        subject="Uitnodiging",
        body=text,
        source=f"test:{employee.pk}",
        sent_at=timezone.now(),
    )
