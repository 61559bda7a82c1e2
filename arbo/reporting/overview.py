"""The arbodienst's management view: counts over the employers a manager may see, no person named
but the arbodienst's own staff.

- caseload per casemanager: open absence cases they manage, and their overdue milestones;
- caseload per doctor: open cases of employees they treat, and overdue doctor milestones;
- overdue WvP milestones per employer, the 42nd-week notice and the other employer duties apart
  (an overdue employer duty is the risk of a loonsanctie);
- open data-subject rights requests, complaints and breaches (incidents), and how many of them are
  past their term: counts only, read through the privacy app's gateways;
- the absence figures of every employer, under the same suppression as the employer's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from arbo.absence.models import AbsenceCase, Milestone
from arbo.access.models_care import CareRelationship
from arbo.identity.models import User
from arbo.privacy.breaches import queries as breaches
from arbo.privacy.complaints import queries as complaints
from arbo.privacy.rights import queries as rights
from arbo.registry.models import Employer


def _overdue(today: dt.date) -> Q:
    return Q(done_on__isnull=True, not_applicable=False, case__status=AbsenceCase.Status.OPEN) & ~Q(
        kind=Milestone.Kind.WAGE_PAYMENT_END
    )


def _late_milestones(employers: QuerySet[Employer], today: dt.date) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(_overdue(today), case__employer__in=employers)
        .annotate(effective_due=Coalesce("deviated_due_on", "due_on"))
        .filter(effective_due__lt=today)
    )


@dataclass
class Load:
    user: User | None
    label: str
    open_cases: int
    overdue: int


def casemanager_loads(employers: QuerySet[Employer], today: dt.date) -> list[Load]:
    """Open cases and overdue casemanager milestones per casemanager (``None``: no casemanager yet)."""
    cases = dict(
        AbsenceCase.objects.filter(employer__in=employers, status=AbsenceCase.Status.OPEN)
        .values("casemanager")
        .annotate(n=Count("pk"))
        .values_list("casemanager", "n")
    )
    late = dict(
        _late_milestones(employers, today)
        .filter(owner=Milestone.Owner.CASEMANAGER)
        .values("case__casemanager")
        .annotate(n=Count("pk"))
        .values_list("case__casemanager", "n")
    )
    users = User.objects.in_bulk([pk for pk in {*cases, *late} if pk is not None])
    rows = [
        Load(
            users.get(pk) if pk else None,
            str(users[pk]) if pk in users else "",
            cases.get(pk, 0),
            late.get(pk, 0),
        )
        for pk in {*cases, *late}
    ]
    return sorted(rows, key=lambda r: (r.user is None, r.label))


def doctor_loads(employers: QuerySet[Employer], today: dt.date) -> list[Load]:
    """Open cases of employees each treating doctor treats, and overdue doctor milestones."""
    treating = CareRelationship.objects.current().filter(kind=CareRelationship.Kind.TREATING_DOCTOR)
    cases = dict(
        treating.filter(
            employee__absence_cases__employer__in=employers,
            employee__absence_cases__status=AbsenceCase.Status.OPEN,
        )
        .values("user")
        .annotate(n=Count("employee__absence_cases", distinct=True))
        .values_list("user", "n")
    )
    late = dict(
        treating.filter(
            employee__absence_cases__in=_late_milestones(employers, today)
            .filter(owner=Milestone.Owner.DOCTOR)
            .values("case_id")
        )
        .values("user")
        .annotate(n=Count("employee__absence_cases", distinct=True))
        .values_list("user", "n")
    )
    users = User.objects.in_bulk(list({*cases, *late}))
    rows = [
        Load(users.get(pk), str(users.get(pk, "")), cases.get(pk, 0), late.get(pk, 0))
        for pk in {*cases, *late}
    ]
    return sorted(rows, key=lambda r: r.label)


@dataclass
class EmployerRisk:
    employer: Any
    open_cases: int
    overdue_employer: int
    overdue_notice: int
    overdue_arbodienst: int


def overdue_per_employer(employers: QuerySet[Employer], today: dt.date) -> list[EmployerRisk]:
    """Overdue milestones per employer: the UWV notice, other employer duties, the arbodienst's own."""
    late = _late_milestones(employers, today)
    counts = {
        row["case__employer"]: row
        for row in late.values("case__employer").annotate(
            notice=Count("pk", filter=Q(kind=Milestone.Kind.UWV_42ND_WEEK_NOTICE)),
            employer_duty=Count(
                "pk", filter=Q(owner=Milestone.Owner.EMPLOYER) & ~Q(kind=Milestone.Kind.UWV_42ND_WEEK_NOTICE)
            ),
            arbodienst=Count("pk", filter=Q(owner__in=[Milestone.Owner.DOCTOR, Milestone.Owner.CASEMANAGER])),
        )
    }
    open_cases = dict(
        AbsenceCase.objects.filter(employer__in=employers, status=AbsenceCase.Status.OPEN)
        .values("employer")
        .annotate(n=Count("pk"))
        .values_list("employer", "n")
    )
    rows = []
    for employer in employers.order_by("name"):
        c = counts.get(employer.pk, {})
        rows.append(
            EmployerRisk(
                employer,
                open_cases.get(employer.pk, 0),
                c.get("employer_duty", 0),
                c.get("notice", 0),
                c.get("arbodienst", 0),
            )
        )
    return rows


@dataclass
class OfficeCount:
    label: Any
    open: int
    overdue: int
    overdue_means: Any


def privacy_counts(today: dt.date, now: dt.datetime) -> list[OfficeCount]:
    """Open rights requests, complaints and breaches across the arbodienst, and those past their
    term. Numbers only (no person, no content), so the management view may show them; the rows
    themselves stay with the privacy officer."""
    return [
        OfficeCount(
            _("Verzoeken van betrokkenen (AVG)"), *rights.open_counts(today), _("na de uiterste beslisdatum")
        ),
        OfficeCount(_("Klachten"), *complaints.open_counts(today), _("na de uiterste beslisdatum")),
        OfficeCount(
            _("Incidenten en datalekken"),
            *breaches.open_counts(now),
            _("72 uur na ontdekking nog geen besluit"),
        ),
    ]
