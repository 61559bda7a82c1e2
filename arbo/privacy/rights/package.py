"""The access package (AVG art. 15 and 20, WGBO 7:456): everything the arbodienst holds about one
person, in three forms.

Built from every app's subject records (``arbo.lib.subject.sources``) *for the data subject*
(``reader=None``: every category, medical content decrypted), minus what the treating doctor
withheld on review (WGBO 7:457: information about other people), each with its reason.

- **JSON** (portability, :func:`as_json`): ``{"format": "arbodossier.access-package", "version": 1,
  "person": {...}, "records": [...], "withheld": [...]}``; a record is
  ``{"source", "kind", "category", "id", "created", "title", "fields": {label: value}, "files":
  [{"name", "content_type", "content_base64"}]}`` (docs/privacy.md).
- **PDF** (:func:`as_pdf`): the same, readable, grouped by app; files as PDF attachments.
- **FHIR R4 Bundle** (``fhir.py``): Patient, Encounter, Condition (ICD-10), Observation,
  DocumentReference, Consent, AuditEvent.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from arbo.absence.pdf import render_pdf
from arbo.lib.subject import SubjectRecord, sources
from arbo.medical.models import IncomingDocument, InformationRequest, MedicalNote
from arbo.registry.models import Employee

FORMAT = "arbodossier.access-package"
VERSION = 1

#: The apps in the order the PDF shows them; any other source follows.
SOURCE_LABELS = {
    "registry": "Persoonsgegevens en dienstverband",
    "absence": "Verzuim en re-integratie",
    "journal": "Journaal",
    "medical": "Medisch dossier",
    "prevention": "Preventie (PMO en blootstelling)",
    "privacy": "Privacy: verzoeken, klachten, datalekken",
    "portal": "Brieven en wie uw dossier inzag",
}


def record_key(record: SubjectRecord) -> str:
    return f"{record.kind}:{record.pk}"


@dataclass(frozen=True)
class Package:
    employee: Employee
    records: list[SubjectRecord]
    withheld: list[tuple[SubjectRecord, str]]
    made_at: dt.datetime


def build(employee: Employee, *, withheld: dict[str, str] | None = None) -> Package:
    """Gather every app's records of ``employee`` for the person (audited per app)."""
    withheld = withheld or {}
    records: list[SubjectRecord] = []
    kept_back: list[tuple[SubjectRecord, str]] = []
    for provider in sources().values():
        for record in provider(employee, reader=None):
            reason = withheld.get(record_key(record))
            if reason is None:
                records.append(record)
            else:
                kept_back.append((record, reason))
    return Package(employee, records, kept_back, timezone.now())


def medical_records(records: list[SubjectRecord]) -> list[SubjectRecord]:
    """The records the treating doctor reviews before release: the medical file (B and C)."""
    return [r for r in records if r.category in ("B", "C")]


def as_json(package: Package) -> dict[str, Any]:
    employee = package.employee
    return {
        "format": FORMAT,
        "version": VERSION,
        "made_at": package.made_at.isoformat(),
        "person": {"id": employee.pk, "name": str(employee), "birth_date": employee.birth_date.isoformat()},
        "records": [
            {
                **record.as_json(),
                "files": [
                    {
                        "name": f.name,
                        "content_type": f.content_type,
                        "content_base64": base64.b64encode(f.content).decode()
                        if f.content is not None
                        else None,
                    }
                    for f in record.files
                ],
            }
            for record in package.records
        ],
        "withheld": [
            {"record": record_key(r), "title": r.title, "reason": reason} for r, reason in package.withheld
        ],
    }


def _sections(package: Package) -> list[tuple[str, list[SubjectRecord]]]:
    by_source: dict[str, list[SubjectRecord]] = {}
    for record in package.records:
        by_source.setdefault(record.source, []).append(record)
    order = list(SOURCE_LABELS) + sorted(set(by_source) - set(SOURCE_LABELS))
    return [(SOURCE_LABELS.get(s, s), by_source[s]) for s in order if s in by_source]


def as_pdf(package: Package) -> bytes:
    from weasyprint import Attachment  # noqa: PLC0415 — heavy import (WeasyPrint, Pango): only when a PDF is made

    attachments = [
        Attachment(file_obj=io.BytesIO(f.content), name=f"{record.kind}-{record.pk}-{f.name}")
        for record in package.records
        for f in record.files
        if f.content is not None
    ]
    return render_pdf(
        "privacy/rights/package_pdf.html",
        {"package": package, "sections": _sections(package)},
        attachments=attachments,
    )


def has_medical_part(employee: Employee) -> bool:
    """Does the person's file have a medical part the treating doctor reviews before release?"""
    return any(
        model.objects.filter(employee=employee).exists()
        for model in (MedicalNote, IncomingDocument, InformationRequest)
    )
