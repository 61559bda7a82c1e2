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

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_receive_release,
    employees_visible_to,
)
from arbo.access.subjects import Rows, collect
from arbo.audit import log
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.medical import keys
from arbo.medical.chapters import chapter
from arbo.medical.consultations.queries import Appointment, NoShowNotice, appointment
from arbo.medical.models import (
    PERSONAL_DATA_CATEGORIES,
    SUBJECT_FIELD_LABELS,
    Consultation,
    ConsultationAdvice,
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


@dataclass(frozen=True)
class AdviceView:
    pk: int
    consultation_id: int
    consultation_date: dt.datetime
    author: str
    can_do: str | None
    cannot_do: str | None
    expected_duration: str | None
    adjustments: str | None
    reintegration: str | None
    review_requested: bool
    employee_released_at: dt.datetime | None
    employer_released_at: dt.datetime | None
    seen_at: dt.datetime | None
    correction_requested: bool
    response: str | None
    reaches_employer: bool
    consent_how: str = ""
    consent_given_at: dt.datetime | None = None
    #: When the advice was last saved: the token of the edit form (issue 19, optimistic concurrency).
    updated_at: dt.datetime | None = None

    @property
    def readable(self) -> bool:
        return self.can_do is not None

    @property
    def awaiting_review(self) -> bool:
        return (
            self.review_requested
            and self.employee_released_at is not None
            and self.employer_released_at is None
            and self.seen_at is None
        )


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
class EmployerRelease:
    """What an employer user sees of the medical app for one employee: only what was released."""

    advice: list[AdviceView]
    notices: list[NoShowNotice]
    appointments: list[Appointment]

    def __bool__(self) -> bool:
        return bool(self.advice or self.notices or self.appointments)


@dataclass
class OwnOverview:
    employee: Employee
    appointments: list[Appointment]
    advice: list[AdviceView]
    notices: list[NoShowNotice]
    fml: FmlView | None


def _name(user: User) -> str:
    return user.get_full_name() or str(user)


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


def _advice(advice: ConsultationAdvice, opener: keys.Opener, *, with_response: bool = True) -> AdviceView:
    consent = getattr(advice, "employer_consent", None)
    return AdviceView(
        pk=advice.pk,
        consultation_id=advice.consultation_id,
        consultation_date=advice.consultation.starts_at,
        author=_name(advice.author),
        can_do=opener.text(advice.can_do_encrypted),
        cannot_do=opener.text(advice.cannot_do_encrypted),
        expected_duration=opener.text(advice.expected_duration_encrypted),
        adjustments=opener.text(advice.adjustments_encrypted),
        reintegration=opener.text(advice.reintegration_encrypted),
        review_requested=advice.employee_review_requested,
        employee_released_at=advice.employee_released_at,
        employer_released_at=advice.employer_released_at,
        seen_at=advice.employee_seen_at,
        correction_requested=advice.correction_requested,
        response=opener.text(advice.employee_response_encrypted) if with_response else "",
        reaches_employer=advice.consultation.reaches_employer,
        consent_how=str(consent.get_how_display()) if consent else "",
        consent_given_at=consent.given_at if consent else None,
        updated_at=advice.updated_at,
    )


def _advice_queryset() -> QuerySet[ConsultationAdvice]:
    return ConsultationAdvice.objects.select_related("consultation", "author", "employer_consent")


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
    advice = {a.consultation_id: a for a in _advice_queryset().filter(employee=employee)}
    readable_notes = [_note(n, opener) for n in notes]
    views = [
        ConsultationView(
            appointment(c),
            reason=opener.text(c.reason_encrypted),
            notes=[n for n in readable_notes if n.consultation_id == c.pk],
            advice=_advice(advice[c.pk], opener) if c.pk in advice else None,
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
            _name(d.filed_by),
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
            _name(c.recorded_by),
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
            _name(r.requested_by),
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
        advice = _advice_queryset().filter(consultation=consultation).first()
        if advice is not None:
            view.advice = _advice(advice, opener or keys.Opener(employee))
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


def staff_advice_for(user: User, employee: Employee) -> list[AdviceView]:
    """Released advice as staff with category B read it: that of consultations reaching the
    employer; the rest only for those who read category C."""
    if user.kind != User.Kind.STAFF or not can(user, Action.READ, Category.B, employee):
        return []
    advice = _advice_queryset().filter(employee=employee, employee_released_at__isnull=False)
    if not may_read_medical(user, employee):
        advice = advice.filter(consultation__kind=Consultation.Kind.REGULAR)
    advice_list = list(advice)
    if not advice_list:
        return []
    opener = keys.Opener(employee)
    record_access(
        user,
        log.Action.READ,
        "medical.advice_viewed",
        employee,
        category=Category.B,
        data={"count": len(advice_list)},
    )
    return [_advice(a, opener) for a in advice_list]


def released_for_employer(user: User, employee: Employee) -> EmployerRelease:
    """What the employer may see (seed 004): advice released to it, the short no-show notices and
    the planned appointments of regular consultations. Nothing of any preventive or other
    consultation, except a report the employee consented to. 404 for anyone but employer users
    who may receive releases about ``employee``."""
    if user.kind != User.Kind.EMPLOYER or not can_receive_release(user, employee):
        raise Http404
    # A report that reached the employer only by consent stops showing once the consent is withdrawn.
    advice = list(
        _advice_queryset()
        .filter(employee=employee, employer_released_at__isnull=False)
        .exclude(
            ~Q(consultation__kind=Consultation.Kind.REGULAR)
            & ~Q(employer_consent__register_entry__in=Consent.objects.valid())
        )
    )
    regular = (
        Consultation.objects.filter(employee=employee)
        .reaching_employer()
        .select_related("doctor", "employee")
    )
    notices = [
        NoShowNotice(c.starts_at, c.no_show_notified_at)
        for c in regular.filter(
            status=Consultation.Status.NO_SHOW, no_show_notified_at__isnull=False
        ).order_by("-starts_at")
        if c.no_show_notified_at is not None
    ]
    appointments = [
        appointment(c, reveal_kind=False)
        for c in regular.filter(status=Consultation.Status.PLANNED, starts_at__gte=timezone.now()).order_by(
            "starts_at"
        )
    ]
    opener = keys.Opener(employee)
    views = [_advice(a, opener, with_response=False) for a in advice]
    release = EmployerRelease(views, notices, appointments)
    if release:
        consented = [a for a in advice if not a.consultation.reaches_employer]
        record_access(
            user,
            log.Action.READ,
            "medical.released_viewed",
            employee,
            category="AB",
            data={
                "advice": len(advice) - len(consented),
                "notices": len(notices),
                "appointments": len(appointments),
            },
        )
        for item in consented:
            record_access(
                user,
                log.Action.READ,
                "medical.consented_report_viewed",
                employee,
                category=Category.B,
                basis=log.Basis.CONSENT,
                obj=item,
            )
    return release


def own_overview(user: User) -> OwnOverview:
    """The employee's appointments, the advice released to them, no-show notices and the FML."""
    employee = Employee.objects.filter(user=user).first() if user.kind == User.Kind.EMPLOYEE else None
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
        _advice(a, opener)
        for a in _advice_queryset().filter(employee=employee, employee_released_at__isnull=False)
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


def advice_released_to_employer_since(user: User, since: dt.datetime) -> list[tuple[Employee, dt.datetime]]:
    """Which employees have advice released to employer user ``user`` since ``since``, and when:
    the dashboard's "new advice to read" list (issue 17). Dates only, nothing of the advice is
    opened: the employer reads it on the employee's release page, which audits that read."""
    if user.kind != User.Kind.EMPLOYER:
        return []
    advice = (
        ConsultationAdvice.objects.filter(
            employee__in=employees_visible_to(user), employer_released_at__gte=since
        )
        .select_related("employee")
        .order_by("-employer_released_at")
    )
    return [(a.employee, a.employer_released_at) for a in advice if a.employer_released_at is not None]


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
            Rows(_advice_queryset().filter(employee=employee)),
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


def advice_of(consultation: Consultation) -> ConsultationAdvice:
    """The advice of a consultation (whose treatment the caller checked), else 404."""
    return get_object_or_404(ConsultationAdvice, consultation=consultation)


def own_released_advice(user: User, advice_id: int) -> ConsultationAdvice:
    """Advice released to the employee ``user`` about themself, else 404."""
    if user.kind != User.Kind.EMPLOYEE:
        raise Http404
    return get_object_or_404(
        ConsultationAdvice.objects.select_related("consultation", "employee"),
        pk=advice_id,
        employee__user=user,
        employee_released_at__isnull=False,
    )
