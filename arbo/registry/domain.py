"""Writes on the registry. Each function validates nothing the form or serializer already did,
runs in one transaction and writes its audit record next to the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.categories import Category
from arbo.lib.errors import DomainError
from arbo.registry.models import (
    PERSONAL_DATA_CATEGORIES,
    Contract,
    Employee,
    Employer,
    EmployerMembership,
    Employment,
    TeamMembership,
    bsn_blind_index,
)


def _changed_fields(instance: Any, values: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _categories_of(fields: Iterable[str]) -> str:
    """The categories of the named employee fields, from the one classification in models.py."""
    categories = PERSONAL_DATA_CATEGORIES["registry.employee"]
    return "".join(sorted({categories[f] for f in fields}))


@transaction.atomic
def create_employer(*, by: User, contract: dict[str, Any], **fields: Any) -> Employer:
    """Register a client employer with its first contract."""
    employer = Employer.objects.create(**fields)
    Contract.objects.create(employer=employer, **contract)
    log.record(by, log.Action.CREATE, "registry.employer_created", obj=employer, category=Category.D)
    return employer


@transaction.atomic
def update_employer(employer: Employer, *, by: User, **fields: Any) -> list[str]:
    changed = _changed_fields(employer, fields)
    if changed:
        employer.save()
        log.record(
            by,
            log.Action.UPDATE,
            "registry.employer_updated",
            obj=employer,
            category=Category.D,
            data={"fields": changed},
        )
    return changed


@transaction.atomic
def save_contract(contract: Contract, *, by: User) -> Contract:
    action = log.Action.UPDATE if contract.pk else log.Action.CREATE
    contract.save()
    log.record(by, action, "registry.contract_saved", obj=contract, category=Category.D)
    return contract


def check_same_person(employee: Employee, *, surname: str, birth_date: Any) -> None:
    """Refuse unless surname (case-insensitive) and birth date match the person holding the BSN."""
    if (
        employee.surname.strip().casefold() != (surname or "").strip().casefold()
        or employee.birth_date != birth_date
    ):
        raise DomainError(
            _(
                "Dit BSN hoort bij een persoon met een andere achternaam of geboortedatum. Controleer de gegevens."
            ),
            field="bsn",
        )


@transaction.atomic
def create_employee(
    *,
    by: User,
    employer: Employer,
    employment: dict[str, Any],
    **fields: Any,
) -> Employee:
    """Register a person and their employment at ``employer``.

    When a person with the same BSN exists already (employed elsewhere, or earlier), that person
    gets the new employment instead of a duplicate row: one person, one record. Only blank fields
    of the existing person are filled in: a new employer cannot overwrite what another recorded.

    Raises :class:`DomainError` when the BSN belongs to a person with another surname or birth
    date: knowing a BSN alone must not let anyone attach (and then read) someone else's record.
    """
    bsn = fields.get("bsn", "")
    existing = Employee.objects.filter(bsn_index=bsn_blind_index(bsn)).first() if bsn else None
    if existing is not None:
        check_same_person(existing, surname=fields.get("surname", ""), birth_date=fields.get("birth_date"))
        employee = existing
        blanks = {
            k: v for k, v in fields.items() if v not in ("", None) and getattr(employee, k) in ("", None)
        }
        if _changed_fields(employee, blanks):
            employee.save()
    else:
        employee = Employee.objects.create(**fields)
    Employment.objects.create(employee=employee, employer=employer, **employment)
    log.record(
        by,
        log.Action.CREATE,
        "registry.employee_created",
        subject=employee,
        category=_categories_of(fields),
        data={"employer": employer.pk},
    )
    return employee


@transaction.atomic
def update_employee(
    employee: Employee,
    *,
    by: User,
    employment: Employment | None = None,
    employment_values: dict[str, Any] | None = None,
    **fields: Any,
) -> list[str]:
    """Change a person's data (and optionally one employment); audit names the changed fields only."""
    changed = _changed_fields(employee, fields)
    if changed:
        employee.save()
    employment_changed: list[str] = []
    if employment is not None and employment_values:
        employment_changed = _changed_fields(employment, employment_values)
        if employment_changed:
            employment.save()
    if changed or employment_changed:
        log.record(
            by,
            log.Action.UPDATE,
            "registry.employee_updated",
            subject=employee,
            category=_categories_of(changed) or "A",
            data={"fields": changed + [f"employment.{name}" for name in employment_changed]},
        )
    return changed + employment_changed


# --- Accounts linked to the registry (issue 9: governed provisioning) ------------------------------
#
# Who may: the applicatiebeheerder (``User.is_user_admin``), through ``arbo.identity.provisioning``
# and the account pages. These are the only writers of ``Employee.user``, ``EmployerMembership`` and
# ``TeamMembership`` outside the demo seed; each audits next to the change.


def _require_admin(by: User) -> None:
    if not by.is_user_admin:
        raise DomainError(_("Alleen de applicatiebeheerder beheert accounts."))


def employee_to_link(employee_id: int, *, by: User) -> Employee:
    """The employee an administrator is about to give a portal account (by personnel record number)."""
    _require_admin(by)
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        raise DomainError(_("Er is geen werknemer met dit nummer."), field="employee")
    return employee


@transaction.atomic
def link_employee_account(employee: Employee, user: User, *, by: User) -> Employee:
    """Give ``employee`` the portal account ``user`` (of kind employee, not linked elsewhere)."""
    _require_admin(by)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if user.kind != User.Kind.EMPLOYEE:
        raise DomainError(_("Alleen een werknemersaccount kan aan een werknemer worden gekoppeld."))
    if employee.user_id is not None:
        raise DomainError(_("Deze werknemer heeft al een account."), field="employee")
    if Employee.objects.filter(user=user).exists():
        raise DomainError(_("Dit account hoort al bij een werknemer."))
    employee.user = user
    employee.save(update_fields=["user"])
    log.record(
        by,
        log.Action.UPDATE,
        "registry.employee_account_linked",
        subject=employee,
        category=Category.D,
        data={"user_id": user.pk},
    )
    return employee


@transaction.atomic
def add_employer_membership(
    user: User,
    employer: Employer,
    *,
    role: str,
    by: User,
) -> EmployerMembership:
    """Let the employer user ``user`` act for ``employer`` (HR or manager)."""
    _require_admin(by)
    if user.kind != User.Kind.EMPLOYER:
        raise DomainError(_("Alleen een werkgeversaccount kan voor een werkgever optreden."))
    if role not in EmployerMembership.Role.values:
        raise DomainError(_("Kies een rol."), field="role")
    membership, created = EmployerMembership.objects.get_or_create(
        user=user, employer=employer, defaults={"role": role}
    )
    if not created:
        raise DomainError(_("Dit account treedt al op voor deze werkgever."), field="employer")
    log.record(
        by,
        log.Action.CREATE,
        "registry.employer_membership_added",
        obj=membership,
        category=Category.D,
        data={"user_id": user.pk, "employer_id": employer.pk, "role": role},
    )
    return membership


@transaction.atomic
def join_team(
    user: User,
    employer: Employer,
    *,
    starts_on: dt.date,
    by: User,
) -> TeamMembership:
    """Put the staff member ``user`` on the team serving ``employer`` from ``starts_on``.

    A membership that ended is reopened (one row per person and employer)."""
    _require_admin(by)
    if user.kind != User.Kind.STAFF or not user.is_active:
        raise DomainError(_("Alleen een actieve medewerker kan in een team."))
    membership = TeamMembership.objects.select_for_update().filter(user=user, employer=employer).first()
    today = timezone.localdate()
    if membership is not None and (membership.ends_on is None or membership.ends_on >= today):
        raise DomainError(_("Deze medewerker zit al in het team van deze werkgever."), field="employer")
    if membership is None:
        membership = TeamMembership.objects.create(user=user, employer=employer, starts_on=starts_on)
    else:
        membership.starts_on, membership.ends_on = starts_on, None
        membership.save(update_fields=["starts_on", "ends_on"])
    log.record(
        by,
        log.Action.CREATE,
        "registry.team_joined",
        obj=membership,
        data={"user_id": user.pk, "employer_id": employer.pk, "starts_on": starts_on.isoformat()},
    )
    return membership


@transaction.atomic
def leave_team(membership: TeamMembership, *, ends_on: dt.date, by: User) -> TeamMembership:
    """End a team membership on ``ends_on`` (inclusive; today ends it tonight)."""
    _require_admin(by)
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if ends_on < membership.starts_on:
        raise DomainError(_("De einddatum ligt vóór de ingangsdatum."), field="ends_on")
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    log.record(
        by,
        log.Action.UPDATE,
        "registry.team_left",
        obj=membership,
        data={
            "user_id": membership.user_id,
            "employer_id": membership.employer_id,
            "ends_on": ends_on.isoformat(),
        },
    )
    return membership
