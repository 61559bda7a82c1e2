"""The access package as a FHIR R4 Bundle (type ``collection``), for portability to another care
provider (AVG art. 20).

One Patient; a consultation is an Encounter; a medical note with an ICD-10 code a Condition
(``http://hl7.org/fhir/sid/icd-10``), without one an Observation; an information consent a Consent;
each entry of "who saw my file" an AuditEvent; every other record (letters, WvP documents, absence
reports, journal entries, PMO ...) a DocumentReference whose attachment holds the record's fields as
text, its files as further attachments. Validated with ``fhir.resources`` (R4B models, which read
R4) before it leaves: :func:`validate`.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

from arbo.lib.subject import SubjectRecord
from arbo.medical.models import SUBJECT_FIELD_LABELS
from arbo.privacy.rights.package import Package

ICD10 = "http://hl7.org/fhir/sid/icd-10"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
#: The label of the ICD-10 code among a medical note's fields (``arbo.lib.subject.record_from_row``),
#: in the language the package is made in.
ICD10_LABEL = SUBJECT_FIELD_LABELS["medical.medicalnote"]["icd10_code_encrypted"]
CONSULTATION_STATUS = {
    "gepland": "planned",
    "gehouden": "finished",
    "niet verschenen": "cancelled",
    "geannuleerd": "cancelled",
}


def _instant(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return dt.datetime.combine(value, dt.time(0), tzinfo=dt.UTC).isoformat()


def _text(record: SubjectRecord) -> str:
    return "\n".join(f"{label}: {value}" for label, value in record.fields.items())


def _attachment(text: str, title: str) -> dict[str, Any]:
    return {
        "contentType": "text/plain; charset=utf-8",
        "data": base64.b64encode(text.encode()).decode(),
        "title": title,
    }


def _patient(package: Package) -> dict[str, Any]:
    employee = package.employee
    gender = {"M": "male", "V": "female", "X": "other"}.get(getattr(employee, "gender", ""), "unknown")
    return {
        "resourceType": "Patient",
        "id": f"{'applicant' if package.is_applicant else 'employee'}-{employee.pk}",
        "name": [
            {
                "family": " ".join(p for p in (employee.tussenvoegsel, employee.surname) if p),
                "given": [n for n in (employee.first_names or employee.initials).split() if n],
                "text": str(employee),
            }
        ],
        "gender": gender,
        "birthDate": employee.birth_date.isoformat(),
    }


def _resource(record: SubjectRecord, patient: dict[str, Any]) -> dict[str, Any]:
    subject = {"reference": f"Patient/{patient['id']}"}
    ident = f"{record.kind.replace('.', '-').replace('_', '-')}-{record.pk}"
    if record.kind == "medical.consultation":
        status = CONSULTATION_STATUS.get(record.fields.get("status", ""), "finished")
        return {
            "resourceType": "Encounter",
            "id": ident,
            "status": status,
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": subject,
            "period": {"start": _instant(record.created)},
            "reasonCode": [{"text": _text(record)}],
        }
    if record.kind == "medical.medicalnote":
        code = record.fields.get(str(ICD10_LABEL), "")
        if code:
            return {
                "resourceType": "Condition",
                "id": ident,
                "subject": subject,
                "code": {"coding": [{"system": ICD10, "code": code}], "text": code},
                "recordedDate": _instant(record.created),
                "note": [{"text": _text(record)}],
            }
        return {
            "resourceType": "Observation",
            "id": ident,
            "status": "final",
            "code": {"text": record.title},
            "subject": subject,
            "effectiveDateTime": _instant(record.created),
            "valueString": _text(record),
        }
    if record.kind == "medical.informationconsent":
        return {
            "resourceType": "Consent",
            "id": ident,
            "status": "active",
            "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
            "category": [{"text": _text(record)}],
            "patient": subject,
            "dateTime": _instant(record.created),
            "policyRule": {"text": "WGBO art. 7:457"},
        }
    if record.kind == "audit.auditevent":
        return {
            "resourceType": "AuditEvent",
            "id": ident,
            "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"},
            "recorded": _instant(record.created),
            "agent": [{"who": {"display": record.fields.get("wie", "") or "systeem"}, "requestor": True}],
            "source": {"observer": {"display": "Arbodossier"}},
            "entity": [{"what": subject, "description": _text(record)}],
        }
    content = [{"attachment": _attachment(_text(record), record.title)}]
    content += [
        {
            "attachment": {
                "contentType": f.content_type,
                "data": base64.b64encode(f.content).decode(),
                "title": f.name,
            }
        }
        for f in record.files
        if f.content is not None
    ]
    return {
        "resourceType": "DocumentReference",
        "id": ident,
        "status": "current",
        "type": {"text": record.kind},
        "description": record.title,
        "subject": subject,
        "date": _instant(record.created) or None,
        "content": content,
    }


def _clean(value: Any) -> Any:
    """Drop empty values: FHIR allows no nulls, empty strings or empty lists."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_clean(v) for v in value) if v not in (None, "", [], {})]
    return value


def as_bundle(package: Package) -> dict[str, Any]:
    patient = _patient(package)
    resources = [patient] + [_resource(r, patient) for r in package.records]
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": package.made_at.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": r} for r in resources],
    }
    return _clean(bundle)


def validate(bundle: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless the bundle and every resource in it are valid FHIR."""
    from fhir.resources.R4B import get_fhir_model_class  # noqa: PLC0415 — heavy import (every FHIR model): only when validating

    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
