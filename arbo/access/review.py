"""The periodic review of granted rights (seed 003 §6: "periodieke controles op de toegekende rechten").

One row per staff account: its functions with their status, dates, requester and decision; the
employers it serves (team memberships) and its roles in doctors' teams that have not ended; its
confidentiality declaration; when it last logged in and when it last did anything (the newest audit
record it is the actor of). The page and the CSV export show the same rows, built here with a
fixed number of queries however many accounts there are.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.models_care import DoctorTeamMember
from arbo.audit import log
from arbo.audit.models import AuditEvent
from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, Invitation, User
from arbo.lib.dates import show_date, show_moment
from arbo.registry.models import TeamMembership

Status = FunctionAssignment.Status


def _day(value: dt.date | None) -> str:
    return show_date(value) if value else ""


def _moment(value: dt.datetime | None) -> str:
    return show_moment(value) if value else ""


def _who(user: User | None) -> str:
    return str(user) if user is not None else _("systeem")


def describe_assignment(assignment: FunctionAssignment) -> str:
    """One function as the review states it: status, period, request and decision."""
    parts = [
        assignment.state_label,
        _("%(start)s t/m %(end)s")
        % {"start": _day(assignment.starts_on), "end": _day(assignment.ends_on) or "…"},
        _("aangevraagd door %(who)s op %(when)s")
        % {"who": _who(assignment.requested_by), "when": _moment(assignment.requested_at)},
    ]
    if assignment.decided_at is not None:
        decision = (
            _("afgewezen door %(who)s op %(when)s")
            if assignment.status == Status.REJECTED
            else _("goedgekeurd door %(who)s op %(when)s")
        )
        parts.append(decision % {"who": _who(assignment.decided_by), "when": _moment(assignment.decided_at)})
    if assignment.revoked_at is not None:
        parts.append(
            _("ingetrokken door %(who)s op %(when)s")
            % {"who": _who(assignment.revoked_by), "when": _moment(assignment.revoked_at)}
        )
    return f"{assignment.get_function_display()} ({'; '.join(parts)})"


def _describe_team(membership: TeamMembership) -> str:
    period = _("vanaf %(start)s") % {"start": _day(membership.starts_on)}
    if membership.ends_on:
        period = _("%(start)s t/m %(end)s") % {
            "start": _day(membership.starts_on),
            "end": _day(membership.ends_on),
        }
    return f"{membership.employer} ({period})"


def _describe_doctor_role(role: DoctorTeamMember, user: User) -> str:
    if role.member_id == user.pk:
        return _("%(role)s: %(doctor)s") % {"role": role.get_kind_display(), "doctor": role.doctor}
    return _("in het eigen artsenteam: %(member)s (%(role)s)") % {
        "member": role.member,
        "role": role.get_kind_display(),
    }


@dataclass(frozen=True)
class ReviewRow:
    user: User
    assignments: list[FunctionAssignment]
    teams: list[str]
    doctor_roles: list[str]
    declaration: ConfidentialityDeclaration | None
    last_used: dt.datetime | None
    #: The derived-secrecy declaration (issue 9), for the functions that need it.
    derived: ConfidentialityDeclaration | None = None

    @property
    def functions(self) -> list[str]:
        return [describe_assignment(a) for a in self.assignments]

    @property
    def account_state(self) -> str:
        return str(_("actief")) if self.user.is_active else str(_("geblokkeerd"))

    def cells(self) -> list[str]:
        """The row as the CSV writes it, in :data:`HEADERS` order."""
        return [
            self.user.username,
            self.user.get_full_name(),
            self.account_state,
            _day(self.user.leaves_on),
            " | ".join(self.functions),
            " | ".join(self.teams),
            " | ".join(self.doctor_roles),
            _day(self.declaration.signed_on) if self.declaration else "",
            self.declaration.version if self.declaration else "",
            _moment(self.user.last_login),
            _moment(self.last_used),
            _day(self.derived.signed_on) if self.derived else "",
        ]


def headers() -> list[str]:
    return [
        _("Gebruikersnaam"),
        _("Naam"),
        _("Account"),
        _("Laatste werkdag"),
        _("Functies"),
        _("Teams (werkgevers)"),
        _("Rollen in artsenteams"),
        _("Geheimhoudingsverklaring ondertekend op"),
        _("Versie verklaring"),
        _("Laatst ingelogd"),
        _("Laatst gebruikt"),
        _("Verklaring afgeleid beroepsgeheim ondertekend op"),
    ]


def rows() -> list[ReviewRow]:
    """Every staff account, by name. Relationships that have ended are left out; functions are all
    listed (their history is what a reviewer checks)."""
    today = timezone.localdate()
    not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    people = (
        User.objects.filter(kind=User.Kind.STAFF)
        .prefetch_related(
            Prefetch(
                "function_assignments",
                queryset=FunctionAssignment.objects.select_related(
                    "requested_by", "decided_by", "revoked_by"
                ).order_by("starts_on", "pk"),
            ),
            Prefetch(
                "team_memberships",
                queryset=TeamMembership.objects.filter(not_ended)
                .select_related("employer")
                .order_by("employer__name"),
            ),
            Prefetch(
                "works_for_doctors",
                queryset=DoctorTeamMember.objects.filter(not_ended).select_related("doctor").order_by("pk"),
            ),
            Prefetch(
                "doctor_team",
                queryset=DoctorTeamMember.objects.filter(not_ended).select_related("member").order_by("pk"),
            ),
            Prefetch(
                "confidentiality_declarations",
                queryset=ConfidentialityDeclaration.objects.order_by("-signed_on", "-pk"),
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    # One aggregated query for "last used": the newest audit record of each staff actor.
    last_used = dict(
        AuditEvent.objects.filter(actor__kind=User.Kind.STAFF)
        .values("actor_id")
        .annotate(last=Max("occurred_at"))
        .values_list("actor_id", "last")
    )
    result = []
    for person in people:
        every = list(person.confidentiality_declarations.all())
        declarations = [d for d in every if d.kind == ConfidentialityDeclaration.Kind.GENERAL]
        derived = [d for d in every if d.kind == ConfidentialityDeclaration.Kind.DERIVED_SECRECY]
        roles = [*person.works_for_doctors.all(), *person.doctor_team.all()]
        result.append(
            ReviewRow(
                user=person,
                assignments=list(person.function_assignments.all()),
                teams=[_describe_team(m) for m in person.team_memberships.all()],
                doctor_roles=[_describe_doctor_role(r, person) for r in roles],
                declaration=declarations[0] if declarations else None,
                last_used=last_used.get(person.pk),
                derived=derived[0] if derived else None,
            )
        )
    return result


def open_invitations() -> list[Invitation]:
    """Invitations not accepted and not replaced (expired ones too: an account nobody took up is
    something the review should see), every kind of account, oldest first (issue 9)."""
    return list(
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("user", "created_by")
        .order_by("created_at", "pk")
    )


def pending_requests() -> list[FunctionAssignment]:
    return list(
        FunctionAssignment.objects.filter(status=Status.REQUESTED)
        .select_related("user", "requested_by")
        .order_by("requested_at", "pk")
    )


class _Writable(Protocol):
    def write(self, content: str, /) -> object: ...


#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_csv(review: Iterable[ReviewRow], out: _Writable) -> None:
    """Semicolon-separated (what a Dutch spreadsheet expects), UTF-8 with a byte-order mark."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in review:
        writer.writerow([_safe(cell) for cell in row.cells()])


def record_read(viewer: User, rows: list[ReviewRow], *, export: bool) -> None:
    """The review was shown to, or exported by, ``viewer``: audited with the number of rows."""
    if export:
        log.record(viewer, log.Action.EXPORT, "identity.access_review_exported", data={"rows": len(rows)})
    else:
        log.record(viewer, log.Action.READ, "identity.access_review_viewed", data={"rows": len(rows)})
