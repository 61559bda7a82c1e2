"""Writes on the rest of the medical file: incoming letters, information requests, the FML."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access
from arbo.access.matrix import Category
from arbo.access.policy import can_file_medical_correspondence
from arbo.audit import log
from arbo.consent import domain as consent_register
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.medical import keys
from arbo.medical.domain import seal
from arbo.medical.models import (
    FunctionalAbilities,
    IncomingDocument,
    InformationConsent,
    InformationRequest,
)
from arbo.medical.policies import may_treat, may_write_fml
from arbo.medical.records.models import FML_RUBRICS, MAX_DOCUMENT_BYTES, Limitation
from arbo.registry.models import Employee, Practitioner

#: What a scan may be, recognised by its first bytes (the browser's content type is not trusted).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
MAX_NOTE = 500


def _content_type(head: bytes) -> str:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise DomainError(_("Upload een scan als PDF, JPEG, PNG of TIFF."), field="file")


# --- Incoming correspondence ---------------------------------------------------------------------


@transaction.atomic
def file_incoming_document(
    employee: Employee,
    *,
    upload: UploadedFile,
    received_on: dt.date,
    sender: str = "",
    description: str = "",
    paper_destroyed_on: dt.date | None = None,
    paper_retained: bool = False,
    by: User,
) -> IncomingDocument:
    """File a scanned letter in the medical file, scanned today (seed 004: on the day of receipt).

    Write-only for the secretariat (``can_file_medical_correspondence``): filing does not give
    read access to the letter. The file and every text about it are sealed with the person's key.
    """
    if not can_file_medical_correspondence(by, employee):
        raise Http404
    today = timezone.localdate()
    if received_on > today:
        raise DomainError(_("De ontvangstdatum ligt in de toekomst."), field="received_on")
    if paper_destroyed_on is not None and paper_retained:
        raise DomainError(
            _("Het papier is vernietigd of wordt bewaard, niet allebei."), field="paper_retained"
        )
    if paper_destroyed_on is not None and not received_on <= paper_destroyed_on <= today:
        raise DomainError(
            _("De datum van vernietiging van het papier moet tussen de ontvangst en vandaag liggen."),
            field="paper_destroyed_on",
        )
    size = upload.size or 0
    if not 0 < size <= MAX_DOCUMENT_BYTES:
        raise DomainError(_("Een scan is hoogstens 10 MB groot."), field="file")
    content = upload.read()
    content_type = _content_type(content[:8])
    try:
        sealed_file = keys.encrypt_file_for(employee, content)
    except keys.MedicalDataUnavailable as exc:
        raise DomainError(
            _("Het medisch dossier van deze werknemer is vernietigd; er kan niets meer bij.")
        ) from exc
    document = IncomingDocument.objects.create(
        employee=employee,
        received_on=received_on,
        scanned_on=today,
        sender_encrypted=seal(employee, sender.strip()),
        description_encrypted=seal(employee, description.strip()),
        filename_encrypted=seal(employee, (upload.name or "scan")[-200:]),
        content_type=content_type,
        size=len(content),
        content_encrypted=sealed_file,
        paper_destroyed_on=paper_destroyed_on,
        paper_retained=paper_retained,
        filed_by=by,
    )
    record_access(
        by, log.Action.CREATE, "medical.document_filed", employee, obj=document, category=Category.C
    )
    return document


@transaction.atomic
def record_paper_destroyed(
    document: IncomingDocument,
    *,
    destroyed_on: dt.date,
    by: User,
) -> IncomingDocument:
    """Record that the paper original was shredded (or, with ``destroyed_on`` None, kept locked)."""
    if not can_file_medical_correspondence(by, document.employee):
        raise Http404
    if document.paper_destroyed_on is not None:
        raise DomainError(_("Het papier is al als vernietigd vastgelegd."))
    if not document.received_on <= destroyed_on <= timezone.localdate():
        raise DomainError(
            _("De datum van vernietiging van het papier moet tussen de ontvangst en vandaag liggen."),
            field="destroyed_on",
        )
    document.paper_destroyed_on, document.paper_retained = destroyed_on, False
    document.save(update_fields=["paper_destroyed_on", "paper_retained"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.document_paper_destroyed",
        document.employee,
        obj=document,
        category=Category.C,
    )
    return document


# --- Information from and to treating practitioners ----------------------------------------------


@transaction.atomic
def record_information_consent(
    employee: Employee,
    *,
    practitioner: Practitioner,
    question: str,
    given_by: str,
    given_on: dt.date,
    by: User,
    how: str = "mondeling",
) -> InformationConsent:
    """Record that the employee (or their representative) consented to exchanging information with
    ``practitioner`` about ``question`` (seed 003: only with explicit consent)."""
    if not may_treat(by, employee):
        raise Http404
    if not question.strip():
        raise DomainError(_("Beschrijf de vraag waarvoor toestemming is gegeven."), field="question")
    if not given_by.strip():
        raise DomainError(_("Vul in wie toestemming gaf."), field="given_by")
    if given_on > timezone.localdate():
        raise DomainError(_("De datum van de toestemming ligt in de toekomst."), field="given_on")
    entry = consent_register.record_consent(
        Consent.Kind.INFORMATION_EXCHANGE,
        employee=employee,
        practitioner=practitioner,
        purpose=str(_("Informatie-uitwisseling met {practitioner}")).format(practitioner=practitioner),
        how=how,
        given_by=given_by,
        # Noon of the day it was given, but never later than now: a consent given this morning and
        # withdrawn before noon must not be withdrawn before it was given.
        given_at=min(timezone.make_aware(dt.datetime.combine(given_on, dt.time(12))), timezone.now()),
        scope=[Category.C],
        category=Category.C,
        by=by,
    )
    consent = InformationConsent.objects.create(
        employee=employee,
        practitioner=practitioner,
        question_encrypted=seal(employee, question.strip()),
        given_by=given_by.strip(),
        given_on=given_on,
        recorded_by=by,
        register_entry=entry,
    )
    record_access(
        by,
        log.Action.CREATE,
        "medical.information_consent_recorded",
        employee,
        obj=consent,
        category=Category.C,
    )
    return consent


@transaction.atomic
def withdraw_information_consent(consent: InformationConsent, *, by: User) -> InformationConsent:
    """The employee withdrew the consent: no new requests; earlier ones stay (not retroactive).

    The withdrawal happens in the one register (:func:`arbo.consent.domain.withdraw_consent`).
    """
    if not may_treat(by, consent.employee):
        raise Http404
    if consent.register_entry is None:
        raise DomainError(_("Deze toestemming staat niet in het toestemmingsregister."))
    consent_register.withdraw_consent(consent.register_entry, by=by)
    record_access(
        by,
        log.Action.UPDATE,
        "medical.information_consent_withdrawn",
        consent.employee,
        obj=consent,
        category=Category.C,
    )
    return consent


@transaction.atomic
def create_information_request(
    employee: Employee,
    *,
    practitioner: Practitioner,
    question: str,
    direction: str = InformationRequest.Direction.TO_PRACTITIONER,
    by: User,
) -> InformationRequest:
    """Record a request to (or from) ``practitioner``; refused without the employee's consent."""
    if not may_treat(by, employee):
        raise Http404
    if direction not in InformationRequest.Direction.values:
        raise DomainError(_("Kies de richting van het verzoek."), field="direction")
    if not question.strip():
        raise DomainError(_("Schrijf de vraag."), field="question")
    consent = (
        InformationConsent.objects.filter(
            employee=employee, practitioner=practitioner, register_entry__in=Consent.objects.valid()
        )
        .order_by("-given_on", "-pk")
        .first()
    )
    if consent is None:
        raise DomainError(
            _(
                "Er is geen toestemming van de werknemer vastgelegd voor informatie-uitwisseling met "
                "deze behandelaar. Leg eerst de toestemming vast."
            ),
            field="practitioner",
        )
    info_request = InformationRequest.objects.create(
        employee=employee,
        practitioner=practitioner,
        consent=consent,
        direction=direction,
        question_encrypted=seal(employee, question.strip()),
        requested_by=by,
        requested_at=timezone.now(),
    )
    record_access(
        by,
        log.Action.CREATE,
        "medical.information_requested",
        employee,
        obj=info_request,
        category=Category.C,
        data={"consent": consent.pk, "direction": direction},
    )
    return info_request


@transaction.atomic
def record_information_answer(
    info_request: InformationRequest, *, answer: str, by: User
) -> InformationRequest:
    if not may_treat(by, info_request.employee):
        raise Http404
    if info_request.answered_at is not None:
        raise DomainError(_("Dit verzoek is al beantwoord."))
    if not answer.strip():
        raise DomainError(_("Schrijf het antwoord."), field="answer")
    info_request.answer_encrypted = seal(info_request.employee, answer.strip())
    info_request.answered_at = timezone.now()
    info_request.save(update_fields=["answer_encrypted", "answered_at"])
    record_access(
        by,
        log.Action.UPDATE,
        "medical.information_answered",
        info_request.employee,
        obj=info_request,
        category=Category.C,
    )
    return info_request


# --- FML / belastbaarheid ------------------------------------------------------------------------


@transaction.atomic
def record_functional_abilities(
    employee: Employee,
    *,
    assessed_on: dt.date,
    rubrics: Mapping[str, tuple[str, str]],
    remarks: str = "",
    by: User,
) -> FunctionalAbilities:
    """A new dated version of the FML: per rubric a limitation level and a short note (category B).

    ``rubrics`` maps every key of :data:`FML_RUBRICS` to ``(level, note)``.
    """
    if not may_write_fml(by, employee):
        raise Http404
    if assessed_on > timezone.localdate():
        raise DomainError(_("De beoordelingsdatum ligt in de toekomst."), field="assessed_on")
    content: dict[str, object] = {}
    for key, _label in FML_RUBRICS:
        level, note = rubrics.get(key, (Limitation.NOT_ASSESSED, ""))
        if level not in Limitation.values:
            raise DomainError(_("Kies per rubriek de mate van beperking."), field=key)
        if len(note) > MAX_NOTE:
            raise DomainError(_("Een toelichting is hoogstens 500 tekens."), field=key)
        content[key] = {"level": level, "note": note.strip()}
    content["remarks"] = remarks.strip()
    fml = FunctionalAbilities.objects.create(
        employee=employee,
        assessed_on=assessed_on,
        content_encrypted=seal(employee, json.dumps(content, ensure_ascii=False)),
        author=by,
    )
    record_access(by, log.Action.CREATE, "medical.fml_recorded", employee, obj=fml, category=Category.B)
    return fml
