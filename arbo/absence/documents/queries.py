"""Reading the WvP documents of an absence case: which documents a user may open
(:func:`documents_visible_to`), one version as the user may read it (audited, category B), and the
lists on the case page and the employee file (audited as category A reads: kind, status and dates
only). The writes are :mod:`arbo.absence.documents.domain`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from arbo.absence.documents.domain import creatable_kinds
from arbo.absence.documents.kinds import (
    RIV_ADMIN_LABELS,
    RIV_CHAPTERS,
    SECTIONS,
)
from arbo.absence.models import AbsenceCase, CaseDocument, DocumentVersion
from arbo.absence.queries import cases_visible_to
from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    case_document_reader,
    is_employee_user,
    is_employer_user,
    is_staff_user,
    may_see_uwv_sheet,
)
from arbo.audit import log
from arbo.identity.models import User
from arbo.registry.models import Employee

Kind = CaseDocument.Kind


def documents_visible_to(user: User) -> QuerySet[CaseDocument]:
    """The documents ``user`` may open: every document view fetches through this (else 404)."""
    return _readable(user, CaseDocument.objects.filter(case__in=cases_visible_to(user)))


def _documents_of_visible_case(user: User, case: AbsenceCase) -> QuerySet[CaseDocument]:
    """:func:`documents_visible_to` for one case the caller read through ``cases_visible_to``
    (:func:`case_for_documents`, ``absence.queries.read_case``): the case is visible, so the
    visibility subquery over all the user's cases is not built again (issue 12); which of its
    documents the user may open is the same rule (:func:`_readable`)."""
    return _readable(user, CaseDocument.objects.filter(case=case))


def _readable(user: User, documents: QuerySet[CaseDocument]) -> QuerySet[CaseDocument]:
    """Of ``documents`` (of visible cases), those ``user`` may open."""
    if is_staff_user(user) and can(user, Action.READ, Category.B):
        return documents
    if is_employee_user(user):
        return documents.filter(status=CaseDocument.Status.FINAL)
    if is_employer_user(user):
        # cases_visible_to already demands category A on the employee, which is what
        # can_receive_release asks of an employer user.
        return documents.filter(status=CaseDocument.Status.FINAL, released_to_employer_at__isnull=False)
    return CaseDocument.objects.none()


def document_for(user: User, document_id: int | str) -> CaseDocument:
    """A document the user may open (with its case, people and authors), else 404. Not audited:
    :func:`read_document` audits what is shown, a write audits itself."""
    return get_object_or_404(
        documents_visible_to(user).select_related(
            "case__employee", "case__employer", "case__casemanager", "created_by", "finalised_by"
        ),
        pk=document_id,
    )


def case_for_documents(user: User, case_id: int | str) -> AbsenceCase:
    """A case the user may see, with its people (the documents pages), else 404; not audited: the
    documents read through :func:`documents_context` and :func:`read_document` are."""
    return get_object_or_404(
        cases_visible_to(user).select_related("employee", "employer", "casemanager"), pk=case_id
    )


def kind_label(kind: str) -> str:
    """The name of a kind of document (a valid kind: the caller checked it)."""
    return str(CaseDocument.Kind(kind).label)


def viewer_role(user: User, document: CaseDocument) -> str:
    """ "staff", "employee" or "employer": which page of the document ``user`` gets (404 if none;
    the rule is :func:`arbo.access.policy.case_document_reader`)."""
    role = case_document_reader(
        user,
        document.case.employee,
        final=document.status == CaseDocument.Status.FINAL,
        released=document.released_to_employer_at is not None,
    )
    if role is None:
        raise Http404
    return role


@dataclass(frozen=True)
class RivPart:
    kind_label: str
    version: int
    finalised_on: dt.date | None
    sections: list[tuple[str, str]]


@dataclass(frozen=True)
class RivChapter:
    letter: str
    title: str
    parts: list[RivPart]


@dataclass(frozen=True)
class RivView:
    admin: list[tuple[str, str]]
    chapters: list[RivChapter]
    employee_opinion: str


@dataclass(frozen=True)
class ReadableDocument:
    """A document as one user reads it: one version's sections, labelled, and for a RIV its parts."""

    document: CaseDocument
    version: DocumentVersion | None
    sections: list[tuple[str, str]] = field(default_factory=list)
    riv: RivView | None = None
    #: The section texts by key, to prefill the edit form.
    texts: dict[str, str] = field(default_factory=dict)
    #: The text the document was finalised with (not a draft, not an earlier version).
    is_final: bool = False


def _labelled(kind: str, texts: dict[str, str]) -> list[tuple[str, str]]:
    return [(str(s.label), texts.get(s.key, "")) for s in SECTIONS[kind]]


def _riv_view(document: CaseDocument, stored: dict[str, Any]) -> RivView:
    admin = [(str(label), stored["admin"].get(key, "")) for key, label in RIV_ADMIN_LABELS.items()]
    chapters = []
    for letter, title, kinds in RIV_CHAPTERS:
        chapter_kinds = {kind for kind, _latest in kinds}
        parts = [
            RivPart(
                kind_label=str(Kind(part["kind"]).label),
                version=part["version"],
                finalised_on=dt.date.fromisoformat(part["finalised_on"]) if part["finalised_on"] else None,
                sections=_labelled(part["kind"], part["sections"]),
            )
            for part in stored["parts"]
            if part["kind"] in chapter_kinds
        ]
        chapters.append(RivChapter(letter, str(title), parts))
    return RivView(admin, chapters, document.employee_response)


def read_document(
    user: User,
    document: CaseDocument,
    *,
    number: int | None = None,
    export: bool = False,
) -> ReadableDocument:
    """One version of ``document`` as ``user`` may read it, audited (category B; ``export`` for a PDF).

    Staff may read any version (``number``; the latest by default); the employee and the employer
    read the final text only. Raises 404 for a version that does not exist or is not theirs.
    """
    role = viewer_role(user, document)
    versions = document.versions.select_related("author")
    if number is not None and role != "staff":
        raise Http404
    version = (
        versions.filter(number=number).first() if number is not None else versions.order_by("-number").first()
    )
    if number is not None and version is None:
        raise Http404
    if version is None:
        return ReadableDocument(document, None)
    content = json.loads(version.content)
    record_access(
        user,
        log.Action.EXPORT if export else log.Action.READ,
        "absence.document_exported" if export else "absence.document_viewed",
        document.case.employee,
        obj=document,
        data={"kind": document.kind, "version": version.number},
    )
    riv = _riv_view(document, content["riv"]) if document.kind == Kind.RIV else None
    texts = content["sections"]
    is_final = (
        document.status == CaseDocument.Status.FINAL
        and not document.versions.filter(number__gt=version.number).exists()
    )
    return ReadableDocument(document, version, _labelled(document.kind, texts), riv, texts, is_final)


def case_documents_for(user: User, case: AbsenceCase, *, with_versions: bool = False) -> list[CaseDocument]:
    """The case's documents ``user`` may open, with their version counts (and, ``with_versions``,
    the versions' numbers, authors and dates); audited as a category A read: kind, status and
    dates are process data, and no content is read here."""
    if getattr(case, "has_documents", True) is False:  # read_case(for_page=True): none to list
        return []
    documents = (
        _documents_of_visible_case(user, case)
        .annotate(version_count=Count("versions"))
        .order_by("created_at", "id")
    )
    if with_versions:
        versions = DocumentVersion.objects.defer("content").select_related("author").order_by("number")
        documents = documents.prefetch_related(Prefetch("versions", queryset=versions))
    listed: list[CaseDocument] = list(documents)
    if listed:
        record_access(
            user,
            log.Action.READ,
            "absence.documents_listed",
            case.employee,
            obj=case,
            data={"count": len(listed)},
        )
    return listed


def employee_documents_for(user: User, employee: Employee, *, limit: int = 50) -> list[CaseDocument]:
    """The documents of all of ``employee``'s cases that ``user`` may open, newest first (the
    employee file's documents tab, issue 18); audited as one category A read, like a case's list:
    kind, status and dates are process data, no content is read here."""
    listed: list[CaseDocument] = list(
        documents_visible_to(user)
        .filter(case__employee=employee)
        .select_related("case", "finalised_by")
        .order_by("-created_at", "-id")[:limit]
    )
    if listed:
        record_access(
            user,
            log.Action.READ,
            "absence.documents_listed",
            employee,
            data={"count": len(listed)},
        )
    return listed


def documents_context(user: User, case: AbsenceCase, *, with_versions: bool = False) -> dict[str, Any]:
    """What ``absence/documents/_section.html`` needs on the case page: the case's documents this
    user may open (audited as one category A read), the kinds they may start, the UWV sheet link.
    ``case`` was read through ``cases_visible_to``."""
    listed = case_documents_for(user, case, with_versions=with_versions)
    return {
        "case": case,
        "case_documents": listed,
        "creatable_document_kinds": creatable_kinds(user, case, listed=listed),
        "show_uwv_sheet": may_see_uwv_sheet(user, case.employee),
        "documents_for_staff": is_staff_user(user),
    }
