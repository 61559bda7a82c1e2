"""Writes on an absence case as a whole: who is its casemanager, and whether it is the employer's
self-insurer file. The reports are written by :mod:`arbo.absence.reports.domain`, the milestones by
:mod:`arbo.absence.milestones.domain`, the WvP documents by :mod:`arbo.absence.documents.domain`.

Each function checks access first (``require(by, CHANGE, A, employee)``), validates (a
:class:`DomainError` with a Dutch message, nothing written) and writes in one transaction with its
audit record.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from arbo.absence.models import (
    AbsenceCase,
)
from arbo.access import care
from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import is_staff_user, require, staff_functions
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.roles import CASE_HANDLER_FUNCTIONS
from arbo.lib.errors import DomainError


@transaction.atomic
def assign_casemanager(case: AbsenceCase, casemanager: User, *, by: User) -> AbsenceCase:
    """Name the case's casemanager (Regeling procesgang art. 4 lid 2c)."""
    require(by, Action.CHANGE, Category.A, case.employee)
    if not is_staff_user(by):
        raise DomainError(_("De arbodienst wijst de casemanager aan."), field="casemanager")
    if not staff_functions(casemanager) & CASE_HANDLER_FUNCTIONS:
        raise DomainError(_("Deze medewerker kan geen verzuim begeleiden."), field="casemanager")
    care.assign_case_handler(case.employee, casemanager, by=by)
    case.casemanager = casemanager
    case.save(update_fields=["casemanager"])
    return case


@transaction.atomic
def mark_self_insurer_file(case: AbsenceCase, kind: str, *, by: User) -> AbsenceCase:
    """Mark the case as the employer's self-insurer file for the Ziektewet (``zw``) or the WGA
    (``wga``), or unmark it (``""``). Only for an employer that is that self-insurer; the file is
    then kept 5 or 10 years after the end of employment (retention ``erd_zw`` / ``erd_wga``)."""
    require(by, Action.CHANGE, Category.A, case.employee)
    if not is_staff_user(by):
        raise DomainError(_("Alleen de arbodienst legt vast of dit een eigenrisicodragersdossier is."))
    if kind not in AbsenceCase.SelfInsurerFile.values:
        raise DomainError(_("Onbekende soort dossier."), field="self_insurer_file")
    employer = case.employer
    if (kind == AbsenceCase.SelfInsurerFile.ZW and not employer.erd_zw) or (
        kind == AbsenceCase.SelfInsurerFile.WGA and not employer.erd_wga
    ):
        raise DomainError(
            _("%(employer)s is geen eigenrisicodrager voor deze regeling.") % {"employer": employer.name},
            field="self_insurer_file",
        )
    if case.self_insurer_file == kind:
        return case
    case.self_insurer_file = kind
    case.save(update_fields=["self_insurer_file"])
    record_access(
        by,
        log.Action.UPDATE,
        "absence.self_insurer_file_marked",
        case.employee,
        obj=case,
        category=Category.A,
        data={"case": case.pk, "kind": kind},
    )
    return case
