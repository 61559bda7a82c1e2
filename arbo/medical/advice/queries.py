"""Reading the advice after a consultation: as staff with category B read it, as the employer
receives it once released (with the no-show notices and regular appointments), and the objects the
advice pages act on.

Each function checks access through :mod:`arbo.access.policy`, decrypts with the person's data key
and audits the read. The employee's own overview is :func:`arbo.medical.queries.own_overview`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_receive_release,
    employees_visible_to,
    is_employee_user,
    is_employer_user,
    is_staff_user,
)
from arbo.audit import log
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.medical import keys
from arbo.medical.consultations.queries import Appointment, NoShowNotice, appointment
from arbo.medical.models import (
    Consultation,
    ConsultationAdvice,
)
from arbo.medical.policies import (
    may_read_medical,
)
from arbo.registry.models import Employee


@dataclass(frozen=True)
class AdviceView:
    pk: int
    consultation_id: int
    consultation_date: dt.datetime
    author: str
    can_do: str | None
    cannot_do: str | None
    expected_duration: str | None
    adjustments: str | None
    reintegration: str | None
    review_requested: bool
    employee_released_at: dt.datetime | None
    employer_released_at: dt.datetime | None
    seen_at: dt.datetime | None
    correction_requested: bool
    response: str | None
    reaches_employer: bool
    consent_how: str = ""
    consent_given_at: dt.datetime | None = None
    #: When the advice was last saved: the token of the edit form (issue 19, optimistic concurrency).
    updated_at: dt.datetime | None = None

    @property
    def readable(self) -> bool:
        return self.can_do is not None

    @property
    def awaiting_review(self) -> bool:
        return (
            self.review_requested
            and self.employee_released_at is not None
            and self.employer_released_at is None
            and self.seen_at is None
        )


@dataclass
class EmployerRelease:
    """What an employer user sees of the medical app for one employee: only what was released."""

    advice: list[AdviceView]
    notices: list[NoShowNotice]
    appointments: list[Appointment]

    def __bool__(self) -> bool:
        return bool(self.advice or self.notices or self.appointments)


def advice_view(advice: ConsultationAdvice, opener: keys.Opener, *, with_response: bool = True) -> AdviceView:
    consent = getattr(advice, "employer_consent", None)
    return AdviceView(
        pk=advice.pk,
        consultation_id=advice.consultation_id,
        consultation_date=advice.consultation.starts_at,
        author=str(advice.author),
        can_do=opener.text(advice.can_do_encrypted),
        cannot_do=opener.text(advice.cannot_do_encrypted),
        expected_duration=opener.text(advice.expected_duration_encrypted),
        adjustments=opener.text(advice.adjustments_encrypted),
        reintegration=opener.text(advice.reintegration_encrypted),
        review_requested=advice.employee_review_requested,
        employee_released_at=advice.employee_released_at,
        employer_released_at=advice.employer_released_at,
        seen_at=advice.employee_seen_at,
        correction_requested=advice.correction_requested,
        response=opener.text(advice.employee_response_encrypted) if with_response else "",
        reaches_employer=advice.consultation.reaches_employer,
        consent_how=str(consent.get_how_display()) if consent else "",
        consent_given_at=consent.given_at if consent else None,
        updated_at=advice.updated_at,
    )


def advice_rows() -> QuerySet[ConsultationAdvice]:
    return ConsultationAdvice.objects.select_related("consultation", "author", "employer_consent")


def staff_advice_for(user: User, employee: Employee) -> list[AdviceView]:
    """Released advice as staff with category B read it: that of consultations reaching the
    employer; the rest only for those who read category C."""
    if not is_staff_user(user) or not can(user, Action.READ, Category.B, employee):
        return []
    advice = advice_rows().filter(employee=employee, employee_released_at__isnull=False)
    if not may_read_medical(user, employee):
        advice = advice.filter(consultation__kind=Consultation.Kind.REGULAR)
    advice_list = list(advice)
    if not advice_list:
        return []
    opener = keys.Opener(employee)
    record_access(
        user,
        log.Action.READ,
        "medical.advice_viewed",
        employee,
        category=Category.B,
        data={"count": len(advice_list)},
    )
    return [advice_view(a, opener) for a in advice_list]


def released_for_employer(user: User, employee: Employee) -> EmployerRelease:
    """What the employer may see (seed 004): advice released to it, the short no-show notices and
    the planned appointments of regular consultations. Nothing of any preventive or other
    consultation, except a report the employee consented to. 404 for anyone but employer users
    who may receive releases about ``employee``."""
    if not is_employer_user(user) or not can_receive_release(user, employee):
        raise Http404
    # A report that reached the employer only by consent stops showing once the consent is withdrawn.
    advice = list(
        advice_rows()
        .filter(employee=employee, employer_released_at__isnull=False)
        .exclude(
            ~Q(consultation__kind=Consultation.Kind.REGULAR)
            & ~Q(employer_consent__register_entry__in=Consent.objects.valid())
        )
    )
    regular = (
        Consultation.objects.filter(employee=employee)
        .reaching_employer()
        .select_related("doctor", "employee")
    )
    notices = [
        NoShowNotice(c.starts_at, c.no_show_notified_at)
        for c in regular.filter(
            status=Consultation.Status.NO_SHOW, no_show_notified_at__isnull=False
        ).order_by("-starts_at")
        if c.no_show_notified_at is not None
    ]
    appointments = [
        appointment(c, reveal_kind=False)
        for c in regular.filter(status=Consultation.Status.PLANNED, starts_at__gte=timezone.now()).order_by(
            "starts_at"
        )
    ]
    opener = keys.Opener(employee)
    views = [advice_view(a, opener, with_response=False) for a in advice]
    release = EmployerRelease(views, notices, appointments)
    if release:
        consented = [a for a in advice if not a.consultation.reaches_employer]
        record_access(
            user,
            log.Action.READ,
            "medical.released_viewed",
            employee,
            category="AB",
            data={
                "advice": len(advice) - len(consented),
                "notices": len(notices),
                "appointments": len(appointments),
            },
        )
        for item in consented:
            record_access(
                user,
                log.Action.READ,
                "medical.consented_report_viewed",
                employee,
                category=Category.B,
                basis=log.Basis.CONSENT,
                obj=item,
            )
    return release


def advice_released_to_employer_since(user: User, since: dt.datetime) -> list[tuple[Employee, dt.datetime]]:
    """Which employees have advice released to employer user ``user`` since ``since``, and when:
    the dashboard's "new advice to read" list (issue 17). Dates only, nothing of the advice is
    opened: the employer reads it on the employee's release page, which audits that read."""
    if not is_employer_user(user):
        return []
    advice = (
        ConsultationAdvice.objects.filter(
            employee__in=employees_visible_to(user), employer_released_at__gte=since
        )
        .select_related("employee")
        .order_by("-employer_released_at")
    )
    return [(a.employee, a.employer_released_at) for a in advice if a.employer_released_at is not None]


def advice_of(consultation: Consultation) -> ConsultationAdvice:
    """The advice of a consultation (whose treatment the caller checked), else 404."""
    return get_object_or_404(ConsultationAdvice, consultation=consultation)


def own_released_advice(user: User, advice_id: int) -> ConsultationAdvice:
    """Advice released to the employee ``user`` about themself, else 404."""
    if not is_employee_user(user):
        raise Http404
    return get_object_or_404(
        ConsultationAdvice.objects.select_related("consultation", "employee"),
        pk=advice_id,
        employee__user=user,
        employee_released_at__isnull=False,
    )
