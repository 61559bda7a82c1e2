"""Each person's home page ("Mijn werk"): their own work first, by role (issue 18).

Every section reads through the owning app's query function (visibility querysets, 404 rules),
and one audit record per employee shown is written for the sections that list people. A
section appears only for those who may do the work it lists; an empty section says so.
Employer users start on their dashboard and the privacy officer on the privacy office
(``identity.views.home``): they are not served here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arbo.absence.documents.queries import documents_visible_to
from arbo.absence.milestones.queries import caseload_for
from arbo.absence.models import AbsenceCase, CaseDocument, Milestone
from arbo.absence.queries import cases_visible_to
from arbo.access import care_requests
from arbo.access.auditing import record_access_many
from arbo.access.care import is_doctor
from arbo.access.domain import can_decide_matrix_change
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRequest
from arbo.access.models_matrix import MatrixChangeRequest
from arbo.access.policy import (
    can,
    can_see_management_reports,
    employees_visible_to,
    is_employee_user,
    is_staff_user,
)
from arbo.access.review import open_invitations
from arbo.audit import log
from arbo.identity.domain import can_decide_functions, can_review_access
from arbo.identity.models import FunctionAssignment, User
from arbo.identity.rights import staff_functions, staff_holding
from arbo.identity.roles import CASE_HANDLER_FUNCTIONS, StaffFunction
from arbo.medical import queries as medical_queries
from arbo.medical.consultations import queries as consultation_queries
from arbo.medical.models import ConsultationAdvice, ConsultationSlot
from arbo.medical.policies import is_planner, may_read_medical
from arbo.medical.records import queries as record_queries
from arbo.medical.records.models import InformationRequest
from arbo.portal.inbox import unread_count
from arbo.privacy.complaints.models import Complaint
from arbo.privacy.complaints.queries import complaints_visible_to
from arbo.privacy.rights import queries as rights_queries
from arbo.retention import queries as retention_queries

#: At most this many rows per section; the section links to the full list.
LIMIT = 8
#: Who carries the casemanager's daily work (milestones, new sick reports, missing plans).
ABSENCE_HANDLERS = CASE_HANDLER_FUNCTIONS | {
    StaffFunction.VERZUIMMEDEWERKER,
    StaffFunction.VERZUIMMEDEWERKER_GEHEIMHOUDING,
}


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    detail: str = ""
    late: bool = False
    #: The employee this row names, for the read audit (``None`` when the query that produced
    #: the row has audited the read itself, or the row names nobody).
    employee: Any = field(default=None, compare=False, repr=False)


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    more_url: str = ""
    more_label: str = ""
    total: int | None = None
    text: str = ""
    #: The data category of the rows (the fact that they show), for the read audit.
    category: str = Category.A

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total


def day(value: dt.date | dt.datetime) -> str:
    """``4 december 2026`` (the one date format of issue 18)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j F Y")


def _clock(value: dt.datetime) -> str:
    return formats.time_format(timezone.localtime(value), "H:i")


# --- The sections -------------------------------------------------------------------------------


def _milestone_items(user: User, today: dt.date, *, horizon_days: int) -> list[Item]:
    items = []
    for milestone in caseload_for(user, today=today, horizon_days=horizon_days)[: LIMIT * 2]:
        status = milestone.status_on(today)
        due = milestone.deviated_due_on or milestone.due_on
        detail = (
            _("sinds %(day)s") % {"day": day(due)}
            if status == Milestone.Status.OVERDUE
            else _("uiterlijk %(day)s") % {"day": day(due)}
        )
        items.append(
            Item(
                f"{milestone.get_kind_display()} — {milestone.case.employee.full_name}",
                reverse("absence:case_detail", args=[milestone.case_id]),
                detail,
                late=status == Milestone.Status.OVERDUE,
                employee=milestone.case.employee,
            )
        )
    return items


def _today_consultations(user: User, today: dt.date) -> Section:
    agenda = consultation_queries.agenda_for(user, user, today, today + dt.timedelta(days=1))
    rows = agenda.days[0][1] if agenda.days else []
    appointments = [
        a for a in rows if isinstance(a, consultation_queries.Appointment) and a.status != "geannuleerd"
    ]
    items = [
        Item(
            f"{_clock(a.starts_at)} {a.employee.full_name if a.employee else _('bezet')}",
            reverse("medical:consultation_detail", args=[a.pk]),
            f"{a.kind_label}, {a.mode_label} — {a.status_label}",
        )
        for a in appointments
    ]
    return Section(
        "consultations",
        _("Spreekuren vandaag"),
        items,
        _("Vandaag geen spreekuren."),
        reverse("medical:agenda"),
        _("Naar de agenda"),
    )


def _advice_to_release(user: User) -> Section:
    advice = (
        ConsultationAdvice.objects.filter(author=user, employee__in=employees_visible_to(user))
        .filter(Q(employee_released_at__isnull=True) | Q(employer_released_at__isnull=True))
        .filter(consultation__kind="spreekuur")
        .select_related("consultation", "employee")
        .order_by("consultation__starts_at")
    )
    items = []
    for a in advice[:LIMIT]:
        if a.employee_released_at is None:
            detail = _("nog niet vrijgegeven")
        elif a.awaiting_employee_review:
            detail = _("wacht op de werknemer")
        else:
            detail = _("klaar voor de werkgever")
        items.append(
            Item(
                _("Advies %(name)s, spreekuur %(day)s")
                % {"name": a.employee.full_name, "day": day(a.consultation.starts_at)},
                reverse("medical:consultation_detail", args=[a.consultation_id]),
                detail,
                employee=a.employee,
            )
        )
    return Section(
        "advice",
        _("Advies vrij te geven"),
        items,
        _("Geen advies dat op vrijgave wacht."),
        category=Category.B,
    )


def _documents_to_finish(user: User) -> Section:
    documents = (
        documents_visible_to(user)
        .filter(status=CaseDocument.Status.DRAFT, created_by=user)
        .select_related("case__employee")
        .order_by("created_at")
    )
    items = [
        Item(
            f"{d.get_kind_display()} — {d.case.employee.full_name}",
            reverse("absence:document_detail", args=[d.pk]),
            _("concept sinds %(day)s") % {"day": day(d.created_at)},
            employee=d.case.employee,
        )
        for d in documents[:LIMIT]
    ]
    return Section(
        "documents",
        _("Documenten af te ronden"),
        items,
        _("Geen concepten die op je wachten."),
        category=Category.B,
    )


def _answers_in(user: User, today: dt.date) -> Section:
    since = timezone.now() - dt.timedelta(days=14)
    answered = (
        InformationRequest.objects.filter(requested_by=user, answered_at__gte=since)
        .select_related("employee", "practitioner")
        .order_by("-answered_at")
    )
    items = [
        Item(
            _("Antwoord over %(name)s") % {"name": r.employee.full_name},
            reverse("medical:file", args=[r.employee_id]),
            _("binnengekomen %(day)s") % {"day": day(r.answered_at)},
            employee=r.employee,
        )
        for r in answered[: LIMIT * 2]
        if r.answered_at is not None and may_read_medical(user, r.employee)
    ][:LIMIT]
    return Section(
        "answers",
        _("Antwoorden op informatieverzoeken (14 dagen)"),
        items,
        _("Geen nieuwe antwoorden van behandelaars."),
        category=Category.C,
    )


def _caseload(user: User, today: dt.date, *, title: str) -> Section:
    return Section(
        "milestones",
        title,
        _milestone_items(user, today, horizon_days=7)[:LIMIT],
        _("Niets te laat en niets deze week."),
        reverse("absence:caseload"),
        _("Hele werkvoorraad"),
    )


def _my_open_cases(user: User) -> object:
    return (
        cases_visible_to(user)
        .filter(status=AbsenceCase.Status.OPEN)
        .filter(Q(casemanager=user) | Q(casemanager__isnull=True))
        .select_related("employee")
    )


def _new_sick_reports(user: User) -> Section:
    since = timezone.now() - dt.timedelta(days=7)
    cases = _my_open_cases(user).filter(created_at__gte=since).order_by("-created_at")  # type: ignore[attr-defined]
    items = [
        Item(
            c.employee.full_name,
            reverse("absence:case_detail", args=[c.pk]),
            _("ziek sinds %(day)s") % {"day": day(c.first_sick_day)}
            + ("" if c.casemanager_id else " — " + _("nog geen casemanager")),
            employee=c.employee,
        )
        for c in cases[:LIMIT]
    ]
    return Section(
        "new_cases",
        _("Nieuwe ziekmeldingen (7 dagen)"),
        items,
        _("Geen nieuwe ziekmeldingen."),
        reverse("absence:case_list"),
        _("Alle verzuimgevallen"),
    )


def _cases_without_plan(user: User, today: dt.date) -> Section:
    plan = CaseDocument.objects.filter(case=OuterRef("pk"), kind=CaseDocument.Kind.PLAN_VAN_AANPAK)
    cases = (
        _my_open_cases(user)  # type: ignore[attr-defined]
        .filter(first_sick_day__lte=today - dt.timedelta(weeks=6))
        .exclude(Exists(plan))
        .order_by("first_sick_day")
    )
    items = [
        Item(
            c.employee.full_name,
            reverse("absence:case_documents", args=[c.pk]),
            _("ziek sinds %(day)s") % {"day": day(c.first_sick_day)},
            employee=c.employee,
        )
        for c in cases[:LIMIT]
    ]
    return Section(
        "without_plan",
        _("Zonder plan van aanpak (ziek langer dan 6 weken)"),
        items,
        _("Elk geval van langer dan 6 weken heeft een plan van aanpak."),
    )


def _paper_to_destroy(user: User) -> Section:
    documents = record_queries.documents_awaiting_paper_destruction(user)
    items = [
        Item(
            d.employee.full_name,
            reverse("medical:letters_pending"),
            _("ontvangen %(day)s") % {"day": day(d.received_on)}
            + (" — " + _("papier bewaard") if d.paper_retained else ""),
        )
        for d in documents
        if not d.paper_retained
    ]
    return Section(
        "paper",
        _("Papier te vernietigen"),
        items[:LIMIT],
        _("Geen papier dat nog vernietigd moet worden."),
        reverse("medical:letters_pending"),
        _("Alle gearchiveerde post"),
        total=len(items),
    )


def _post_to_file() -> Section:
    return Section(
        "post",
        _("Post archiveren"),
        [],
        "",
        reverse("registry:employee_list"),
        _("Werknemer zoeken om een brief te archiveren"),
        text=_(
            "Scan de brief op de dag van ontvangst, archiveer hem bij de werknemer en "
            "vernietig daarna het papier."
        ),
    )


def _free_slots(user: User, today: dt.date) -> Section:
    now = timezone.now()
    slots = (
        ConsultationSlot.objects.filter(starts_at__gt=now, starts_at__lt=now + dt.timedelta(days=7))
        .exclude(consultations__status__in=("gepland", "gehouden", "niet_verschenen"))
        .select_related("doctor")
        .order_by("starts_at")
    )
    per_doctor: dict[str, list[ConsultationSlot]] = {}
    for slot in slots:
        per_doctor.setdefault(slot.doctor.get_full_name() or str(slot.doctor), []).append(slot)
    items = [
        Item(
            name,
            reverse("medical:agenda") + f"?doctor={found[0].doctor_id}",
            ngettext(
                "%(n)d vrij tijdvak, eerste %(when)s",
                "%(n)d vrije tijdvakken, eerste %(when)s",
                len(found),
            )
            % {"n": len(found), "when": f"{day(found[0].starts_at)} {_clock(found[0].starts_at)}"},
        )
        for name, found in per_doctor.items()
    ]
    return Section(
        "slots",
        _("Afspraken te plannen: vrije tijdvakken komende 7 dagen"),
        items,
        _("Geen vrije tijdvakken de komende 7 dagen."),
        reverse("medical:agenda"),
        _("Naar de agenda"),
    )


def _decisions(user: User) -> Section:
    items = []
    if can_decide_matrix_change(user):
        pending = MatrixChangeRequest.objects.filter(status=MatrixChangeRequest.Status.PENDING).count()
        if pending:
            items.append(
                Item(
                    ngettext(
                        "%(n)d wijziging van de autorisatiematrix wacht op goedkeuring",
                        "%(n)d wijzigingen van de autorisatiematrix wachten op goedkeuring",
                        pending,
                    )
                    % {"n": pending},
                    reverse("access:matrix"),
                )
            )
    if can_decide_functions(user):
        requested = (
            FunctionAssignment.objects.filter(status=FunctionAssignment.Status.REQUESTED)
            .exclude(requested_by=user)
            .exclude(user=user)
            .count()
        )
        if requested:
            items.append(
                Item(
                    ngettext(
                        "%(n)d functieaanvraag wacht op je besluit",
                        "%(n)d functieaanvragen wachten op je besluit",
                        requested,
                    )
                    % {"n": requested},
                    reverse("identity:access_review"),
                )
            )
    schedule_changes = retention_queries.changes_to_decide(user)
    if schedule_changes:
        items.append(
            Item(
                ngettext(
                    "%(n)d wijziging van het bewaarschema wacht op je besluit",
                    "%(n)d wijzigingen van het bewaarschema wachten op je besluit",
                    schedule_changes,
                )
                % {"n": schedule_changes},
                reverse("retention:schedule"),
            )
        )
    if staff_holding(user, StaffFunction.MEDISCH_MANAGER):
        open_requests = care_requests.requests_for(user).filter(status=CareRequest.Status.REQUESTED).count()
        if open_requests:
            items.append(
                Item(
                    ngettext(
                        "%(n)d verzoek om behandelrelatie te beslissen",
                        "%(n)d verzoeken om behandelrelatie te beslissen",
                        open_requests,
                    )
                    % {"n": open_requests},
                    reverse("care:requests"),
                )
            )
    return Section("decisions", _("Wacht op je besluit"), items, _("Niets wacht op je besluit."))


def _accounts() -> Section:
    invitations = open_invitations()
    items = [
        Item(
            i.user.get_full_name() or i.user.username,
            reverse("identity:user_detail", args=[i.user_id]),
            _("uitgenodigd %(day)s, nog niet geactiveerd") % {"day": day(i.created_at)},
        )
        for i in invitations[:LIMIT]
    ]
    return Section(
        "accounts",
        _("Accounts nog niet geactiveerd"),
        items,
        _("Alle uitnodigingen zijn aangenomen."),
        reverse("identity:user_list"),
        _("Alle gebruikers"),
        total=len(invitations),
    )


def _rights_to_decide(user: User, today: dt.date) -> Section:
    """Data-subject requests about the medical file that the privacy office routed to this doctor
    (seed 003 section 4): overdue first."""
    open_requests = (
        rights_queries.open_for(user).select_related("employee", "applicant").order_by("due_on", "id")
    )
    items = [
        Item(
            _("%(reference)s — %(name)s")
            % {"reference": r.reference, "name": r.employee.full_name if r.employee else str(r.applicant)},
            reverse("privacy:rights_detail", args=[r.pk]),
            _("uiterlijk %(day)s") % {"day": day(r.due_on)},
            late=r.due_on < today,
            employee=r.subject,
        )
        for r in open_requests[:LIMIT]
    ]
    return Section(
        "rights_requests",
        _("Verzoeken van betrokkenen"),
        items,
        _("Geen verzoeken over een medisch dossier die op jou wachten."),
        more_url=reverse("privacy:rights_register") if items else "",
        more_label=_("Alle verzoeken"),
        total=open_requests.count(),
        category=Category.B,
    )


def _my_requests(user: User) -> Section:
    """What ``user`` asked for that waits on someone else's decision (four eyes)."""
    functions = FunctionAssignment.objects.filter(
        status=FunctionAssignment.Status.REQUESTED, requested_by=user
    ).select_related("user")
    changes = MatrixChangeRequest.objects.filter(status=MatrixChangeRequest.Status.PENDING, requested_by=user)
    items = [
        Item(
            _("%(function)s voor %(name)s")
            % {"function": a.get_function_display(), "name": a.user.get_full_name()},
            reverse("identity:user_detail", args=[a.user_id]),
            _("aangevraagd %(day)s, wacht op besluit") % {"day": day(a.requested_at)},
        )
        for a in functions.order_by("requested_at")[:LIMIT]
    ] + [
        Item(
            _("Matrix: %(function)s, categorie %(category)s naar %(level)s")
            % {"function": c.get_function_display(), "category": c.category, "level": c.new_level},
            reverse("access:matrix"),
            _("aangevraagd %(day)s, wacht op de directie") % {"day": day(c.requested_at)},
        )
        for c in changes.order_by("requested_at")[:LIMIT]
    ]
    return Section("my_requests", _("Jouw aanvragen"), items, _("Geen aanvragen die op een besluit wachten."))


def _management(user: User) -> Section:
    items = [Item(_("Verzuimcijfers en werkvoorraad van de arbodienst"), reverse("reporting:management"))]
    if can_review_access(user):
        items.append(Item(_("Periodieke autorisatiereview"), reverse("identity:access_review")))
    return Section("management", _("Sturing"), items)


# --- The employee's home ------------------------------------------------------------------------


def _employee_sections(user: User) -> list[Section]:
    overview = medical_queries.own_overview(user)
    now = timezone.now()
    upcoming = [a for a in overview.appointments if a.is_planned and a.ends_at >= now]
    appointments = Section(
        "appointments",
        _("Je afspraken"),
        [
            Item(
                f"{day(a.starts_at)} {_clock(a.starts_at)} — {a.doctor}",
                reverse("medical:mine"),
                f"{a.mode_label}{', ' + a.location if a.location else ''}",
            )
            for a in sorted(upcoming, key=lambda a: a.starts_at)
        ],
        _("Je hebt geen afspraken gepland."),
        reverse("medical:mine"),
        _("Al je spreekuren en adviezen"),
    )
    to_read = [
        Item(
            _("Advies na je spreekuur van %(day)s") % {"day": day(a.consultation_date)},
            reverse("medical:mine"),
            _("wacht op je reactie voordat je werkgever het krijgt")
            if a.review_requested and a.employer_released_at is None
            else "",
        )
        for a in overview.advice
        if a.seen_at is None
    ]
    documents = documents_visible_to(user).filter(
        employee_review=True, employee_seen_at__isnull=True, released_to_employer_at__isnull=True
    )
    to_read += [
        Item(
            d.get_kind_display(),
            reverse("absence:document_detail", args=[d.pk]),
            _("jij leest dit eerst; daarna krijgt je werkgever het"),
        )
        for d in documents.order_by("created_at")
    ]
    reading = Section("to_read", _("Te lezen"), to_read, _("Er is niets nieuws om te lezen."))
    unread = unread_count(user)
    complaints = complaints_visible_to(user).exclude(status=Complaint.Status.DECIDED)
    requests = [
        Item(
            f"{c.reference} — {c.get_kind_display()}",
            reverse("privacy:complaint_mine"),
            c.get_status_display(),
        )
        for c in complaints.order_by("-received_on")[:LIMIT]
    ]
    if unread:
        requests.insert(
            0,
            Item(
                ngettext("%(n)d ongelezen bericht", "%(n)d ongelezen berichten", unread) % {"n": unread},
                reverse("portal:inbox"),
            ),
        )
    requests_section = Section(
        "requests",
        _("Je berichten en verzoeken"),
        requests,
        _("Geen open verzoeken en geen ongelezen berichten."),
        reverse("portal:inbox"),
        _("Alle berichten"),
    )
    return [appointments, reading, requests_section]


# --- Putting it together ------------------------------------------------------------------------


def _staff_sections(user: User, today: dt.date) -> list[Section]:
    sections: list[Section] = []
    if is_doctor(user):
        sections += [
            _today_consultations(user, today),
            _documents_to_finish(user),
            _advice_to_release(user),
            _answers_in(user, today),
            _rights_to_decide(user, today),
            _caseload(user, today, title=_("Mijlpalen: te laat en deze week")),
        ]
    elif staff_functions(user) & ABSENCE_HANDLERS and can(user, Action.CHANGE, Category.A):
        sections += [
            _caseload(user, today, title=_("Te laat en deze week")),
            _new_sick_reports(user),
            _cases_without_plan(user, today),
        ]
        if can(user, Action.CHANGE, Category.B):
            sections.append(_documents_to_finish(user))
    if staff_holding(user, StaffFunction.SECRETARIAAT):
        sections += [_post_to_file(), _paper_to_destroy(user)]
    if is_planner(user):
        sections.append(_free_slots(user, today))
    if (
        can_decide_matrix_change(user)
        or can_decide_functions(user)
        or retention_queries.changes_to_decide(user)
        or staff_holding(user, StaffFunction.MEDISCH_MANAGER)
    ):
        sections.append(_decisions(user))
    if user.is_user_admin:
        sections += [_my_requests(user), _accounts()]
    if can_see_management_reports(user):
        sections.append(_management(user))
    return sections


def _audit(user: User, sections: list[Section]) -> None:
    """One record per employee named on the page, per category of what the page shows of them."""
    by_category: dict[str, dict[int, Any]] = {}
    for section in sections:
        for item in section.items:
            if item.employee is not None:
                by_category.setdefault(section.category, {})[item.employee.pk] = item.employee
    for category, employees in sorted(by_category.items()):
        record_access_many(
            user, log.Action.READ, "portal.work_viewed", list(employees.values()), category=category
        )


def work_for(user: User) -> list[Section]:
    """The sections of ``user``'s home page, in the order they are shown."""
    today = timezone.localdate()
    if is_employee_user(user):
        return _employee_sections(user)
    if not is_staff_user(user):
        return []
    sections = _staff_sections(user, today)
    _audit(user, sections)
    return sections
