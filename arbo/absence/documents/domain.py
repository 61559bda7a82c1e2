"""The WvP documents of an absence case (shared/domain.md §4; Regeling procesgang art. 2, 4, 6).

A :class:`~arbo.absence.models.CaseDocument` is edited in the app as named sections (:data:`SECTIONS`);
every save is a new :class:`~arbo.absence.models.DocumentVersion` (nothing is overwritten), whose
encrypted ``content`` is JSON: ``{"sections": {key: text}}``, and for the re-integratieverslag also
``"riv"``, the administrative data and the final parts it was assembled from (a snapshot: the RIV
handed over is the RIV that was read).

The flow: staff with category B (change) write drafts — the doctor's kinds (:data:`DOCTOR_KINDS`)
only a doctor —, finalise them (which completes the case's milestone of that kind), the employee
reads every final document and may respond, and a document reaches the employer only once
released: after finalising and, where the employee reviews first (``employee_review``), after the
employee has seen it. Category C (diagnosis, medical history) never belongs in these documents.

Who sees what (:func:`arbo.absence.documents.queries.documents_visible_to`): staff who may read
category B of the employee every document of the cases they reach; the employee their own final
documents; employer users (of the case's employer, with category A on the employee) only released
ones. Every content read and write is audited as category B, with the basis
:func:`~arbo.access.policy.access_basis` gives.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.absence.documents.kinds import (
    DOCTOR_KINDS,
    MILESTONE_OF_KIND,
    REVIEW_REQUIRED,
    RIV_CHAPTERS,
    SECTIONS,
    SINGLE_KINDS,
)
from arbo.absence.milestones.domain import complete_milestone
from arbo.absence.models import AbsenceCase, CaseDocument, DocumentVersion
from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can_receive_release,
    is_employee_user,
    is_staff_user,
    may_write_case_document,
    require,
)
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.registry.models import Employment

Kind = CaseDocument.Kind
MAX_SECTION_LENGTH = 20_000
MAX_RESPONSE_LENGTH = 10_000


def may_write(user: User, case: AbsenceCase, kind: str) -> bool:
    """May ``user`` write, finalise and release documents of ``kind`` on ``case``?"""
    return may_write_case_document(user, case.employee, doctors_only=kind in DOCTOR_KINDS)


def creatable_kinds(
    user: User, case: AbsenceCase, *, listed: list[CaseDocument] | None = None
) -> list[tuple[str, str]]:
    """The kinds ``user`` may start on ``case`` now, as (value, label) choices.

    ``listed``: the case's documents as ``user`` may open them, already read (the case page). A
    writer (staff who change category B of the employee) may open every document of the case, so
    the kinds taken are read from that list instead of asked again (issue 12).
    """
    if not may_write_case_document(user, case.employee, doctors_only=False):
        return []
    if listed is None:
        taken = set(case.documents.filter(kind__in=SINGLE_KINDS).values_list("kind", flat=True))
    else:
        taken = {d.kind for d in listed if d.kind in SINGLE_KINDS}
    # may_write per kind depends only on whether the kind is a doctor's: ask the policy twice.
    writes = {
        doctors: may_write_case_document(user, case.employee, doctors_only=doctors)
        for doctors in (False, True)
    }
    return [(k.value, str(k.label)) for k in Kind if k not in taken and writes[k in DOCTOR_KINDS]]


def _require_writer(user: User, case: AbsenceCase, kind: str) -> None:
    require(user, Action.CHANGE, Category.B, case.employee)
    if not may_write(user, case, kind):
        raise DomainError(
            _("Alleen een bedrijfsarts stelt dit document op, maakt het definitief en geeft het vrij.")
        )


def _clean_sections(kind: str, sections: dict[str, str]) -> dict[str, str]:
    keys = [s.key for s in SECTIONS[kind]]
    cleaned = {key: (sections.get(key) or "").strip() for key in keys}
    if not any(cleaned.values()):
        raise DomainError(_("Vul ten minste één onderdeel in."))
    if any(len(text) > MAX_SECTION_LENGTH for text in cleaned.values()):
        raise DomainError(_("Een onderdeel is te lang (hoogstens 20.000 tekens)."))
    return cleaned


def _write_version(document: CaseDocument, sections: dict[str, str], *, by: User) -> DocumentVersion:
    content: dict[str, Any] = {"sections": sections}
    if document.kind == Kind.RIV:
        content["riv"] = assemble_riv(document.case)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return DocumentVersion.objects.create(
        document=document, number=number, content=json.dumps(content, ensure_ascii=False), author=by
    )


@transaction.atomic
def create_document(
    case: AbsenceCase,
    *,
    kind: str,
    sections: dict[str, str],
    by: User,
    employee_review: bool | None = None,
) -> CaseDocument:
    """Start a draft of ``kind`` on ``case`` with its first version.

    ``employee_review`` defaults to the kind's rule; the doctor's kinds and the RIV are always
    reviewed by the employee first. Audited as a category B create.
    """
    if kind not in SECTIONS:
        raise DomainError(_("Onbekende soort document."), field="kind")
    # Locked: two authors starting the case's one probleemanalyse at once get one each otherwise.
    case = AbsenceCase.objects.select_for_update().select_related("employee").get(pk=case.pk)
    _require_writer(by, case, kind)
    if employee_review is None:
        employee_review = kind in REVIEW_REQUIRED
    if kind in REVIEW_REQUIRED and not employee_review:
        raise DomainError(_("De werknemer mag dit document eerst lezen; dat kun je niet uitzetten."))
    if kind in SINGLE_KINDS and case.documents.filter(kind=kind).exists():
        raise DomainError(
            _("Deze zaak heeft dit document al. Leg een wijziging vast met een bijstelling of evaluatie.")
        )
    cleaned = _clean_sections(kind, sections)
    document = CaseDocument.objects.create(
        case=case, kind=kind, employee_review=employee_review, created_by=by
    )
    version = _write_version(document, cleaned, by=by)
    record_access(
        by,
        log.Action.CREATE,
        "absence.document_created",
        document.case.employee,
        obj=document,
        data={"kind": document.kind, "version": version.number},
    )
    return document


@transaction.atomic
def save_version(
    document: CaseDocument,
    *,
    sections: dict[str, str],
    by: User,
    base_version: int | None = None,
) -> DocumentVersion:
    """Save the draft's text as a new version; earlier versions stay as they were.

    ``base_version`` is the version the author started from: when someone saved a newer one in
    the meantime, nothing is written and the author is told to look at it first.
    """
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    _require_writer(by, document.case, document.kind)
    if document.status != CaseDocument.Status.DRAFT:
        raise DomainError(
            _(
                "Dit document is definitief en verandert niet meer. Leg een wijziging vast met een bijstelling."
            )
        )
    latest = document.versions.aggregate(n=Max("number"))["n"] or 0
    if base_version is not None and base_version != latest:
        raise DomainError(
            _("Intussen is versie %(number)s opgeslagen. Bekijk die eerst; je tekst is niet opgeslagen.")
            % {"number": latest}
        )
    version = _write_version(document, _clean_sections(document.kind, sections), by=by)
    record_access(
        by,
        log.Action.UPDATE,
        "absence.document_version_saved",
        document.case.employee,
        obj=document,
        data={"kind": document.kind, "version": version.number},
    )
    return version


def _complete_milestone(document: CaseDocument, *, by: User) -> None:
    milestone_kind = MILESTONE_OF_KIND.get(document.kind)
    if milestone_kind is None:
        return
    complete_milestone(document.case, milestone_kind, by=by, document=document, done_on=timezone.localdate())


@transaction.atomic
def finalise_document(document: CaseDocument, *, by: User) -> CaseDocument:
    """Make the latest version final: no more versions, the employee can read it, and the case's
    milestone of this kind (:data:`MILESTONE_OF_KIND`) is done with this document.

    A RIV is assembled once more first, so that it holds the final parts of this moment.
    """
    document = CaseDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
    _require_writer(by, document.case, document.kind)
    if document.status != CaseDocument.Status.DRAFT:
        raise DomainError(_("Dit document is al definitief."))
    latest = document.versions.order_by("-number").first()
    if latest is None:
        raise DomainError(_("Sla eerst een versie op."))
    sections = json.loads(latest.content)["sections"]
    if document.kind == Kind.PLAN_VAN_AANPAK and not sections.get("casemanager"):
        raise DomainError(
            _("Noem in het plan van aanpak de casemanager (Regeling procesgang art. 4 lid 2c)."),
            field="casemanager",
        )
    if document.kind == Kind.RIV and json.loads(latest.content).get("riv") != assemble_riv(document.case):
        latest = _write_version(document, sections, by=by)
    document.status = CaseDocument.Status.FINAL
    document.finalised_at = timezone.now()
    document.finalised_by = by
    document.save(update_fields=["status", "finalised_at", "finalised_by"])
    record_access(
        by,
        log.Action.UPDATE,
        "absence.document_finalised",
        document.case.employee,
        obj=document,
        data={"kind": document.kind, "version": latest.number},
    )
    _complete_milestone(document, by=by)
    return document


@transaction.atomic
def record_employee_review(document: CaseDocument, *, by: User, response: str = "") -> CaseDocument:
    """The employee has seen the final document, with an optional response (stored once).

    ``by`` is the employee, or a staff member (category B change) who records that the employee
    read it on paper or by mail and, if so, what the employee answered. On the RIV the response
    is the employee's own opinion (Regeling procesgang art. 6 onder l) and goes with the report.
    """
    document = CaseDocument.objects.select_for_update().select_related("case__employee").get(pk=document.pk)
    employee = document.case.employee
    on_behalf = is_staff_user(by)
    if on_behalf:
        require(by, Action.CHANGE, Category.B, employee)
    elif not (is_employee_user(by) and can_receive_release(by, employee)):
        raise Http404
    if document.status != CaseDocument.Status.FINAL:
        raise DomainError(_("De werknemer leest een document pas als het definitief is."))
    response = response.strip()
    if response and document.employee_response:
        raise DomainError(_("Er is al een reactie vastgelegd."), field="response")
    if len(response) > MAX_RESPONSE_LENGTH:
        raise DomainError(_("De reactie is te lang (hoogstens 10.000 tekens)."), field="response")
    fields = []
    if document.employee_seen_at is None:
        document.employee_seen_at = timezone.now()
        fields.append("employee_seen_at")
    if response:
        document.employee_response = response
        fields.append("employee_response")
    if fields:
        document.save(update_fields=fields)
    record_access(
        by,
        log.Action.UPDATE,
        "absence.document_reviewed_by_employee",
        document.case.employee,
        obj=document,
        data={"kind": document.kind, "responded": bool(response), "recorded_by_staff": on_behalf},
    )
    return document


@transaction.atomic
def release_to_employer(document: CaseDocument, *, by: User) -> CaseDocument:
    """Let the employer's users read the final document (with category A on the employee).

    Refused before finalising, and for a document the employee reviews first, before the employee
    has seen it (shared/domain.md §4).
    """
    document = CaseDocument.objects.select_for_update().select_related("case__employee").get(pk=document.pk)
    _require_writer(by, document.case, document.kind)
    if document.status != CaseDocument.Status.FINAL:
        raise DomainError(_("Alleen een definitief document gaat naar de werkgever."))
    if document.released_to_employer_at is not None:
        raise DomainError(_("Dit document is al vrijgegeven aan de werkgever."))
    if document.employee_review and document.employee_seen_at is None:
        raise DomainError(
            _(
                "De werknemer heeft dit document nog niet gezien. Het gaat pas naar de werkgever als de werknemer het heeft kunnen lezen en erop heeft kunnen reageren."
            )
        )
    document.released_to_employer_at = timezone.now()
    document.save(update_fields=["released_to_employer_at"])
    record_access(
        by,
        log.Action.UPDATE,
        "absence.document_released",
        document.case.employee,
        obj=document,
        data={"kind": document.kind},
    )
    return document


def _latest_final(case: AbsenceCase, kind: str) -> list[CaseDocument]:
    return list(
        case.documents.filter(kind=kind, status=CaseDocument.Status.FINAL)
        .order_by("finalised_at", "id")
        .prefetch_related("versions")
    )


def assemble_riv(case: AbsenceCase) -> dict[str, Any]:
    """The RIV's administrative data (art. 6 a, c, e) and the final parts (f–k), as stored JSON.

    Pure read, not audited: it becomes part of a RIV version, whose reads are audited.
    """
    employee, employer = case.employee, case.employer
    employment = (
        Employment.objects.filter(employee=employee, employer=employer, starts_on__lte=case.first_sick_day)
        .order_by("-starts_on")
        .first()
    )
    admin = {
        "employee_name": employee.full_name,
        "birth_date": show_date(employee.birth_date),
        "employer_name": employer.name,
        "employer_address": employer.address_line,
        "job_title": employment.job_title if employment else "",
        "hours_per_week": f"{employment.hours_per_week}" if employment and employment.hours_per_week else "",
        "employed_since": show_date(employment.starts_on) if employment else "",
        "first_sick_day": show_date(case.first_sick_day),
        "casemanager": str(case.casemanager) if case.casemanager else "",
    }
    parts = []
    for _letter, _title, kinds in RIV_CHAPTERS:
        for kind, latest_only in kinds:
            documents = _latest_final(case, kind)
            for document in documents[-1:] if latest_only else documents:
                version = max(document.versions.all(), key=lambda v: v.number)
                parts.append(
                    {
                        "document": document.pk,
                        "kind": kind,
                        "version": version.number,
                        "finalised_on": f"{document.finalised_at:%Y-%m-%d}" if document.finalised_at else "",
                        "sections": json.loads(version.content)["sections"],
                    }
                )
    return {"admin": admin, "parts": parts}


def initial_sections(case: AbsenceCase, kind: str, *, by: User) -> dict[str, str]:
    """What a new document of ``kind`` starts with: the plan names its casemanager."""
    if kind == Kind.PLAN_VAN_AANPAK:
        return {"casemanager": str(case.casemanager or by)}
    return {}
