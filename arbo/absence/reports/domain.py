"""Writes on the reports of an absence case: sick reports (ziekmelding), recovery reports,
therapeutic work, their withdrawal and correction; which employer a sick report is at.

Every function validates first and then writes in one transaction with its audit record; bad
input raises :class:`DomainError` with a Dutch message and changes nothing. Access is the privacy
core's: absence data is category A (``require(by, CHANGE, A, employee)``), which employer users
have for their own employees and staff per the matrix. What only the arbodienst may record (which
safety net applies, the pregnancy-leave link) needs category B.

Milestones are derived data: after every change of a period the case's milestones are brought in
line by :func:`arbo.absence.milestones.domain.sync_milestones`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.absence.checks import check_reason, check_remarks
from arbo.absence.milestones import timeline
from arbo.absence.milestones.domain import close_milestone, periods_for_engine, sync_milestones
from arbo.absence.models import (
    AbsenceCase,
    Milestone,
    RecoveryReport,
    ReportChange,
    SickPeriod,
    TherapeuticWork,
)
from arbo.access.auditing import record_access
from arbo.access.matrix import Action, Category
from arbo.access.policy import acts_for_employers, can, require
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib import concurrency, dates
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee, Employer

#: A sick report may be made this many days ahead at most (e.g. a planned operation is *not*
#: a sick report: it is reported on the day; a day ahead covers a report made late in the evening).
MAX_DAYS_AHEAD = 1


def _today() -> dt.date:
    return timezone.localdate()


#: How far back a sick report may name an employer the person has since left (the form's choice).
RECENT_EMPLOYMENT_DAYS = 28


def _employers_between(employee: Employee, by: User, start: dt.date, end: dt.date) -> list[Employer]:
    """The employee's employers on any day from ``start`` to ``end``; for an employer user or an
    API client only their own. The one rule for which employer a sick report can be at."""
    employers = {
        e.employer.pk: e.employer
        for e in employee.employments.select_related("employer").order_by("starts_on", "pk")
        if e.starts_on <= end and (e.ends_on is None or e.ends_on >= start)
    }
    if acts_for_employers(by):
        own = set(by.employer_memberships.values_list("employer_id", flat=True))
        return [e for pk, e in employers.items() if pk in own]
    return list(employers.values())


def employer_choices(employee: Employee, by: User) -> list[Employer]:
    """The employers the sick report form offers: employed on a day a first sick day may be (the
    last 28 days up to as far ahead as a report may look)."""
    today = _today()
    start, end = today - dt.timedelta(days=RECENT_EMPLOYMENT_DAYS), today + dt.timedelta(days=MAX_DAYS_AHEAD)
    return _employers_between(employee, by, start, end)


def _employer_for(employee: Employee, employer: Employer | None, by: User, on: dt.date) -> Employer:
    """The employer the absence is at: given, or the employee's only employer on day ``on``."""
    current = _employers_between(employee, by, on, on)
    if employer is not None:
        if employer.pk not in {e.pk for e in current}:
            raise DomainError(
                _("De werknemer was op de eerste ziektedag niet in dienst bij deze werkgever."),
                field="employer",
            )
        return employer
    if not current:
        raise DomainError(
            _("De werknemer was op de eerste ziektedag niet bij jullie in dienst."), field="first_sick_day"
        )
    if len({e.pk for e in current}) > 1:
        raise DomainError(_("De werknemer werkt bij meer werkgevers: kies de werkgever."), field="employer")
    return current[0]


def _case_to_continue(
    employee: Employee, employer: Employer, first_sick_day: dt.date, after_leave: bool
) -> AbsenceCase | None:
    """The earlier case a new period adds up to (fewer than 28 fit days in between), if any."""
    previous = (
        SickPeriod.objects.filter(case__employee=employee, case__employer=employer, withdrawn_at__isnull=True)
        .select_related("case")
        .order_by("-first_sick_day", "-id")
        .first()
    )
    if previous is None:
        return None
    if previous.last_sick_day is None:
        raise DomainError(
            _("Er loopt al een ziekmelding voor deze werknemer sinds %(day)s; meld eerst herstel.")
            % {"day": show_date(previous.first_sick_day)},
            field="first_sick_day",
        )
    if first_sick_day <= previous.last_sick_day:
        raise DomainError(
            _("De eerste ziektedag valt in of vóór een eerdere ziekteperiode (tot en met %(day)s).")
            % {"day": show_date(previous.last_sick_day)},
            field="first_sick_day",
        )
    earlier = timeline.Period(previous.first_sick_day, previous.last_sick_day, previous.after_pregnancy_leave)
    new = timeline.Period(first_sick_day, None, after_leave)
    return previous.case if len(timeline.current_case([earlier, new])) == 2 else None


@transaction.atomic
def report_sick(
    employee: Employee,
    *,
    by: User,
    via: str,
    first_sick_day: dt.date,
    expected_duration: str = SickPeriod.ExpectedDuration.UNKNOWN,
    stay_address: str = "",
    phone: str = "",
    safety_net: bool = False,
    workplace_accident: bool = False,
    liable_third_party: bool = False,
    remarks: str = "",
    safety_net_kind: str = "",
    after_pregnancy_leave: bool = False,
    employer: Employer | None = None,
) -> SickPeriod:
    """Record a ziekmelding: a new case, or a new period of a case it adds up to."""
    require(by, Action.CHANGE, Category.A, employee)
    if (safety_net_kind or after_pregnancy_leave) and not can(by, Action.CHANGE, Category.B, employee):
        raise DomainError(
            _("Alleen de arbodienst legt vast welk vangnet van toepassing is."), field="safety_net_kind"
        )
    if safety_net_kind and safety_net_kind not in SickPeriod.SafetyNet.values:
        raise DomainError(_("Kies een geldig soort vangnet."), field="safety_net_kind")
    if safety_net_kind:
        safety_net = True
    if expected_duration not in SickPeriod.ExpectedDuration.values:
        raise DomainError(_("Kies een verwachte duur."), field="expected_duration")
    if first_sick_day > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(_("De eerste ziektedag kan niet in de toekomst liggen."), field="first_sick_day")
    try:
        dates.validate_case_date(first_sick_day)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="first_sick_day") from error
    check_remarks(remarks, by)
    check_remarks(stay_address, by)
    employer = _employer_for(employee, employer, by, first_sick_day)
    case = _case_to_continue(employee, employer, first_sick_day, after_pregnancy_leave)
    reopened = case is not None and case.status == AbsenceCase.Status.RECOVERED
    if case is None:
        case = AbsenceCase.objects.create(employee=employee, employer=employer, first_sick_day=first_sick_day)
    elif reopened:
        case.status = AbsenceCase.Status.OPEN
        case.closed_at = None
        case.save(update_fields=["status", "closed_at"])
    period = SickPeriod.objects.create(
        case=case,
        first_sick_day=first_sick_day,
        expected_duration=expected_duration,
        stay_address=stay_address,
        phone=phone,
        safety_net=safety_net,
        safety_net_kind=safety_net_kind,
        workplace_accident=workplace_accident,
        liable_third_party=liable_third_party,
        remarks=remarks,
        after_pregnancy_leave=after_pregnancy_leave,
        reported_by=by,
        reported_via=via,
    )
    sync_milestones(case)
    close_milestone(case, Milestone.Kind.REPORT_TO_ARBODIENST, by=by, done_on=_today(), only_first_time=True)
    record_access(
        by,
        log.Action.CREATE,
        "absence.sick_reported",
        employee,
        obj=period,
        data={"case": case.pk, "added_up": case.periods.count() > 1, "via": via},
    )
    return period


def _open_period(case: AbsenceCase) -> SickPeriod | None:
    return (
        case.periods.filter(withdrawn_at__isnull=True, last_sick_day__isnull=True)
        .order_by("-first_sick_day")
        .first()
    )


@transaction.atomic
def report_recovery(
    case: AbsenceCase,
    *,
    by: User,
    via: str,
    kind: str,
    recovered_on: dt.date,
    percentage: int | None = None,
    hours_per_week: Decimal | None = None,
) -> RecoveryReport:
    """Full recovery ends the open period and closes the case; partial records the share only."""
    require(by, Action.CHANGE, Category.A, case.employee)
    case = AbsenceCase.objects.select_for_update().get(pk=case.pk)
    period = _open_period(case)
    if period is None:
        raise DomainError(_("Deze werknemer is al hersteld gemeld."), field="kind")
    if kind not in RecoveryReport.Kind.values:
        raise DomainError(_("Kies volledig of gedeeltelijk herstel."), field="kind")
    if recovered_on <= period.first_sick_day:
        raise DomainError(_("De hersteldatum moet na de eerste ziektedag liggen."), field="recovered_on")
    if recovered_on > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(_("De hersteldatum kan niet verder dan morgen liggen."), field="recovered_on")
    if kind == RecoveryReport.Kind.PARTIAL:
        if percentage is None or not 1 <= percentage <= 99:
            raise DomainError(
                _("Geef bij gedeeltelijk herstel een percentage tussen 1 en 99."), field="percentage"
            )
    else:
        percentage = 100
    if hours_per_week is not None and not Decimal(0) < hours_per_week <= Decimal(80):
        raise DomainError(_("Geef een aantal uren per week tussen 0 en 80."), field="hours_per_week")
    last = case.recoveries.filter(withdrawn_at__isnull=True).order_by("-recovered_on").first()
    if last is not None and recovered_on < last.recovered_on:
        raise DomainError(
            _("Er is al herstel gemeld per %(day)s; een nieuwe melding kan niet eerder liggen.")
            % {"day": show_date(last.recovered_on)},
            field="recovered_on",
        )
    report = RecoveryReport.objects.create(
        case=case,
        kind=kind,
        recovered_on=recovered_on,
        percentage=percentage,
        hours_per_week=hours_per_week,
        reported_by=by,
        reported_via=via,
    )
    if kind == RecoveryReport.Kind.FULL:
        period.last_sick_day = recovered_on - dt.timedelta(days=1)
        period.save(update_fields=["last_sick_day"])
        case.status = AbsenceCase.Status.RECOVERED
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at"])
    sync_milestones(case)
    record_access(
        by,
        log.Action.CREATE,
        "absence.recovery_reported",
        case.employee,
        obj=report,
        data={"case": case.pk, "kind": kind, "via": via},
    )
    return report


@transaction.atomic
def record_therapeutic_work(
    case: AbsenceCase,
    *,
    by: User,
    starts_on: dt.date,
    hours_per_week: Decimal,
) -> TherapeuticWork:
    """Work on a therapeutic basis: recorded as hours; the absence and its clock go on."""
    require(by, Action.CHANGE, Category.A, case.employee)
    if case.status != AbsenceCase.Status.OPEN:
        raise DomainError(_("Arbeidstherapie wordt alleen tijdens verzuim vastgelegd."), field="starts_on")
    if starts_on < case.first_sick_day:
        raise DomainError(_("Arbeidstherapie kan niet vóór de eerste ziektedag beginnen."), field="starts_on")
    if not Decimal(0) < hours_per_week <= Decimal(80):
        raise DomainError(_("Geef een aantal uren per week tussen 0 en 80."), field="hours_per_week")
    work = TherapeuticWork.objects.create(
        case=case, starts_on=starts_on, hours_per_week=hours_per_week, recorded_by=by
    )
    record_access(by, log.Action.CREATE, "absence.therapeutic_work_recorded", case.employee, obj=work)
    return work


def _recompute_case(case: AbsenceCase) -> None:
    """After a withdrawal or correction: first sick day, status and milestones from what stands."""
    periods = list(case.periods.filter(withdrawn_at__isnull=True).order_by("first_sick_day"))
    if periods:
        try:
            cases = timeline.split_cases(periods_for_engine(case))
        except timeline.TimelineError as error:
            raise DomainError(str(error), field="first_sick_day") from error
        if len(cases) > 1:
            raise DomainError(
                _(
                    "Na deze wijziging liggen 28 of meer hersteldagen tussen de perioden: trek de latere "
                    "melding in en meld die opnieuw als nieuw verzuim."
                ),
                field="first_sick_day",
            )
        case.first_sick_day = periods[0].first_sick_day
    open_ = bool(periods) and periods[-1].last_sick_day is None
    case.status = AbsenceCase.Status.OPEN if open_ else AbsenceCase.Status.RECOVERED
    if open_:
        case.closed_at = None
    elif case.closed_at is None:
        case.closed_at = timezone.now()
    case.save(update_fields=["first_sick_day", "status", "closed_at"])
    sync_milestones(case)


def _report(
    case: AbsenceCase, report_type: str, report_id: int
) -> SickPeriod | RecoveryReport | TherapeuticWork:
    models: dict[str, Any] = {
        "sick_period": SickPeriod,
        "recovery": RecoveryReport,
        "therapeutic_work": TherapeuticWork,
    }
    if report_type not in models:
        raise DomainError(_("Onbekende melding."), field="report")
    report = models[report_type].objects.filter(case=case, pk=report_id, withdrawn_at__isnull=True).first()
    if report is None:
        raise DomainError(_("Deze melding bestaat niet of is al ingetrokken."), field="report")
    return report  # type: ignore[no-any-return]


@transaction.atomic
def withdraw_report(
    case: AbsenceCase,
    report_type: str,
    report_id: int,
    *,
    by: User,
    reason: str,
) -> ReportChange:
    """Withdraw a sick report, recovery report or therapeutic work record; history stays."""
    require(by, Action.CHANGE, Category.A, case.employee)
    reason = check_reason(reason)
    case = AbsenceCase.objects.select_for_update().get(pk=case.pk)
    report = _report(case, report_type, report_id)
    if isinstance(report, SickPeriod) and report.last_sick_day is not None:
        later = case.periods.filter(withdrawn_at__isnull=True, first_sick_day__gt=report.first_sick_day)
        if later.exists():
            raise DomainError(_("Trek eerst de latere ziekmelding in."), field="report")
    report.withdrawn_at = timezone.now()
    report.save(update_fields=["withdrawn_at"])
    if isinstance(report, RecoveryReport) and report.kind == RecoveryReport.Kind.FULL:
        period = case.periods.filter(withdrawn_at__isnull=True).order_by("-first_sick_day").first()
        if period is not None:
            period.last_sick_day = None
            period.save(update_fields=["last_sick_day"])
    if not isinstance(report, TherapeuticWork):
        _recompute_case(case)
    change = ReportChange.objects.create(
        case=case,
        kind=ReportChange.Kind.WITHDRAWAL,
        report_type=report_type,
        report_id=report_id,
        summary=str(report),
        reason=reason,
        changed_by=by,
    )
    record_access(
        by,
        log.Action.UPDATE,
        "absence.report_withdrawn",
        case.employee,
        obj=change,
        data={"case": case.pk, "report_type": report_type, "report_id": report_id},
    )
    return change


#: Fields of a sick report a correction may change, and who may change them (category).
CORRECTABLE_SICK_FIELDS: dict[str, str] = {
    "first_sick_day": Category.A,
    "expected_duration": Category.A,
    "stay_address": Category.A,
    "phone": Category.A,
    "safety_net": Category.A,
    "workplace_accident": Category.A,
    "liable_third_party": Category.A,
    "remarks": Category.A,
    "safety_net_kind": Category.B,
    "after_pregnancy_leave": Category.B,
}

CORRECTABLE_RECOVERY_FIELDS = {"recovered_on", "percentage", "hours_per_week"}


def report_version(report: SickPeriod | RecoveryReport | TherapeuticWork) -> str:
    """The token a correction form carries (issue 19): changes with any correctable value."""
    if isinstance(report, SickPeriod):
        fields = set(CORRECTABLE_SICK_FIELDS)
    elif isinstance(report, RecoveryReport):
        fields = set(CORRECTABLE_RECOVERY_FIELDS)
    else:  # therapeutic work is withdrawn, never corrected
        fields = set()
    return concurrency.values_token(report, fields | {"withdrawn_at"})


def _display(value: Any) -> str:
    if isinstance(value, dt.date):
        return show_date(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(value) if value not in (None, "") else "—"


def _verbose_name(report: Any, field: str) -> str:
    return str(getattr(report._meta.get_field(field), "verbose_name", field))


@transaction.atomic
def correct_report(
    case: AbsenceCase,
    report_type: str,
    report_id: int,
    *,
    by: User,
    reason: str,
    changes: dict[str, Any],
    version: str | None = None,
) -> ReportChange | None:
    """Correct fields of a sick or recovery report; the old and new values go into the history.

    Returns ``None`` when nothing changed. ``version`` is :func:`report_version` of the report as
    the author's form showed it: when someone corrected it since, :class:`StaleEdit` and nothing
    changes.
    """
    require(by, Action.CHANGE, Category.A, case.employee)
    reason = check_reason(reason)
    case = AbsenceCase.objects.select_for_update().get(pk=case.pk)
    report = _report(case, report_type, report_id)
    concurrency.check(version, report_version(report))
    if isinstance(report, SickPeriod):
        allowed = {f for f, c in CORRECTABLE_SICK_FIELDS.items() if can(by, Action.CHANGE, c, case.employee)}
    elif isinstance(report, RecoveryReport):
        allowed = set(CORRECTABLE_RECOVERY_FIELDS)
    else:
        raise DomainError(
            _("Arbeidstherapie wordt niet gecorrigeerd: trek de registratie in."), field="report"
        )
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("Deze gegevens kun je niet corrigeren: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    check_remarks(str(changes.get("remarks", "")), by)
    check_remarks(str(changes.get("stay_address", "")), by)
    diff = {k: v for k, v in changes.items() if getattr(report, k) != v}
    if not diff:
        return None
    if isinstance(report, SickPeriod) and "first_sick_day" in diff:
        new_first = diff["first_sick_day"]
        if new_first > _today() + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise DomainError(
                _("De eerste ziektedag kan niet in de toekomst liggen."), field="first_sick_day"
            )
        if report.last_sick_day is not None and new_first > report.last_sick_day:
            raise DomainError(
                _("De eerste ziektedag moet op of vóór de laatste ziektedag liggen."), field="first_sick_day"
            )
    if isinstance(report, RecoveryReport):
        partial = report.kind == RecoveryReport.Kind.PARTIAL
        if (
            "percentage" in diff
            and partial
            and (diff["percentage"] is None or not 1 <= diff["percentage"] <= 99)
        ):
            raise DomainError(
                _("Geef bij gedeeltelijk herstel een percentage tussen 1 en 99."), field="percentage"
            )
        if "percentage" in diff and report.kind == RecoveryReport.Kind.FULL:
            raise DomainError(_("Volledig herstel is altijd 100%."), field="percentage")
    summary = "; ".join(
        f"{_verbose_name(report, k)}: {_display(getattr(report, k))} → {_display(v)}" for k, v in diff.items()
    )
    for key, value in diff.items():
        setattr(report, key, value)
    report.save(update_fields=list(diff))
    if (
        isinstance(report, RecoveryReport)
        and report.kind == RecoveryReport.Kind.FULL
        and "recovered_on" in diff
    ):
        period = case.periods.filter(withdrawn_at__isnull=True).order_by("-first_sick_day").first()
        if period is not None:
            if report.recovered_on <= period.first_sick_day:
                raise DomainError(
                    _("De hersteldatum moet na de eerste ziektedag liggen."), field="recovered_on"
                )
            period.last_sick_day = report.recovered_on - dt.timedelta(days=1)
            period.save(update_fields=["last_sick_day"])
    _recompute_case(case)
    change = ReportChange.objects.create(
        case=case,
        kind=ReportChange.Kind.CORRECTION,
        report_type=report_type,
        report_id=report_id,
        summary=summary,
        reason=reason,
        changed_by=by,
    )
    record_access(
        by,
        log.Action.UPDATE,
        "absence.report_corrected",
        case.employee,
        obj=change,
        data={"case": case.pk, "report_type": report_type, "fields": sorted(diff)},
    )
    return change
