"""Reading the medical record's correspondence and assessments: incoming letters, consents to ask
a treating practitioner and the requests made under them, and the FML (functionele
mogelijkhedenlijst).

Each function checks access through :mod:`arbo.access.policy`, decrypts with the person's data key
and audits the read; the view objects hold only what the reader may see (``None``: no longer
readable, the data key was destroyed). The whole file is :func:`arbo.medical.queries.medical_file_for`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.matrix import Category
from arbo.access.policy import (
    employees_visible_to,
)
from arbo.audit import log
from arbo.identity.models import User
from arbo.medical import keys
from arbo.medical.models import (
    FunctionalAbilities,
    IncomingDocument,
    InformationConsent,
    InformationRequest,
)
from arbo.medical.policies import (
    may_read_fml,
    may_read_medical,
)
from arbo.medical.records.models import FML_RUBRICS, Limitation
from arbo.registry.models import Employee


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


def fml_view(fml: FunctionalAbilities, opener: keys.Opener) -> FmlView:
    text = opener.text(fml.content_encrypted)
    if text is None:
        return FmlView(fml.pk, fml.assessed_on, str(fml.author), None, None)
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
    return FmlView(fml.pk, fml.assessed_on, str(fml.author), rubrics, content.get("remarks", ""))


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
    return [fml_view(f, opener) for f in versions]


def fml_fields(text: str) -> dict[str, str] | None:
    """The sealed FML document as the person reads it: one entry per rubric (its level, with the
    doctor's note), then the remarks; ``None`` when the text is not an FML document."""
    try:
        content = json.loads(text)
    except ValueError:
        return None
    if not isinstance(content, dict):
        return None
    levels = dict(Limitation.choices)
    fields: dict[str, str] = {}
    for key, label in FML_RUBRICS:
        rubric = content.get(key)
        if not isinstance(rubric, dict):
            continue
        level = str(levels.get(rubric.get("level", ""), rubric.get("level", "")))
        note = str(rubric.get("note", "")).strip()
        fields[str(label)] = f"{level} — {note}" if note else level
    remarks = str(content.get("remarks", "")).strip()
    if remarks:
        fields[str(_("Toelichting"))] = remarks
    return fields


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
