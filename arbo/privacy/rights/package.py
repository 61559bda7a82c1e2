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
import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arbo.lib.pdf import render_pdf
from arbo.lib.subject import SubjectRecord, applicant_sources, sources
from arbo.medical.models import IncomingDocument, InformationRequest, MedicalNote
from arbo.prevention.models import PreEmploymentExam
from arbo.registry.models import Applicant, Employee

FORMAT = "arbodossier.access-package"
VERSION = 1

#: The apps in the order the PDF shows them; any other source follows.
SOURCE_LABELS = {
    "registry": _("Persoonsgegevens en dienstverband"),
    "absence": _("Verzuim en re-integratie"),
    "journal": _("Journaal"),
    "medical": _("Medisch dossier"),
    "prevention": _("Preventie (PMO, keuringen en blootstelling)"),
    "privacy": _("Privacy: verzoeken, klachten, datalekken"),
    "consent": _("Toestemmingen en verstrekkingen"),
    "portal": _("Brieven en wie uw dossier inzag"),
}


#: What the person reads as the title of a record whose model has no verbose name of its own (a
#: Django model name such as "sick period" is no title for a letter to the person). Translated when
#: the package is built, in the person's language (``build`` runs under it).
TITLES: dict[str, Any] = {
    "registry.employment": _("Dienstverband"),
    "registry.contract": _("Contract met de werkgever"),
    "registry.department": _("Afdeling"),
    "medical.incomingdocument": _("Ontvangen stuk"),
    "medical.informationconsent": _("Toestemming voor informatie-uitwisseling"),
    "medical.informationrequest": _("Informatieverzoek aan een behandelaar"),
    "medical.consultation": _("Consult"),
    "medical.medicalnote": _("Medische aantekening"),
    "medical.consultationadvice": _("Advies na het consult"),
    "medical.employerreportconsent": _("Toestemming voor de rapportage aan de werkgever"),
    "absence.absencecase": _("Verzuimdossier"),
    "absence.sickperiod": _("Verzuimmelding"),
    "absence.recoveryreport": _("Hersteldmelding"),
    "absence.therapeuticwork": _("Arbeidstherapeutisch werken"),
    "absence.reportchange": _("Wijziging van een melding"),
    "absence.milestone": _("Mijlpaal Wet verbetering poortwachter"),
    "absence.signal": _("Signaal"),
    "absence.casedocument": _("Re-integratiedocument"),
    "absence.documentversion": _("Versie van een re-integratiedocument"),
    "privacy.breach": _("Datalek"),
    "privacy.breachaffectedperson": _("Datalek dat u betrof"),
    "privacy.complaint": _("Klacht"),
    "portal.inboxmessage": _("Brief in uw berichten"),
    "consent.consent": _("Toestemming"),
    "consent.disclosure": _("Verstrekking"),
    "consent.visitation": _("Kwaliteitsvisitatie"),
    "consent.visitationobjection": _("Bezwaar tegen visitatie"),
}


def titled(record: SubjectRecord) -> SubjectRecord:
    """The record with a human title: an app's own title (e.g. "Verstrekking aan ...") and a
    model's verbose name stay; a bare model name becomes the title of :data:`TITLES`."""
    label = TITLES.get(record.kind)
    if label is None:
        return record
    model = apps.get_model(record.kind)
    if "verbose_name" in model._meta.original_attrs or record.title != str(model._meta.verbose_name):
        return record
    return dataclasses.replace(record, title=str(label))


def record_key(record: SubjectRecord) -> str:
    return f"{record.kind}:{record.pk}"


@dataclass(frozen=True)
class Package:
    #: The person: an employee, or an applicant (``registry.Applicant``).
    person: Employee | Applicant
    records: list[SubjectRecord]
    withheld: list[tuple[SubjectRecord, str]]
    made_at: dt.datetime

    @property
    def employee(self) -> Employee | Applicant:
        return self.person

    @property
    def is_applicant(self) -> bool:
        return isinstance(self.person, Applicant)


def providers(person: Employee | Applicant) -> dict[str, Any]:
    """The apps' read paths for this kind of person (``subject_records`` / ``applicant_records``)."""
    return applicant_sources() if isinstance(person, Applicant) else sources()


def build(person: Employee | Applicant, *, withheld: dict[str, str] | None = None) -> Package:
    """Gather every app's records of ``person`` for the person (audited per app). Call it in the
    person's language (``translation.override``): titles and labels are translated as built."""
    withheld = withheld or {}
    records: list[SubjectRecord] = []
    kept_back: list[tuple[SubjectRecord, str]] = []
    for provider in providers(person).values():
        for found in provider(person, reader=None):
            record = titled(found)
            reason = withheld.get(record_key(record))
            if reason is None:
                records.append(record)
            else:
                kept_back.append((record, reason))
    return Package(person, records, kept_back, timezone.now())


def medical_records(records: list[SubjectRecord]) -> list[SubjectRecord]:
    """The records the treating doctor reviews before release: the medical file (B and C)."""
    return [r for r in records if r.category in ("B", "C")]


def as_json(package: Package) -> dict[str, Any]:
    person = package.person
    return {
        "format": FORMAT,
        "version": VERSION,
        "made_at": package.made_at.isoformat(),
        "person": {
            "id": person.pk,
            "kind": "applicant" if package.is_applicant else "employee",
            "name": str(person),
            "birth_date": person.birth_date.isoformat(),
        },
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
    return [(str(SOURCE_LABELS.get(s, s)), by_source[s]) for s in order if s in by_source]


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


def review_records(person: Employee | Applicant, *, reader: Any) -> list[SubjectRecord]:
    """The medical part the doctor reviews, read as that doctor may read it: the medical file of
    an employee (treating doctor), the pre-employment exams of an applicant (examining doctor)."""
    provider = providers(person)["medical" if isinstance(person, Employee) else "prevention"]
    return [titled(r) for r in medical_records(provider(person, reader=reader))]


def has_medical_part(employee: Employee | Applicant) -> bool:
    """Does the person's file have a medical part the treating doctor (for an applicant: the
    examining doctor) reviews before release?"""
    if isinstance(employee, Applicant):
        return PreEmploymentExam.objects.filter(applicant=employee).exists()
    return any(
        model.objects.filter(employee=employee).exists()
        for model in (MedicalNote, IncomingDocument, InformationRequest)
    )
