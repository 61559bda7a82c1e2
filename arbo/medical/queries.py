"""The only ways to read the medical app: each checks access, decrypts and audits the read.

Views and other apps never query these models for display themselves; they call a function here,
which returns plain, decrypted view objects holding only what the reader may see. A value that no
longer decrypts (the person's data key was destroyed) reads as ``None``: "no longer readable".
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.care import is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_receive_release,
    emergency_employee_ids,
    employees_visible_to,
    team_colleague_ids,
    treated_employee_ids,
)
from arbo.access.subjects import Rows, collect
from arbo.audit import log
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.medical import keys
from arbo.medical.chapters import chapter
from arbo.medical.models import (
    PERSONAL_DATA_CATEGORIES,
    SUBJECT_FIELD_LABELS,
    Consultation,
    ConsultationAdvice,
    ConsultationSlot,
    EmployerReportConsent,
    FunctionalAbilities,
    IncomingDocument,
    InformationConsent,
    InformationRequest,
    MedicalNote,
)
from arbo.medical.models_records import FML_RUBRICS, Limitation
from arbo.medical.policies import (
    appointment_category,
    is_own,
    is_planner,
    may_manage_slots_of,
    may_read_fml,
    may_read_medical,
    may_see_agenda,
    may_see_appointment,
    staff_may_read_advice,
)
from arbo.registry.models import Employee

# --- View objects --------------------------------------------------------------------------------


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
class Appointment:
    """An appointment as a reader may see it: never its reason. ``employee`` is ``None`` for a
    booking shown to the planner, who sees that the time is taken ("bezet"), not by whom."""

    pk: int
    employee: Employee | None
    doctor: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    kind_label: str
    status: str
    status_label: str
    mode: str
    mode_label: str
    location: str
    video_link: str

    @property
    def is_planned(self) -> bool:
        return self.status == Consultation.Status.PLANNED


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


@dataclass(frozen=True)
class NoShowNotice:
    """The only thing the employer learns of a missed regular consultation."""

    consultation_date: dt.datetime
    notified_at: dt.datetime


@dataclass
class ConsultationView:
    appointment: Appointment
    reason: str | None = None
    notes: list[ReadableNote] = field(default_factory=list)
    advice: AdviceView | None = None
    show_medical: bool = False
    show_advice: bool = False


@dataclass(frozen=True)
class DocumentView:
    pk: int
    received_on: dt.date
    scanned_on: dt.date
    sender: str | None
    description: str | None
    filename: str | None
    content_type: str
    size: int
    paper_destroyed_on: dt.date | None
    paper_retained: bool
    filed_by: str

    @property
    def scanned_on_day_of_receipt(self) -> bool:
        return self.scanned_on == self.received_on


@dataclass(frozen=True)
class ConsentView:
    pk: int
    practitioner: str
    question: str | None
    given_by: str
    given_on: dt.date
    recorded_by: str
    withdrawn_at: dt.datetime | None


@dataclass(frozen=True)
class RequestView:
    pk: int
    practitioner: str
    direction_label: str
    question: str | None
    answer: str | None
    requested_by: str
    requested_at: dt.datetime
    answered_at: dt.datetime | None
    consent_id: int


@dataclass(frozen=True)
class FmlRubric:
    key: str
    label: str
    level: str
    level_label: str
    note: str


@dataclass(frozen=True)
class FmlView:
    pk: int
    assessed_on: dt.date
    author: str
    rubrics: list[FmlRubric] | None
    remarks: str | None


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


# --- Building view objects -----------------------------------------------------------------------


def _name(user: User) -> str:
    return user.get_full_name() or str(user)


def appointment(
    consultation: Consultation, *, reveal_kind: bool = True, reveal_employee: bool = True
) -> Appointment:
    """The view of a consultation. Without ``reveal_kind`` (readers without category C) every
    consultation is just "consult": that someone went to the preventive consultation on their own
    initiative is itself confidential. Without ``reveal_employee`` (the planner's booking) the
    employee is left out, and the kind with it."""
    reveal_kind = reveal_kind and reveal_employee
    return Appointment(
        pk=consultation.pk,
        employee=consultation.employee if reveal_employee else None,
        doctor=_name(consultation.doctor),
        starts_at=consultation.starts_at,
        ends_at=consultation.ends_at,
        kind=consultation.kind if reveal_kind else "",
        kind_label=str(consultation.get_kind_display() if reveal_kind else _("consult")),
        status=consultation.status,
        status_label=str(consultation.get_status_display()),
        mode=consultation.mode,
        mode_label=str(consultation.get_mode_display()),
        location=consultation.location,
        video_link=consultation.video_link,
    )


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


def _fml(fml: FunctionalAbilities, opener: keys.Opener) -> FmlView:
    text = opener.text(fml.content_encrypted)
    if text is None:
        return FmlView(fml.pk, fml.assessed_on, _name(fml.author), None, None)
    content = json.loads(text)
    labels = dict(Limitation.choices)
    rubrics = [
        FmlRubric(
            key,
            str(label),
            content[key]["level"],
            str(labels[content[key]["level"]]),
            content[key]["note"],
        )
        for key, label in FML_RUBRICS
    ]
    return FmlView(fml.pk, fml.assessed_on, _name(fml.author), rubrics, content.get("remarks", ""))


def _advice_queryset() -> QuerySet[ConsultationAdvice]:
    return ConsultationAdvice.objects.select_related("consultation", "author", "employer_consent")


# --- Medical notes (the existing read path, kept) ------------------------------------------------


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


# --- The doctor's view of the whole file ---------------------------------------------------------


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
        _fml(f, opener)
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


# --- Consultations and the agenda ----------------------------------------------------------------


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """Consultations whose appointment ``user`` may see with the employee's name: staff who read
    category B of the employee (regular consultations), who read C of the employee (every kind:
    the treatment relationship or break-the-glass), and the doctor holding the consultation.

    Employer users and employees are not served here (see :func:`released_for_employer` and
    :func:`own_overview`); the planner's bookings are :func:`bookings_manageable_by`.
    """
    if user.kind != User.Kind.STAFF:
        return Consultation.objects.none()
    scope = Q()
    if can(user, Action.READ, Category.B):
        scope |= Q(kind=Consultation.Kind.REGULAR)
    if can(user, Action.READ, Category.C):
        scope |= Q(employee__in=treated_employee_ids(user)) | Q(employee__in=emergency_employee_ids(user))
    if is_doctor(user):
        scope |= Q(doctor=user)
    if not scope:
        return Consultation.objects.none()
    return Consultation.objects.filter(scope, employee__in=employees_visible_to(user)).select_related(
        "employee", "doctor"
    )


def bookings_manageable_by(user: User) -> QuerySet[Consultation]:
    """Consultations the planner may move or cancel without learning who they are for: with a
    doctor on one of the planner's teams, of an employee of those teams."""
    if not is_planner(user):
        return Consultation.objects.none()
    return Consultation.objects.filter(
        doctor__in=team_colleague_ids(user), employee__in=employees_visible_to(user)
    ).select_related("employee", "doctor")


def booking_view(consultation: Consultation) -> Appointment:
    """A booking as the planner sees it ("bezet"): time, place, doctor and status only."""
    return appointment(consultation, reveal_employee=False)


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


def _medically_readable(user: User, employee_ids: list[int]) -> set[int]:
    """Which of these (visible) employees ``user`` reads category C of: ``may_read_medical`` for a
    list, in two queries however long."""
    if not employee_ids or not can(user, Action.READ, Category.C):
        return set()
    treated = treated_employee_ids(user).filter(employee_id__in=employee_ids)
    emergency = emergency_employee_ids(user).filter(employee_id__in=employee_ids)
    return {*treated.values_list("employee_id", flat=True), *emergency.values_list("employee_id", flat=True)}


@dataclass
class Agenda:
    doctor: User
    start: dt.date
    end: dt.date  # exclusive
    #: Per day: its appointments and free slots in one list, in time order.
    days: list[tuple[dt.date, list[Appointment | ConsultationSlot]]]


def agenda_for(user: User, doctor: User, start: dt.date, end: dt.date) -> Agenda:
    """A doctor's slots and appointments from ``start`` up to ``end``: planning data (category D)
    of the employees ``user`` may reach; nobody's reason or notes."""
    if not may_see_agenda(user):
        raise Http404
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    period = Q(doctor=doctor, starts_at__gte=since, starts_at__lt=until)
    consultations = list(
        consultations_visible_to(user)
        .filter(period)
        .exclude(status=Consultation.Status.CANCELLED)
        .order_by("starts_at")
    )
    named = {c.pk for c in consultations}
    bookings = [
        b
        for b in bookings_manageable_by(user).filter(period).exclude(status=Consultation.Status.CANCELLED)
        if b.pk not in named
    ]
    slots = list(
        ConsultationSlot.objects.filter(period)
        .exclude(consultations__status__in=Consultation.LIVE_STATUSES)
        .order_by("starts_at")
    )
    employees = list({c.employee_id: c.employee for c in consultations}.values())
    medical = _medically_readable(user, [e.pk for e in employees])
    items = sorted(
        [appointment(c, reveal_kind=c.employee_id in medical) for c in consultations]
        + [booking_view(b) for b in bookings],
        key=lambda item: item.starts_at,
    )
    days = []
    day = start
    while day < end:
        # Issue 18: one list per day in time order, free slots and appointments together.
        rows: list[Appointment | ConsultationSlot] = sorted(
            [item for item in items if timezone.localtime(item.starts_at).date() == day]
            + [s for s in slots if timezone.localtime(s.starts_at).date() == day],
            key=lambda row: row.starts_at,
        )
        days.append((day, rows))
        day += dt.timedelta(days=1)
    categories = "".join(sorted({appointment_category(c) for c in consultations}))
    log.record_many(user, log.Action.READ, "medical.agenda_viewed", employees, category=categories)
    return Agenda(doctor, start, end, days)


def free_slots(user: User, employee: Employee, *, days: int = 42) -> list[ConsultationSlot]:
    """Free future slots of doctors who may see ``employee`` (for booking)."""
    now = timezone.now()
    slots = (
        ConsultationSlot.objects.filter(starts_at__gt=now, starts_at__lt=now + dt.timedelta(days=days))
        .exclude(consultations__status__in=Consultation.LIVE_STATUSES)
        .select_related("doctor")
        .order_by("starts_at")
    )
    doctor_ids = {s.doctor_id for s in slots}
    allowed = {
        d for d in doctor_ids if employees_visible_to(User.objects.get(pk=d)).filter(pk=employee.pk).exists()
    }
    return [s for s in slots if s.doctor_id in allowed]


# --- Letters -------------------------------------------------------------------------------------


def document_content(user: User, document: IncomingDocument) -> tuple[str, str, bytes]:
    """``(filename, content type, bytes)`` of a letter, for those who read category C: 404 for
    everyone else (the secretariat that filed it included). Shredded: 404 as well."""
    if not may_read_medical(user, document.employee):
        raise Http404
    opener = keys.Opener(document.employee)
    content = opener.file(document.content_encrypted)
    if content is None:
        raise Http404
    record_access(
        user,
        log.Action.READ,
        "medical.document_downloaded",
        document.employee,
        category=Category.C,
        obj=document,
    )
    return opener.text(document.filename_encrypted) or "scan", document.content_type, content


@dataclass(frozen=True)
class FiledDocument:
    """What the secretariat sees of the letters it filed: identity data and dates, no content."""

    pk: int
    employee: Employee
    received_on: dt.date
    scanned_on: dt.date
    paper_retained: bool


def documents_awaiting_paper_destruction(user: User) -> list[FiledDocument]:
    """Letters ``user`` filed whose paper is neither recorded as destroyed nor kept locked away."""
    documents = (
        IncomingDocument.objects.filter(
            filed_by=user, paper_destroyed_on__isnull=True, employee__in=employees_visible_to(user)
        )
        .select_related("employee")
        .defer("content_encrypted")
        .order_by("received_on", "pk")
    )
    result = [
        FiledDocument(d.pk, d.employee, d.received_on, d.scanned_on, d.paper_retained) for d in documents
    ]
    employees = list({d.employee.pk: d.employee for d in result}.values())
    if employees:
        log.record_many(
            user,
            log.Action.READ,
            "medical.filed_documents_listed",
            employees,
            category=Category.D,
        )
    return result


# --- Advice and FML for staff with category B ----------------------------------------------------


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


def fml_for(user: User, employee: Employee) -> list[FmlView]:
    """Every version of the FML, newest first, for staff with category B and the employee."""
    if not may_read_fml(user, employee):
        return []
    versions = list(FunctionalAbilities.objects.filter(employee=employee).select_related("author"))
    if not versions:
        return []
    opener = keys.Opener(employee)
    record_access(
        user,
        log.Action.READ,
        "medical.fml_viewed",
        employee,
        category=Category.B,
        data={"count": len(versions)},
    )
    return [_fml(f, opener) for f in versions]


# --- The employer: released advice, no-show notices, regular appointments ------------------------


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


# --- The employee's own overview -----------------------------------------------------------------


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
    return OwnOverview(employee, appointments, advice, notices, _fml(fml, opener) if fml else None)


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


# --- Records of reads that views make of what they fetched through the functions above --------


def record_appointments_read(user: User, employee: Employee, consultations: list[Consultation]) -> None:
    """The employee page listed ``consultations`` of ``employee`` (their categories, the reader's basis)."""
    record_access(
        user,
        log.Action.READ,
        "medical.appointments_viewed",
        employee,
        category="".join(sorted({str(appointment_category(c)) for c in consultations})),
        data={"count": len(consultations)},
    )


def record_booking_read(user: User, consultation: Consultation, *, named: bool) -> None:
    """The reschedule page showed ``consultation``: named to who may see the appointment, else a booking."""
    record_access(
        user,
        log.Action.READ,
        "medical.consultation_viewed" if named else "medical.booking_viewed",
        consultation.employee,
        obj=consultation,
        category=appointment_category(consultation) if named else Category.D,
    )


def record_invitation_read(user: User, consultation: Consultation, *, export: bool) -> None:
    """The invitation letter (PDF, printed) or its calendar file (ICS, exported) was made for ``user``."""
    record_access(
        user,
        log.Action.EXPORT if export else log.Action.PRINT,
        "medical.invitation_exported" if export else "medical.invitation_printed",
        consultation.employee,
        obj=consultation,
    )


# --- Subject records (arbo.lib.subject): the medical part of the access package ------------------


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """Everything of the medical app about ``employee`` that ``reader`` may read (``None``: the
    person's own package), medical content decrypted only for readers of C and for the person."""
    opener = keys.Opener(employee)
    return collect(
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


# --- Objects for the pages' forms and steps -------------------------------------------------------
# Each fetches within what the user may see (404 otherwise) and shows nothing itself: the page's
# write (domain, domain_records, domain_advice) or its audited read (above) follows.


def note_consultations(employee: Employee) -> list[Consultation]:
    """The employee's consultations a medical note may be attached to (the form's choices)."""
    return list(Consultation.objects.filter(employee=employee).exclude(status=Consultation.Status.CANCELLED))


def consultation_of(employee: Employee, consultation_id: int | str) -> Consultation:
    """One consultation of ``employee`` (whom the caller checked), else 404."""
    return get_object_or_404(Consultation, pk=consultation_id, employee=employee)


def incoming_document_for(user: User, document_id: int, *, with_content: bool = True) -> IncomingDocument:
    """A filed letter of an employee the user may see, else 404; without its (encrypted) content
    unless asked for."""
    documents = IncomingDocument.objects.filter(employee__in=employees_visible_to(user))
    if not with_content:
        documents = documents.defer("content_encrypted")
    return get_object_or_404(documents, pk=document_id)


def information_consent_for(user: User, consent_id: int) -> InformationConsent:
    """A consent to ask a treating physician, of an employee the user may see, else 404."""
    return get_object_or_404(
        InformationConsent.objects.filter(employee__in=employees_visible_to(user)), pk=consent_id
    )


def information_request_for(user: User, request_id: int) -> InformationRequest:
    """A request to a treating physician, of an employee the user may see, else 404."""
    return get_object_or_404(
        InformationRequest.objects.filter(employee__in=employees_visible_to(user)), pk=request_id
    )


def slot_for(user: User, slot_id: int) -> ConsultationSlot:
    """A free slot in an agenda the user manages, else 404."""
    slot = get_object_or_404(ConsultationSlot.objects.select_related("doctor"), pk=slot_id)
    if not may_manage_slots_of(user, slot.doctor):
        raise Http404
    return slot


def invitation_consultation(user: User, consultation_id: int) -> Consultation:
    """A consultation whose invitation the user may print or mail: staff who see the appointment,
    or the employee it is for; else 404. The caller checks a restriction of processing."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("employee", "doctor"), pk=consultation_id
    )
    if not (may_see_appointment(user, consultation) or is_own(user, consultation.employee)):
        raise Http404
    return consultation


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
