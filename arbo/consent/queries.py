"""Reading the consent register (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.auditing import record_access, record_access_many
from arbo.access.policy import is_employee_user, is_visiting, visiting_employee_ids
from arbo.access.subjects import Rows, collect, collect_applicant
from arbo.audit import log
from arbo.consent import visitation
from arbo.consent.items import ITEMS
from arbo.consent.models import (
    PERSONAL_DATA_CATEGORIES,
    Consent,
    Disclosure,
    Visitation,
    VisitationObjection,
)
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.medical import keys
from arbo.medical.queries import MedicalFile, medical_file_for
from arbo.registry.models import Applicant, Employee


def own_employee(user: User) -> Employee:
    """The employee record of a portal user; 404 for anyone else."""
    employee = Employee.objects.filter(user=user).first() if is_employee_user(user) else None
    if employee is None or not user.is_active:
        raise Http404
    return employee


def own_consents(user: User) -> QuerySet[Consent]:
    """Every consent the employee gave (all kinds, withdrawn ones too), audited as their own read."""
    employee = own_employee(user)
    record_access(user, log.Action.READ, "consent.own_list_viewed", employee, basis=log.Basis.SELF)
    return Consent.objects.filter(employee=employee).select_related("recipient", "practitioner", "employer")


def own_consent(user: User, consent_id: int) -> Consent:
    """One of the employee's own consents; 404 for any other."""
    employee = own_employee(user)
    consent = Consent.objects.select_related("employee").filter(employee=employee, pk=consent_id).first()
    if consent is None:
        raise Http404
    return consent


@dataclass(frozen=True)
class DisclosureRow:
    when: dt.datetime
    recipient: str
    recipient_kind: str
    what: list[str]
    ground: str
    by: str


def own_disclosures(user: User) -> list[DisclosureRow]:
    """The employee's disclosure register (every package about them), audited as their own read."""
    employee = own_employee(user)
    disclosures = Disclosure.objects.filter(employee=employee).select_related("recipient", "composed_by")
    record_access(user, log.Action.READ, "consent.own_disclosures_viewed", employee, basis=log.Basis.SELF)
    return [
        DisclosureRow(
            d.created_at,
            d.recipient.name,
            str(d.recipient.get_kind_display()),
            [str(ITEMS[key].label) if key in ITEMS else key for key in d.items],
            str(d.get_ground_display()),
            str(d.composed_by),
        )
        for d in disclosures
    ]


# --- Quality visitation ---------------------------------------------------------------------------


def own_visitation_objection(user: User) -> dt.datetime | None:
    """When the employee objected to quality visitation of their file (``None``: no objection)."""
    if not is_employee_user(user):
        raise Http404
    objection = VisitationObjection.objects.filter(employee__user=user).first()
    return objection.objected_at if objection is not None else None


@dataclass(frozen=True)
class VisitationRow:
    pk: int
    visiting: str
    visited: str
    opened_by: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    sample_size: int

    @property
    def running(self) -> bool:
        return self.starts_at <= timezone.now() < self.ends_at

    @property
    def ended(self) -> bool:
        return self.ends_at <= timezone.now()


def _may_see_visitations(user: User) -> bool:
    return visitation.may_manage_visitations(user) or visitation.is_doctor(user)


def _visitations(user: User) -> QuerySet[Visitation]:
    if not _may_see_visitations(user):
        raise Http404
    found = Visitation.objects.select_related("visiting_doctor", "visited_doctor", "opened_by").annotate(
        drawn=Count("sample")
    )
    return found if visitation.may_manage_visitations(user) else found.filter(visiting_doctor=user)


def _row(v: Visitation) -> VisitationRow:
    return VisitationRow(
        v.pk,
        str(v.visiting_doctor),
        str(v.visited_doctor),
        str(v.opened_by),
        v.starts_at,
        v.ends_at,
        v.drawn,  # type: ignore[attr-defined]
    )


def visitations_for(user: User) -> list[VisitationRow]:
    """The privacy officer's list of every visitation; a doctor's list of the ones they visit.
    Names no employee (no audit); 404 for anyone else."""
    return [_row(v) for v in _visitations(user)]


def visitation_for(user: User, visitation_id: int) -> VisitationRow:
    found = _visitations(user).filter(pk=visitation_id).first()
    if found is None:
        raise Http404
    return _row(found)


def visitation_sample(user: User, visitation_id: int) -> list[Employee]:
    """The files the visiting doctor may open now (objectors left out), audited with basis
    "visitation"; empty once the visitation has ended, and for anyone but the visiting doctor."""
    row = visitation_for(user, visitation_id)
    if not row.running:
        return []
    employees = list(
        Employee.objects.filter(
            pk__in=Visitation.sample.through.objects.filter(visitation_id=row.pk).values("employee_id")
        )
        .filter(pk__in=visiting_employee_ids(user))
        .order_by("surname", "pk")
    )
    if employees:
        record_access_many(
            user,
            log.Action.READ,
            "consent.visitation_sample_viewed",
            employees,
            category="D",
            basis=log.Basis.VISITATION,
            data={"visitation": row.pk},
        )
    return employees


def visitation_file(user: User, visitation_id: int, employee_id: int) -> tuple[Employee, MedicalFile]:
    """One sampled file, read only, while the visitation runs; 404 outside the sample, for an
    objector, after the end, and for anyone but the visiting doctor. The medical app audits the
    read; its basis is "visitation" (``access.policy.access_basis``)."""
    row = visitation_for(user, visitation_id)
    employee = (
        Employee.objects.filter(
            pk=employee_id,
            pk__in=Visitation.sample.through.objects.filter(visitation_id=row.pk).values("employee_id"),
        )
        .filter(pk__in=visiting_employee_ids(user))
        .first()
    )
    if employee is None or not is_visiting(user, employee):
        raise Http404
    return employee, medical_file_for(user, employee)


# --- Subject records (arbo.lib.subject): consents and disclosures in the access package -----------


def _disclosure_title(disclosure: Disclosure) -> str:
    return str(_("Verstrekking aan {recipient}")).format(recipient=disclosure.recipient.name)


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """The person's consents (every kind, withdrawn ones too), the disclosure register (each
    package with what it held, opened with the person's key), the visitations whose sample held
    their file, and their objection to visitation: what ``reader`` may read (``None``: the person's
    own package). The link's token and code hashes are secrets of the channel, not the person's."""
    opener = keys.Opener(employee)
    consents = Consent.objects.filter(employee=employee).select_related(
        "recipient", "practitioner", "employer", "withdrawn_by", "recorded_by"
    )
    no_form = ("employee", "applicant", "form_encrypted", "form_content_type")
    return collect(
        "consent",
        employee,
        reader,
        [
            *(
                Rows(
                    consents.filter(form_encrypted__isnull=not with_form),
                    created="given_at",
                    row_category="category",
                    skip=("employee", "applicant") if with_form else no_form,
                )
                for with_form in (False, True)
            ),
            Rows(
                Disclosure.objects.filter(employee=employee).select_related(
                    "recipient", "composed_by", "consent"
                ),
                row_category="category",
                skip=("employee", "token_hash", "code_hash", "failed_attempts"),
                title=_disclosure_title,
            ),
            Rows(
                Visitation.objects.filter(sample=employee).select_related(
                    "visiting_doctor", "visited_doctor", "opened_by"
                ),
                skip=("sample",),
            ),
            Rows(VisitationObjection.objects.filter(employee=employee), created="objected_at"),
        ],
        classification=PERSONAL_DATA_CATEGORIES,
        open_text=opener.text,
        open_file=opener.file,
    )


def applicant_records(applicant: Applicant, *, reader: User | None) -> list[SubjectRecord]:
    """The applicant's consents (the release of a pre-employment outcome to the employer)."""
    return collect_applicant(
        "consent",
        applicant,
        reader,
        [
            Rows(
                Consent.objects.filter(applicant=applicant).select_related("employer", "recorded_by"),
                created="given_at",
                row_category="category",
                skip=("employee", "applicant", "form_encrypted", "form_content_type"),
            )
        ],
        classification=PERSONAL_DATA_CATEGORIES,
    )
