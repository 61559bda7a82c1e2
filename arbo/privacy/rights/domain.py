"""Writes of the data-subject rights procedure: file, check identity, extend, review, decide,
restrict and lift, object.

Validation first, then one transaction with the audit record; a :class:`DomainError` changes
nothing. Letters to the person go to the portal inbox (``letters.py``) when they have an account.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.care import treating_doctor_of
from arbo.access.policy import (
    applicants_visible_to,
    employees_visible_to,
    is_employee_user,
    is_restricted,
    is_staff_user,
)
from arbo.audit import log
from arbo.consent import domain as consent_domain
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.privacy.policies import is_privacy_officer
from arbo.privacy.rights import clock, erasure, letters, package
from arbo.privacy.rights.models import IdentityCopy, Objection, Restriction, RightsRequest, SubjectStatement
from arbo.registry.models import Applicant, Employee
from arbo.retention.domain import end_hold, record_hold
from arbo.retention.models import LegalHold

Kind = RightsRequest.Kind
MIN_TEXT = 10
#: The largest ID copy accepted (a phone photo or a scan).
MAX_ID_COPY = 8 * 1024 * 1024
ID_COPY_TYPES = ("image/jpeg", "image/png", "application/pdf")
#: How long the download link of an access package stays valid.
DOWNLOAD_DAYS = 14


def may_register_for(user: User, employee: Employee) -> bool:
    """May ``user`` register a request about ``employee``? The privacy officer for anyone (letters
    to the office), other staff only for the employees they reach, an employee only for themself."""
    if is_employee_user(user):
        return employee.user_id == user.pk
    if is_privacy_officer(user):
        return True
    return is_staff_user(user) and employees_visible_to(user).filter(pk=employee.pk).exists()


#: What may be asked about an applicant (registry.Applicant): a restriction, an objection and
#: the withdrawal of consent are enforced per employee and are handled outside the system.
APPLICANT_KINDS = (Kind.ACCESS, Kind.PORTABILITY, Kind.RECTIFICATION, Kind.ERASURE)


def may_register_for_applicant(user: User, applicant: Applicant) -> bool:
    """May ``user`` register a request about ``applicant``? The privacy officer for anyone (the
    letter came to the office), other staff only when they reach the applicant through the matrix
    (``policy.applicants_visible_to``: the doctors of the team serving the employer)."""
    if is_privacy_officer(user):
        return True
    return is_staff_user(user) and applicants_visible_to(user).filter(pk=applicant.pk).exists()


def examining_doctor_of(applicant: Applicant) -> User | None:
    """The doctor of the applicant's latest pre-employment exam: they review the medical part."""
    exam = (
        applicant.pre_employment_exams.select_related("examining_doctor")
        .order_by("-exam_date", "-pk")
        .first()
    )
    return exam.examining_doctor if exam else None


def doctor_of(rights_request: RightsRequest) -> User | None:
    """Who reviews the medical part: the examining doctor of an applicant, else the treating doctor."""
    if rights_request.applicant_id is not None:
        return examining_doctor_of(rights_request.applicant)  # type: ignore[arg-type]
    return treating_doctor_of(rights_request.employee)  # type: ignore[arg-type]


def file_request(
    *,
    by: User,
    employee: Employee | None = None,
    applicant: Applicant | None = None,
    kind: str,
    description: str = "",
    received_on: dt.date | None = None,
    channel: str = RightsRequest.Channel.PORTAL,
    medical: bool = False,
    language: str = "nl",
    representative: str = "",
    authorisation: str = "",
    id_copy: bytes | None = None,
    id_copy_type: str = "",
    reply_address: str = "",
) -> RightsRequest:
    """Register a request: from the portal (``by`` is the person, identity established by the
    login with MFA) or by staff for a request that came by letter, e-mail or phone (an ID copy
    for the identity check is then required). About an employee (or former employee) or an
    applicant, exactly one; an applicant has no portal account, so staff register it and the
    answer goes by post to ``reply_address``."""
    today = timezone.localdate()
    received_on = received_on or today
    portal = is_employee_user(by)
    if kind not in Kind.values:
        raise DomainError(_("Kies een bestaande soort verzoek."), field="kind")
    if (employee is None) == (applicant is None):
        raise DomainError(_("Deze persoon is niet gevonden."), field="employee")
    if employee is not None and not may_register_for(by, employee):
        raise DomainError(_("Deze persoon is niet gevonden."), field="employee")
    if applicant is not None:
        if portal or not may_register_for_applicant(by, applicant):
            raise DomainError(_("Deze sollicitant is niet gevonden."), field="applicant")
        if kind not in APPLICANT_KINDS:
            raise DomainError(
                _(
                    "Voor een sollicitant registreert u hier inzage, overdracht, correctie of verwijdering; "
                    "een beperking, bezwaar of intrekking van toestemming handelt u buiten het systeem af."
                ),
                field="kind",
            )
        if len(reply_address.strip()) < MIN_TEXT:
            raise DomainError(
                _("Vul het postadres in waar het antwoord heen gaat (een sollicitant heeft geen portaal)."),
                field="reply_address",
            )
    if received_on > today:
        raise DomainError(_("De ontvangstdatum kan niet in de toekomst liggen."), field="received_on")
    if received_on < today - dt.timedelta(days=366):
        raise DomainError(_("De ontvangstdatum ligt meer dan een jaar terug."), field="received_on")
    if portal:
        channel = RightsRequest.Channel.PORTAL
    elif channel not in RightsRequest.Channel.values or channel == RightsRequest.Channel.PORTAL:
        raise DomainError(_("Kies hoe het verzoek binnenkwam (brief, e-mail of telefoon)."), field="channel")
    if kind in (Kind.RECTIFICATION, Kind.ERASURE, Kind.OBJECTION) and len(description.strip()) < MIN_TEXT:
        raise DomainError(_("Beschrijf wat er moet gebeuren (minstens 10 tekens)."), field="description")
    if bool(representative.strip()) != bool(authorisation.strip()):
        raise DomainError(
            _("Wie namens iemand anders een verzoek doet, laat een machtiging zien: vul beide in."),
            field="authorisation",
        )
    if not portal:
        _check_id_copy(id_copy, id_copy_type)
    if not medical:
        doctor = None
    elif applicant is not None:
        doctor = examining_doctor_of(applicant)
    else:
        doctor = treating_doctor_of(employee)  # type: ignore[arg-type]
    with transaction.atomic():
        rights_request = RightsRequest.objects.create(
            kind=kind,
            channel=channel,
            status=RightsRequest.Status.IN_PROGRESS if portal else RightsRequest.Status.IDENTITY,
            employee=employee,
            applicant=applicant,
            reply_address=reply_address.strip() if applicant is not None else "",
            description=description.strip(),
            medical=medical,
            language=language if language in dict(settings.LANGUAGES) else "nl",
            representative=representative.strip(),
            authorisation=authorisation.strip(),
            received_on=received_on,
            due_on=clock.due_date(received_on),
            decider=RightsRequest.Decider.DOCTOR if medical else RightsRequest.Decider.PRIVACY_OFFICER,
            doctor=doctor,
            registered_by=by,
            identity_verified_at=timezone.now() if portal else None,
            identity_verified_by=by if portal else None,
            identity_document=RightsRequest.DocumentKind.PORTAL_MFA if portal else "",
        )
        if not portal:
            IdentityCopy.objects.create(
                request=rights_request,
                content=base64.b64encode(id_copy or b"").decode(),
                content_type=id_copy_type,
            )
        if kind == Kind.ERASURE:
            _hold_for_erasure(rights_request, by=by)
        letters.send(rights_request, "received", by=by)
        log.record(
            by,
            log.Action.CREATE,
            "privacy.rights_request_filed",
            subject=employee or applicant,
            obj=rights_request,
            category="D",
            basis=log.Basis.SELF if portal else log.Basis.AUTHORISATION,
            data={"kind": kind, "channel": channel},
        )
    return rights_request


def _hold_for_erasure(rights_request: RightsRequest, *, by: User) -> None:
    """While an erasure request is being decided, a legal hold (all kinds) keeps the retention
    purge from changing what the decision weighs; :func:`decide` lifts it (issue 14's reason
    ``erasure_pending``). A hold of this reason already standing for the person is kept."""
    person = _person_filter(rights_request)
    standing = LegalHold.objects.filter(
        **person, reason=LegalHold.Reason.ERASURE_PENDING, lifted_at__isnull=True
    )
    if standing.exists():
        return
    record_hold(
        **person,
        reason=LegalHold.Reason.ERASURE_PENDING,
        note=rights_request.reference,
        review_on=clock.due_date(rights_request.received_on, extended=True),
        by=by,
    )


def _lift_erasure_hold(rights_request: RightsRequest, *, by: User) -> None:
    """The decision on the last open erasure request of the person ends the hold."""
    person = _person_filter(rights_request)
    others = RightsRequest.objects.filter(**person, kind=Kind.ERASURE).exclude(
        status=RightsRequest.Status.DECIDED
    )
    if others.exclude(pk=rights_request.pk).exists():
        return
    for hold in LegalHold.objects.filter(
        **person, reason=LegalHold.Reason.ERASURE_PENDING, lifted_at__isnull=True
    ):
        end_hold(hold, by=by)


def _person_filter(rights_request: RightsRequest) -> dict[str, Any]:
    """``{"employee": ...}`` or ``{"applicant": ...}``: the request's person, for other tables."""
    if rights_request.applicant_id is not None:
        return {"applicant": rights_request.applicant}
    return {"employee": rights_request.employee}


def _check_id_copy(content: bytes | None, content_type: str) -> None:
    if not content:
        raise DomainError(
            _("Voeg een kopie van het identiteitsbewijs toe (BSN en pasfoto afgeschermd)."), field="id_copy"
        )
    if len(content) > MAX_ID_COPY:
        raise DomainError(_("De kopie is te groot (hoogstens 8 MB)."), field="id_copy")
    if content_type not in ID_COPY_TYPES:
        raise DomainError(_("Alleen een foto (JPEG, PNG) of een PDF."), field="id_copy")


def record_identity_check(rights_request: RightsRequest, *, by: User, document_kind: str) -> RightsRequest:
    """Record who verified the identity, when, with which kind of document, and destroy the copy
    in the same transaction: from then on only those three facts remain."""
    _require_open(rights_request)
    if rights_request.status != RightsRequest.Status.IDENTITY:
        raise DomainError(_("De identiteit is al gecontroleerd."))
    if (
        document_kind not in RightsRequest.DocumentKind.values
        or document_kind == RightsRequest.DocumentKind.PORTAL_MFA
    ):
        raise DomainError(_("Kies het soort identiteitsbewijs."), field="document_kind")
    with transaction.atomic():
        IdentityCopy.objects.filter(request=rights_request).delete()
        rights_request.identity_verified_at = timezone.now()
        rights_request.identity_verified_by = by
        rights_request.identity_document = document_kind
        rights_request.status = RightsRequest.Status.IN_PROGRESS
        rights_request.save(
            update_fields=["identity_verified_at", "identity_verified_by", "identity_document", "status"]
        )
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.rights_identity_checked",
            subject=rights_request.subject,
            obj=rights_request,
            category="D",
            data={"document": document_kind, "copy_destroyed": True},
        )
    return rights_request


def extend(rights_request: RightsRequest, *, by: User, reason: str) -> RightsRequest:
    """The one extension by at most two months, with reasons, while the first month runs."""
    _require_open(rights_request)
    today = timezone.localdate()
    if rights_request.extended_on is not None:
        raise DomainError(_("De termijn is al eens verlengd; dat kan maar één keer."), field="reason")
    if not clock.may_extend(rights_request.received_on, today):
        raise DomainError(
            _("Verlengen kan alleen binnen de eerste maand (tot en met %(due)s).")
            % {"due": show_date(clock.due_date(rights_request.received_on))},
            field="reason",
        )
    if len(reason.strip()) < MIN_TEXT:
        raise DomainError(_("Geef de reden van de verlenging (minstens 10 tekens)."), field="reason")
    with transaction.atomic():
        rights_request.extended_on = today
        rights_request.extension_reason = reason.strip()
        rights_request.due_on = clock.due_date(rights_request.received_on, extended=True)
        rights_request.save(update_fields=["extended_on", "extension_reason", "due_on"])
        letters.send(rights_request, "extension", by=by)
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.rights_request_extended",
            subject=rights_request.subject,
            obj=rights_request,
            category="D",
        )
    return rights_request


# --- Restriction and objection (AVG art. 18 and 21) ---------------------------------------------


def restrict(
    employee: Employee, *, by: User, reason: str = "", rights_request: RightsRequest | None = None
) -> Restriction:
    """Restrict processing of ``employee``: from now on ``access.policy`` refuses every change,
    export, disclosure and job about the person until :func:`lift_restriction`."""
    if is_restricted(employee):
        raise DomainError(_("De verwerking van deze persoon is al beperkt."))
    with transaction.atomic():
        restriction = Restriction.objects.create(
            employee=employee, request=rights_request, reason=reason.strip(), started_by=by
        )
        log.record(
            by,
            log.Action.CREATE,
            "privacy.restriction_started",
            subject=employee,
            obj=restriction,
            category="D",
        )
    return restriction


def lift_restriction(employee: Employee, *, by: User) -> Restriction:
    restriction = Restriction.objects.filter(employee=employee, lifted_at__isnull=True).first()
    if restriction is None:
        raise DomainError(_("Er is geen beperking van kracht."))
    with transaction.atomic():
        restriction.lifted_at = timezone.now()
        restriction.lifted_by = by
        restriction.save(update_fields=["lifted_at", "lifted_by"])
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.restriction_lifted",
            subject=employee,
            obj=restriction,
            category="D",
        )
    return restriction


def record_objection(
    employee: Employee, *, by: User, purpose: str, rights_request: RightsRequest | None = None
) -> Objection:
    if purpose not in Objection.Purpose.values:
        raise DomainError(_("Kies waartegen het bezwaar is."), field="purpose")
    with transaction.atomic():
        objection = Objection.objects.create(employee=employee, request=rights_request, purpose=purpose)
        log.record(
            by,
            log.Action.CREATE,
            "privacy.objection_recorded",
            subject=employee,
            obj=objection,
            category="D",
            data={"purpose": purpose},
        )
    return objection


def is_objecting(employee: Employee | int, purpose: str) -> bool:
    """Does the person object to ``purpose`` (e.g. ``visitation``)? The apps that do it ask."""
    employee_id = employee if isinstance(employee, int) else employee.pk
    return Objection.objects.filter(employee_id=employee_id, purpose=purpose, lifted_at__isnull=True).exists()


# --- The download link of the package -------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_download_link(rights_request: RightsRequest) -> str:
    """A new secret for the portal link (only its hash is stored), valid :data:`DOWNLOAD_DAYS` days."""
    token = secrets.token_urlsafe(32)
    rights_request.download_token_hash = token_hash(token)
    rights_request.download_expires_at = timezone.now() + dt.timedelta(days=DOWNLOAD_DAYS)
    rights_request.save(update_fields=["download_token_hash", "download_expires_at"])
    return token


def _require_open(rights_request: RightsRequest) -> None:
    if not rights_request.is_open:
        raise DomainError(_("Dit verzoek is afgehandeld."))


# --- Review and decision ----------------------------------------------------------------------------


def may_decide(user: User, rights_request: RightsRequest) -> bool:
    """The treating doctor decides a request about the medical file, the privacy officer the rest."""
    if rights_request.decider == RightsRequest.Decider.DOCTOR:
        return rights_request.doctor_id is not None and rights_request.doctor_id == user.pk
    return is_privacy_officer(user)


def may_review(user: User, rights_request: RightsRequest) -> bool:
    return (
        rights_request.status == RightsRequest.Status.REVIEW
        and rights_request.doctor_id is not None
        and rights_request.doctor_id == user.pk
    )


def send_for_review(rights_request: RightsRequest, *, by: User) -> RightsRequest:
    """Hand the medical part of an access package to the treating doctor before release."""
    _require_in_progress(rights_request)
    if rights_request.kind not in (Kind.ACCESS, Kind.PORTABILITY):
        raise DomainError(_("Alleen een inzage- of overdrachtsverzoek gaat langs de arts."))
    doctor = rights_request.doctor or doctor_of(rights_request)
    if doctor is None:
        if rights_request.for_applicant:
            raise DomainError(
                _("Deze sollicitant is niet gekeurd: er is geen medisch deel om te beoordelen.")
            )
        raise DomainError(_("Deze persoon heeft geen behandelend arts: wijs die eerst aan."))
    with transaction.atomic():
        rights_request.doctor = doctor
        rights_request.status = RightsRequest.Status.REVIEW
        rights_request.save(update_fields=["doctor", "status"])
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.rights_request_decided",
            subject=rights_request.subject,
            obj=rights_request,
            category="D",
            data={"step": "sent_for_review"},
        )
    return rights_request


def review(rights_request: RightsRequest, *, by: User, withheld: dict[str, str]) -> RightsRequest:
    """The doctor's review: which records are withheld (WGBO 7:457: about other people), each with a reason."""
    if not may_review(by, rights_request):
        raise DomainError(_("Alleen de behandelend arts beoordeelt dit verzoek."))
    for key, reason in withheld.items():
        if len(reason.strip()) < MIN_TEXT:
            raise DomainError(
                _("Geef bij elk achtergehouden stuk de reden (minstens 10 tekens)."), field="withheld"
            )
        if ":" not in key:
            raise DomainError(_("Onbekend stuk."), field="withheld")
    with transaction.atomic():
        rights_request.withheld = {k: v.strip() for k, v in withheld.items()}
        rights_request.reviewed_at = timezone.now()
        rights_request.reviewed_by = by
        rights_request.status = RightsRequest.Status.IN_PROGRESS
        rights_request.save(update_fields=["withheld", "reviewed_at", "reviewed_by", "status"])
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.rights_package_reviewed",
            subject=rights_request.subject,
            obj=rights_request,
            category="C",
            data={"withheld": len(withheld)},
        )
    return rights_request


def decide(
    rights_request: RightsRequest,
    *,
    by: User,
    outcome: str,
    text: str = "",
    objection_purpose: str = "",
    statement_about: str = "",
    download_url: Callable[[str], str] | None = None,
) -> RightsRequest:
    """Record the decision, do what it grants, and send the decision letter.

    - access / portability: the package is released through an expiring download link (after
      the treating doctor's review when the file has a medical part);
    - restriction: processing is restricted (:func:`restrict`);
    - objection: the objection is recorded for ``objection_purpose``;
    - rectification: factual data is corrected through the usual pages (audited there); a
      contested professional judgement is not changed, the person's statement is added next to
      record ``statement_about`` (WGBO 7:454);
    - withdrawal of consent: the consent register's withdrawal (issue 16) when present;
    - erasure: :mod:`arbo.privacy.rights.erasure`.
    """
    _require_in_progress(rights_request)
    if not may_decide(by, rights_request):
        raise DomainError(_("Dit verzoek wordt door een ander beslist."))
    if outcome not in RightsRequest.Outcome.values:
        raise DomainError(_("Kies de beslissing."), field="outcome")
    granted = outcome != RightsRequest.Outcome.REFUSED
    if not granted and len(text.strip()) < MIN_TEXT:
        raise DomainError(_("Motiveer een afwijzing (minstens 10 tekens)."), field="text")
    kind = rights_request.kind
    if (
        granted
        and kind in (Kind.ACCESS, Kind.PORTABILITY)
        and rights_request.reviewed_at is None
        and package.has_medical_part(rights_request.subject)
    ):
        raise DomainError(_("De behandelend arts beoordeelt het medisch deel eerst."))
    if granted and kind == Kind.OBJECTION and objection_purpose not in Objection.Purpose.values:
        raise DomainError(_("Kies waartegen het bezwaar is."), field="objection_purpose")
    if granted and kind == Kind.RECTIFICATION and statement_about and ":" not in statement_about:
        raise DomainError(_("Onbekend stuk."), field="statement_about")
    if rights_request.for_applicant and statement_about:
        raise DomainError(
            _("Bij een sollicitant wordt geen eigen verklaring toegevoegd."), field="statement_about"
        )
    with transaction.atomic():
        employee = rights_request.employee
        # Restriction, objection, own statement and withdrawal are requests of employees only
        # (``APPLICANT_KINDS``): the person is an employee in those branches.
        token = ""
        if granted and kind in (Kind.ACCESS, Kind.PORTABILITY) and not rights_request.by_post:
            token = issue_download_link(rights_request)
        elif granted and kind == Kind.RESTRICTION:
            restrict(employee, by=by, reason=rights_request.description, rights_request=rights_request)  # type: ignore[arg-type]
        elif granted and kind == Kind.OBJECTION:
            record_objection(employee, by=by, purpose=objection_purpose, rights_request=rights_request)  # type: ignore[arg-type]
        elif granted and kind == Kind.RECTIFICATION and statement_about:
            add_statement(rights_request, about=statement_about, by=by)
        elif granted and kind == Kind.WITHDRAWAL:
            _withdraw_consent(rights_request, by=by)
        elif granted and kind == Kind.ERASURE:
            rights_request.erasure_report = erasure.erase(
                rights_request.subject, by=by, rights_request=rights_request
            )
        if kind == Kind.ERASURE:
            _lift_erasure_hold(rights_request, by=by)
        rights_request.outcome = outcome
        rights_request.decision_text = text.strip()
        rights_request.decided_on = timezone.localdate()
        rights_request.decided_by = by
        rights_request.status = RightsRequest.Status.DECIDED
        rights_request.save(
            update_fields=["outcome", "decision_text", "decided_on", "decided_by", "status", "erasure_report"]
        )
        letters.send(
            rights_request,
            "decision",
            by=by,
            extra={"download_url": download_url(token) if token and download_url else ""},
        )
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.rights_request_decided",
            subject=rights_request.subject,
            obj=rights_request,
            category="D",
            data={"kind": kind, "outcome": outcome},
        )
    return rights_request


def mark_posted(
    rights_request: RightsRequest, *, by: User, posted_on: dt.date | None = None
) -> RightsRequest:
    """Record that the decision letter (with the package on paper, for an access request) went
    into the post: for a person without a portal account, e.g. an applicant."""
    today = timezone.localdate()
    posted_on = posted_on or today
    if rights_request.is_open:
        raise DomainError(_("Er is nog geen beslissing om te versturen."))
    if not rights_request.by_post:
        raise DomainError(_("Deze persoon krijgt de brief in het portaal, niet per post."))
    if rights_request.letter_posted_on is not None:
        raise DomainError(_("De brief is al als verstuurd vastgelegd."))
    if posted_on > today:
        raise DomainError(_("De verzenddatum kan niet in de toekomst liggen."), field="posted_on")
    if rights_request.decided_on is not None and posted_on < rights_request.decided_on:
        raise DomainError(_("De brief kan niet vóór de beslissing verstuurd zijn."), field="posted_on")
    with transaction.atomic():
        rights_request.letter_posted_on = posted_on
        rights_request.letter_posted_by = by
        rights_request.save(update_fields=["letter_posted_on", "letter_posted_by"])
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.rights_letter_posted",
            subject=rights_request.subject,
            obj=rights_request,
            category="D",
            data={"posted_on": posted_on.isoformat()},
        )
    return rights_request


def add_statement(rights_request: RightsRequest, *, about: str, by: User) -> SubjectStatement:
    """WGBO 7:454(2): the person's statement kept next to the record they contest."""
    statement = SubjectStatement.objects.create(
        employee=rights_request.employee,  # type: ignore[misc]  # never an applicant (``decide``)
        request=rights_request,
        about=about,
        text=rights_request.description,
    )
    log.record(
        by,
        log.Action.CREATE,
        "privacy.statement_added",
        subject=rights_request.subject,
        obj=statement,
        category="D",
        data={"about": about},
    )
    return statement


def _withdraw_consent(rights_request: RightsRequest, *, by: User) -> None:
    """Withdrawal of consent: every consent of the person still in force and withdrawable is
    withdrawn through the consent register (issue 16, ``consent.domain.withdraw_consent``)."""
    for consent in Consent.objects.filter(employee=rights_request.employee, withdrawn_at__isnull=True):
        if consent.withdrawable:
            consent_domain.withdraw_consent(consent, by=by)


def _require_in_progress(rights_request: RightsRequest) -> None:
    _require_open(rights_request)
    if rights_request.status == RightsRequest.Status.IDENTITY:
        raise DomainError(_("Controleer eerst de identiteit."))
