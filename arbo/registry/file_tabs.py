"""The employee file in tabs (issue 18): which tabs a reader gets and what each one shows.

Every tab is a URL of its own (``registry:employee_<tab>``), loaded with htmx inside the file page
or opened directly. Each tab reads through the owning app's audited gateway (the registry's
``employee_for`` for the file itself, ``absence.queries``, ``absence.documents.queries``,
``medical.file``/``medical.queries``, ``prevention.queries``, ``journal.queries``); a tab the reader
may not see is not offered and answers 404, like any object outside their rights. Nothing here
writes the audit log: the gateways do.

This module composes pages out of several apps, like ``medical/file.py``: an interface module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.absence.documents.queries import employee_documents_for
from arbo.absence.queries import employee_cases
from arbo.access import care
from arbo.access import queries as reads
from arbo.access.care_context import care_context
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, is_employee_user, is_employer_user, is_staff_user
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.medical.file import journal_context, medical_context
from arbo.medical.policies import may_plan
from arbo.prevention import queries as prevention

#: The tabs in their order: (slug, label). The overview is the file's own URL.
TABS: list[tuple[str, Any]] = [
    ("overview", _("Overzicht")),
    ("absence", _("Verzuim")),
    ("documents", _("Documenten")),
    ("medical", _("Medisch")),
    ("prevention", _("Preventie")),
    ("journal", _("Journaal")),
    ("history", _("Geschiedenis")),
]

#: The medical context keys that mean "there is something of the doctor's to show".
_MEDICAL_PARTS = (
    "medical_appointments",
    "medical_can_plan",
    "medical_can_file_letter",
    "medical_advice",
    "medical_fml",
    "medical_release",
    "medical_notes",
)


def tab_url(tab: str, employee_id: int) -> str:
    if tab == "overview":
        return reverse("registry:employee_detail", args=[employee_id])
    return reverse(f"registry:employee_{tab}", args=[employee_id])


def _tab_urls(shown: list[str], employee_id: int) -> list[tuple[str, Any, str]]:
    """The tabs offered, with their URLs: each tab's URL is the file's URL and the tab's slug
    (``registry.urls``), so one ``reverse`` serves them all (tests/registry check them against
    :func:`tab_url`)."""
    file_url = tab_url("overview", employee_id)
    return [
        (slug, label, file_url if slug == "overview" else f"{file_url}{slug}/")
        for slug, label in TABS
        if slug in shown
    ]


def tabs_for(user: User, employee: Any, readable: frozenset[str]) -> list[str]:
    """The tabs ``user`` gets on this employee's file: decided from the categories the reader may
    read of the employee (the same policy every tab's gateway applies again)."""
    staff = is_staff_user(user)
    own = is_employee_user(user)
    shown = ["overview"]
    if Category.A in readable:
        shown += ["absence", "documents"]
    if (
        own
        or (staff and (Category.B in readable or Category.C in readable or may_plan(user, employee)))
        or (is_employer_user(user) and Category.A in readable)
    ):
        shown.append("medical")
    if staff and Category.C in readable:
        shown.append("prevention")
    if staff or own:
        shown.append("journal")
    shown.append("history")
    return shown


@dataclass(frozen=True)
class Summary:
    """The short summary on top of every tab: who, where, and whether sick now."""

    employers: list[tuple[str, str]]  # (employer name, personnel number)
    birth_date: dt.date | None
    sick_since: dt.date | None
    open_case_url: str
    absence_known: bool
    treating_doctor: Any
    #: The first thing an employer's HR does on the file: report sick (never for someone sick).
    can_report_sick: bool


def _treating_doctor(user: User, employee: Any, tab: str) -> Any:
    """The summary's treating doctor (shown to staff only): from the care context the overview
    shows anyway, on the other tabs read alone (the context's forms and request are the
    overview's)."""
    if not is_staff_user(user):
        return None
    if tab == "overview":
        return care_context(user, employee).get("treating_doctor")
    return care.treating_doctor_of(employee)


def _summary(
    user: User, read: reads.EmployeeRead, employments: list[Any], cases: list[Any] | None, tab: str
) -> Summary:
    open_case = next((c for c in cases or [] if c.status == "open"), None)
    return Summary(
        employers=[(job.employer.name, job.personnel_number) for job in employments],
        birth_date=read.employee.birth_date if Category.D in read.readable else None,
        sick_since=open_case.first_sick_day if open_case else None,
        open_case_url=open_case.get_absolute_url() if open_case else "",
        absence_known=cases is not None,
        treating_doctor=_treating_doctor(user, read.employee, tab),
        can_report_sick=cases is not None
        and open_case is None
        and can(user, Action.CHANGE, Category.A, read.employee),
    )


# --- The tabs ----------------------------------------------------------------------------------


def _overview(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    user = request.user
    return {
        "employments": base["employments"],
        **care_context(user, read.employee),
        "medical_can_plan": is_staff_user(user) and may_plan(user, read.employee),
    }


def _absence(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    cases = base["cases"]
    return {
        "absence_cases": cases,
        "can_report_sick": can(request.user, Action.CHANGE, Category.A, read.employee),
        # No "ziek melden" for someone already sick, but a link to the open case.
        "open_case": next((c for c in cases if c.status == "open"), None),
    }


def _documents(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    return {"documents": employee_documents_for(request.user, read.employee)}


def _medical(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    context = medical_context(request, read.employee)
    context["own_file"] = is_employee_user(request.user)
    context["medical_empty"] = not any(context.get(part) for part in _MEDICAL_PARTS)
    return context


def _prevention(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    return {
        "exams": prevention.periodic_exams_for(request.user, read.employee),
        "exposures": prevention.exposures_for(request.user, read.employee),
    }


def _journal(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    return journal_context(request.user, read.employee)


@dataclass(frozen=True)
class Event:
    day: dt.date
    text: str
    url: str = ""


def _history(
    request: AuthenticatedHttpRequest, read: reads.EmployeeRead, base: dict[str, Any]
) -> dict[str, Any]:
    """What happened in the file, newest first, from what the other tabs already show this reader:
    employments (D), absence (A: sick reports, recoveries, documents finalised and released)."""
    events: list[Event] = []
    for job in base["employments"]:
        events.append(
            Event(job.starts_on, str(_("In dienst bij %(employer)s") % {"employer": job.employer.name}))
        )
        if job.ends_on:
            events.append(
                Event(job.ends_on, str(_("Uit dienst bij %(employer)s") % {"employer": job.employer.name}))
            )
    for case in base["cases"] or []:
        url = case.get_absolute_url()
        events.append(Event(case.first_sick_day, str(_("Ziek gemeld")), url))
        if case.closed_at:
            events.append(Event(timezone.localdate(case.closed_at), str(_("Verzuim afgesloten")), url))
    if base["cases"]:
        for document in employee_documents_for(request.user, read.employee):
            if document.finalised_at:
                events.append(
                    Event(
                        timezone.localdate(document.finalised_at),
                        str(_("%(kind)s definitief") % {"kind": document.get_kind_display()}),
                        reverse("absence:document_detail", args=[document.pk]),
                    )
                )
            if document.released_to_employer_at:
                events.append(
                    Event(
                        timezone.localdate(document.released_to_employer_at),
                        str(
                            _("%(kind)s vrijgegeven aan de werkgever") % {"kind": document.get_kind_display()}
                        ),
                        reverse("absence:document_detail", args=[document.pk]),
                    )
                )
    events.sort(key=lambda e: e.day, reverse=True)
    return {"events": events}


BUILDERS = {
    "overview": _overview,
    "absence": _absence,
    "documents": _documents,
    "medical": _medical,
    "prevention": _prevention,
    "journal": _journal,
    "history": _history,
}


#: The tabs that show the employments and the cases themselves (the summary shows both too).
_SHOW_EMPLOYMENTS = frozenset({"overview", "history"})
_SHOW_CASES = frozenset({"absence", "history"})


def file_tab(
    request: AuthenticatedHttpRequest, employee_id: int, tab: str, *, whole_page: bool = True
) -> dict[str, Any]:
    """The context of one tab of the file: the employee read through the registry's audited
    gateway (404 when invisible), the summary, the tabs offered and the tab's own parts (404 when
    this reader does not get the tab).

    ``whole_page`` false: the tabs and panel only (htmx swaps them inside the page), so nothing of
    the summary or the title bar is decided, and only the reads the tab itself shows are made."""
    user = request.user
    offered: list[str] = []

    def admit(employee: Any, readable: frozenset[str]) -> bool:
        offered.extend(tabs_for(user, employee, readable))
        return tab in offered

    read = reads.employee_for(user, employee_id, admit=admit)
    employments = (
        reads.employments_shown(user, read.employee) if whole_page or tab in _SHOW_EMPLOYMENTS else []
    )
    cases = (
        employee_cases(user, read.employee)
        if Category.A in read.readable and (whole_page or tab in _SHOW_CASES)
        else None
    )
    base = {"employments": employments, "cases": cases}
    context: dict[str, Any] = {
        "employee": read.employee,
        "show_a": Category.A in read.readable,
        "show_d": Category.D in read.readable,
        "tab": tab,
        "tabs": _tab_urls(offered, read.employee.pk),
    }
    if whole_page:
        context.update(
            emergency=read.emergency,
            can_edit=can(user, Action.CHANGE, Category.D, read.employee),
            summary=_summary(user, read, employments, cases, tab),
        )
    context.update(BUILDERS[tab](request, read, base))
    return context
