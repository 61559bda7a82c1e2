"""Writes on the medical file: notes here; consultations, advice and records in their own modules.

Every write checks access first (404 when the user may not change the category), validates
(DomainError with a Dutch message, nothing written), seals every medical text with the person's
data key and writes its audit record in the same transaction. Audit data never holds medical
content: only ids, counts and flags.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import require
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.medical import keys
from arbo.medical.models import Consultation, MedicalNote
from arbo.registry.models import Employee

#: CAS and ICD-10 codes: a letter and digits, optionally a dot and more (e.g. F43.2, P70, L85.1).
CODE_PATTERN = re.compile(r"^[A-Z][0-9A-Z]{1,6}(\.[0-9A-Z]{1,4})?$")


def seal(employee: Employee, text: str) -> str:
    """Seal ``text`` with the person's data key; a shredded file refuses new medical data."""
    try:
        return keys.seal(employee, text)
    except keys.MedicalDataUnavailable as exc:
        raise DomainError(
            _("Het medisch dossier van deze werknemer is vernietigd; er kan niets meer bij.")
        ) from exc


def _clean_code(value: str, field: str) -> str:
    code = value.strip().upper()
    if code and not CODE_PATTERN.match(code):
        raise DomainError(_("Geef een geldige code, bijvoorbeeld F43.2."), field=field)
    return code


@transaction.atomic
def add_medical_note(
    employee: Employee,
    *,
    kind: str,
    body: str,
    by: User,
    request: HttpRequest | None = None,
    consultation: Consultation | None = None,
    cas_code: str = "",
    icd10_code: str = "",
) -> MedicalNote:
    """Write an encrypted note in the medical file (404 unless ``by`` may change category C here).

    A diagnosis may carry a CAS and/or an ICD-10 code; other kinds carry none. A note made at a
    consultation must belong to a consultation of the same employee.
    """
    require(by, Action.CHANGE, Category.C, employee)
    if kind not in MedicalNote.Kind.values:
        raise DomainError(_("Kies een soort notitie."), field="kind")
    if not body.strip():
        raise DomainError(_("Schrijf een tekst."), field="body")
    cas, icd10 = _clean_code(cas_code, "cas_code"), _clean_code(icd10_code, "icd10_code")
    if (cas or icd10) and kind != MedicalNote.Kind.DIAGNOSIS:
        raise DomainError(_("Een CAS- of ICD-10-code hoort bij een diagnose."), field="kind")
    if consultation is not None and consultation.employee_id != employee.pk:
        raise DomainError(_("Dit consult hoort niet bij deze werknemer."), field="consultation")
    note = MedicalNote.objects.create(
        employee=employee,
        consultation=consultation,
        kind=kind,
        body_encrypted=seal(employee, body),
        cas_code_encrypted=seal(employee, cas),
        icd10_code_encrypted=seal(employee, icd10),
        author=by,
    )
    record_access(by, log.Action.CREATE, "medical.note_added", employee, obj=note, category=Category.C)
    return note
