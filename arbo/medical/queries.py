"""The only ways to read the medical app: each checks access, decrypts and audits the read.

Views and other apps never query these models for display themselves; they call a function here or
in a sub-domain's ``queries`` (:mod:`arbo.medical.consultations.queries`,
:mod:`arbo.medical.records.queries`, :mod:`arbo.medical.advice.queries`), which returns plain,
decrypted view objects holding only what the reader may see. A value that no longer decrypts (the
person's data key was destroyed) reads as ``None``: "no longer readable". This module holds the
readers that span the sub-domains (the whole file, one consultation, the employee's own overview,
the subject records of the access package) and the medical notes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from arbo.access.auditing import record_access
from arbo.access.matrix import Category
from arbo.access.policy import is_employee_user
from arbo.access.subjects import Rows, collect
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.medical import keys
from arbo.medical.advice.queries import AdviceView, advice_rows, advice_view
from arbo.medical.chapters import chapter
from arbo.medical.consultations.queries import Appointment, NoShowNotice, appointment
from arbo.medical.models import (
    PERSONAL_DATA_CATEGORIES,
    SUBJECT_FIELD_LABELS,
    Consultation,
    EmployerReportConsent,
    FunctionalAbilities,
    IncomingDocument,
    InformationConsent,
    InformationRequest,
    MedicalNote,
)
from arbo.medical.policies import (
    appointment_category,
    is_own,
    may_read_medical,
    may_see_appointment,
    staff_may_read_advice,
)
from arbo.medical.records.queries import (
    ConsentView,
    DocumentView,
    FmlView,
    RequestView,
    fml_fields,
    fml_view,
)
from arbo.registry.models import Employee


@dataclass(frozen=True)
class ReadableNote:
    kind: str
    body: str
    author: str
    created_at: dt.datetime
    cas_code: str = ""
    icd10_code: str = ""
    consultation_id: int | None = None
    #: The note as a subject record names it (``app.model:pk``): the person's own statements
    #: (WGBO 7:454, ``privacy.rights``) stand next to the record of this key.
    key: str = ""


@dataclass
class ConsultationView:
    appointment: Appointment
    reason: str | None = None
    notes: list[ReadableNote] = field(default_factory=list)
    advice: AdviceView | None = None
    show_medical: bool = False
    show_advice: bool = False


@dataclass
class MedicalFile:
    consultations: list[ConsultationView]
    notes: list[ReadableNote]
    documents: list[DocumentView]
    consents: list[ConsentView]
    requests: list[RequestView]
    fml: list[FmlView]
    shredded: bool


@dataclass
class OwnOverview:
    employee: Employee
    appointments: list[Appointment]
    advice: list[AdviceView]
    notices: list[NoShowNotice]
    fml: FmlView | None


def _note(note: MedicalNote, opener: keys.Opener) -> ReadableNote:
    return ReadableNote(
        str(note.get_kind_display()),
        opener.text(note.body_encrypted) or "",
        str(note.author),
        note.created_at,
        cas_code=opener.text(note.cas_code_encrypted) or "",
        icd10_code=opener.text(note.icd10_code_encrypted) or "",
        consultation_id=note.consultation_id,
        key=f"{note._meta.label_lower}:{note.pk}",
    )


def notes_for(user: User, employee: Employee) -> list[ReadableNote]:
    """Decrypted medical notes, or :class:`Http404` when ``user`` may not read category C here."""
    if not may_read_medical(user, employee):
        raise Http404
    notes = list(MedicalNote.objects.filter(employee=employee).select_related("author"))
    record_access(
        user,
        log.Action.READ,
        "medical.notes_viewed",
        employee,
        category=Category.C,
        data={"count": len(notes)},
    )
    opener = keys.Opener(employee)
    return [_note(note, opener) for note in notes]


def medical_file_for(user: User, employee: Employee) -> MedicalFile:
    """Everything in the medical file of ``employee``, decrypted: for those who may read category C."""
    if not may_read_medical(user, employee):
        raise Http404
    opener = keys.Opener(employee)
    consultations = list(
        Consultation.objects.filter(employee=employee)
        .select_related("doctor", "employee")
        .order_by("-starts_at")
    )
    notes = list(MedicalNote.objects.filter(employee=employee).select_related("author"))
    advice = {a.consultation_id: a for a in advice_rows().filter(employee=employee)}
    readable_notes = [_note(n, opener) for n in notes]
    views = [
        ConsultationView(
            appointment(c),
            reason=opener.text(c.reason_encrypted),
            notes=[n for n in readable_notes if n.consultation_id == c.pk],
            advice=advice_view(advice[c.pk], opener) if c.pk in advice else None,
            show_medical=True,
            show_advice=True,
        )
        for c in consultations
    ]
    documents = [
        DocumentView(
            d.pk,
            d.received_on,
            d.scanned_on,
            opener.text(d.sender_encrypted),
            opener.text(d.description_encrypted),
            opener.text(d.filename_encrypted),
            d.content_type,
            d.size,
            d.paper_destroyed_on,
            d.paper_retained,
            str(d.filed_by),
        )
        for d in IncomingDocument.objects.filter(employee=employee)
        .select_related("filed_by")
        .defer("content_encrypted")
    ]
    consents = [
        ConsentView(
            c.pk,
            str(c.practitioner),
            opener.text(c.question_encrypted),
            c.given_by,
            c.given_on,
            str(c.recorded_by),
            c.withdrawn_at,
        )
        for c in InformationConsent.objects.filter(employee=employee).select_related(
            "practitioner", "recorded_by", "register_entry"
        )
    ]
    requests = [
        RequestView(
            r.pk,
            str(r.practitioner),
            str(r.get_direction_display()),
            opener.text(r.question_encrypted),
            opener.text(r.answer_encrypted),
            str(r.requested_by),
            r.requested_at,
            r.answered_at,
            r.consent_id,
        )
        for r in InformationRequest.objects.filter(employee=employee).select_related(
            "practitioner", "requested_by"
        )
    ]
    fml = [
        fml_view(f, opener)
        for f in FunctionalAbilities.objects.filter(employee=employee).select_related("author")
    ]
    record_access(
        user,
        log.Action.READ,
        "medical.file_viewed",
        employee,
        category="BC",
        data={
            "consultations": len(views),
            "notes": len(readable_notes),
            "documents": len(documents),
            "requests": len(requests),
            "fml": len(fml),
        },
    )
    return MedicalFile(views, readable_notes, documents, consents, requests, fml, opener.shredded)


def consultation_view(user: User, consultation: Consultation) -> ConsultationView:
    """One consultation as ``user`` may see it: the appointment (D), and the reason, notes (C) and
    advice (B, or C for a consultation that does not reach the employer) when allowed."""
    employee = consultation.employee
    if not may_see_appointment(user, consultation):
        raise Http404
    medical = may_read_medical(user, employee)
    view = ConsultationView(appointment(consultation, reveal_kind=medical))
    categories = {str(appointment_category(consultation))}
    opener = None
    if medical:
        opener = keys.Opener(employee)
        view.show_medical = True
        view.reason = opener.text(consultation.reason_encrypted)
        view.notes = [
            _note(n, opener)
            for n in MedicalNote.objects.filter(consultation=consultation).select_related("author")
        ]
        categories.add("C")
    if staff_may_read_advice(user, consultation):
        view.show_advice = True
        advice = advice_rows().filter(consultation=consultation).first()
        if advice is not None:
            view.advice = advice_view(advice, opener or keys.Opener(employee))
            categories.add("B")
    record_access(
        user,
        log.Action.READ,
        "medical.consultation_viewed",
        employee,
        category="".join(sorted(categories)),
        obj=consultation,
    )
    return view


def own_overview(user: User) -> OwnOverview:
    """The employee's appointments, the advice released to them, no-show notices and the FML."""
    employee = Employee.objects.filter(user=user).first() if is_employee_user(user) else None
    if employee is None or not is_own(user, employee):
        raise Http404
    consultations = Consultation.objects.filter(employee=employee).select_related("doctor", "employee")
    appointments = [appointment(c) for c in consultations.order_by("-starts_at")]
    notices = [
        NoShowNotice(c.starts_at, c.no_show_notified_at)
        for c in consultations.filter(no_show_notified_at__isnull=False).order_by("-starts_at")
        if c.no_show_notified_at is not None
    ]
    opener = keys.Opener(employee)
    advice = [
        advice_view(a, opener)
        for a in advice_rows().filter(employee=employee, employee_released_at__isnull=False)
    ]
    fml = FunctionalAbilities.objects.filter(employee=employee).select_related("author").first()
    record_access(
        user,
        log.Action.READ,
        "medical.own_file_viewed",
        employee,
        category="BD",
        basis=log.Basis.SELF,
        data={"appointments": len(appointments), "advice": len(advice)},
    )
    return OwnOverview(employee, appointments, advice, notices, fml_view(fml, opener) if fml else None)


def diagnosis_chapters_for_research(
    employee_ids: list[int], *, by: User, release: int
) -> dict[int, list[tuple[dt.date, str]]]:
    """The ICD-10 *chapters* of the diagnoses of these employees, with the day each was recorded:
    the only medical fact a research release may carry (issue 17, item 6). Nothing else leaves:
    no code, no text. Each employee whose file is opened gets an audit record (category C, the
    release's id); a shredded key yields nothing for that person. The caller (the research export)
    has checked who may ask; this function only reads and audits."""

    notes = (
        MedicalNote.objects.filter(employee_id__in=employee_ids, kind=MedicalNote.Kind.DIAGNOSIS)
        .select_related("employee")
        .order_by("employee_id", "created_at")
    )
    result: dict[int, list[tuple[dt.date, str]]] = {}
    openers: dict[int, keys.Opener] = {}
    opened: dict[int, Employee] = {}
    for note in notes:
        opener = openers.get(note.employee_id)
        if opener is None:
            opener = openers[note.employee_id] = keys.Opener(note.employee)
            opened[note.employee_id] = note.employee
        code = opener.text(note.icd10_code_encrypted) or opener.text(note.cas_code_encrypted) or ""
        if code:
            result.setdefault(note.employee_id, []).append(
                (timezone.localdate(note.created_at), chapter(code))
            )
    if opened:
        log.record_many(
            by,
            log.Action.READ,
            "medical.research_chapters_read",
            opened.values(),
            category=Category.C,
            data={"release": release, "fields": "diagnosis chapter"},
        )
    return result


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """Everything of the medical app about ``employee`` that ``reader`` may read (``None``: the
    person's own package), medical content decrypted only for readers of C and for the person."""
    opener = keys.Opener(employee)
    records = collect(
        "medical",
        employee,
        reader,
        [
            Rows(
                Consultation.objects.filter(employee=employee).select_related("doctor", "slot", "planned_by")
            ),
            Rows(MedicalNote.objects.filter(employee=employee).select_related("author", "consultation")),
            Rows(advice_rows().filter(employee=employee)),
            Rows(
                EmployerReportConsent.objects.filter(employee=employee).select_related("recorded_by"),
                created="given_at",
            ),
            Rows(IncomingDocument.objects.filter(employee=employee).select_related("filed_by")),
            Rows(
                InformationConsent.objects.filter(employee=employee).select_related(
                    "practitioner", "recorded_by"
                )
            ),
            Rows(
                InformationRequest.objects.filter(employee=employee).select_related(
                    "practitioner", "requested_by"
                )
            ),
            Rows(FunctionalAbilities.objects.filter(employee=employee).select_related("author")),
        ],
        classification=PERSONAL_DATA_CATEGORIES,
        labels=SUBJECT_FIELD_LABELS,
        open_text=opener.text,
        open_file=opener.file,
    )
    return [_readable_fml(r) if r.kind == "medical.functionalabilities" else r for r in records]


def _readable_fml(record: SubjectRecord) -> SubjectRecord:
    """The FML of the package with its rubrics as fields instead of the stored JSON document."""
    label = str(SUBJECT_FIELD_LABELS["medical.functionalabilities"]["content_encrypted"])
    readable = fml_fields(record.fields.get(label, ""))
    if readable is None:
        return record
    fields = {k: v for k, v in record.fields.items() if k != label}
    return dataclasses.replace(record, fields={**fields, **readable})
