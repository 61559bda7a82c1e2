"""Which rights requests a user may reach: the privacy officer all, the treating doctor those they
decide or review, the person their own. Every rights page fetches through :func:`requests_visible_to`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from arbo.access.auditing import record_access
from arbo.access.policy import is_employee_user, is_staff_user
from arbo.audit import log
from arbo.identity.models import User
from arbo.portal.inbox import inbox_of
from arbo.privacy.policies import is_privacy_officer
from arbo.privacy.rights.models import RightsRequest, SubjectStatement
from arbo.registry.models import Applicant, Employee, Employment


def requests_visible_to(user: User) -> QuerySet[RightsRequest]:
    if not user.is_authenticated or not user.is_active:
        return RightsRequest.objects.none()
    if is_employee_user(user):
        return RightsRequest.objects.filter(employee__user=user)
    if is_privacy_officer(user):
        return RightsRequest.objects.all()
    if is_staff_user(user):
        return RightsRequest.objects.filter(doctor=user)
    return RightsRequest.objects.none()


def own_requests(user: User) -> QuerySet[RightsRequest]:
    """The requests about the user themself (the portal's download of the package)."""
    if not user.is_authenticated or not is_employee_user(user):
        return RightsRequest.objects.none()
    return RightsRequest.objects.filter(employee__user=user)


def decision_letter_in_inbox(user: User, rights_request: RightsRequest) -> Any:
    """The decision letter in the person's own portal inbox (its link leads to the download)."""
    return (
        inbox_of(user).filter(source=f"privacy.rights:{rights_request.pk}:decision").only("pk").first()
        if not rights_request.is_open
        else None
    )


def employee_by_personnel_number(employer: Any, personnel_number: str) -> Employee | None:
    """The person a letter, e-mail or call names by employer and personnel number (the privacy
    officer registers the request; nothing of the person is shown)."""
    employment = (
        Employment.objects.filter(employer=employer, personnel_number=personnel_number.strip())
        .select_related("employee")
        .first()
    )
    return employment.employee if employment else None


def applicant_by_name(employer: Any, surname: str, birth_date: dt.date) -> Applicant | None:
    """The applicant a letter names by employer, surname and birth date (an applicant has no
    personnel number); ``None`` when there is none, or more than one."""
    found = list(
        Applicant.objects.filter(
            employer=employer, surname__iexact=surname.strip(), birth_date=birth_date
        ).order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def register_rows(user: User) -> QuerySet[RightsRequest]:
    """The register: open requests first (overdue first: earliest due date), then the handled ones."""
    return (
        requests_visible_to(user)
        .select_related("employee", "applicant", "doctor")
        .annotate(
            open_first=Case(
                When(status=RightsRequest.Status.DECIDED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "due_on", "id")
    )


def open_for(user: User) -> QuerySet[RightsRequest]:
    return requests_visible_to(user).filter(~Q(status=RightsRequest.Status.DECIDED))


def open_counts(today: dt.date) -> tuple[int, int]:
    """(open, of which past their due date) over all requests: numbers only, no person or content,
    for the arbodienst's management view (issue 17)."""
    counts = RightsRequest.objects.exclude(status=RightsRequest.Status.DECIDED).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    return counts["open"], counts["overdue"]


# --- The audited reads of the rights pages (the pages never write the log themselves) ----------


def request_viewed(user: User, rights_request: RightsRequest) -> None:
    """Staff opened a request (the person's own view of it is not recorded as a read of others)."""
    record_access(
        user,
        log.Action.READ,
        "privacy.rights_request_decided",
        rights_request.subject,
        obj=rights_request,
        category="D",
        basis=log.Basis.AUTHORISATION,
        data={"step": "viewed"},
    )


def letter_printed(user: User, rights_request: RightsRequest, which: str) -> None:
    own = is_employee_user(user)
    record_access(
        user,
        log.Action.PRINT,
        "privacy.rights_request_decided",
        rights_request.subject,
        obj=rights_request,
        category="D",
        basis=log.Basis.SELF if own else log.Basis.AUTHORISATION,
        data={"letter": which},
    )


def package_exported(user: User, rights_request: RightsRequest, built: Any, fmt: str) -> None:
    """The package was downloaded: by the person (basis "self"), or by the privacy officer to post
    it to a person without a portal account (an applicant; basis "authorisation"). Every category
    it holds."""
    own = is_employee_user(user)
    record_access(
        user,
        log.Action.EXPORT,
        "privacy.rights_package_exported",
        rights_request.subject,
        obj=rights_request,
        category="".join(sorted({r.category for r in built.records})) or "D",
        basis=log.Basis.SELF if own else log.Basis.AUTHORISATION,
        data={"format": fmt, "records": len(built.records), **({} if own else {"to_post": True})},
    )


# --- The person's own statements (WGBO 7:454), next to the record they contest ---------------


@dataclass(frozen=True)
class OwnStatement:
    about: str  # the record's key, ``app.model:pk``
    text: str
    added_at: dt.datetime


def own_statements(user: User, employee: Employee) -> dict[str, list[OwnStatement]]:
    """The person's own statements by the record they stand next to, for a reader of the medical
    file (the caller checked that ``user`` reads it); the read is audited when there are any."""
    rows = [
        OwnStatement(s.about, s.text, s.added_at)
        for s in SubjectStatement.objects.filter(employee=employee).order_by("added_at", "pk")
    ]
    if rows:
        record_access(
            user,
            log.Action.READ,
            "privacy.statements_read",
            employee,
            category="C",
            data={"statements": len(rows)},
        )
    found: dict[str, list[OwnStatement]] = {}
    for row in rows:
        found.setdefault(row.about, []).append(row)
    return found
