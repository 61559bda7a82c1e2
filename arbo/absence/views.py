"""Case pages, sick and recovery reports, caseload. Thin: fetch through visibility, form, domain.

Cases are fetched through :func:`arbo.absence.queries.cases_visible_to` (else 404); what a page
shows per category comes from :func:`arbo.access.policy.can`; every page that shows personal data
writes its audit record.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.absence import domain, queries
from arbo.absence.documents.queries import documents_context
from arbo.absence.forms import (
    CasemanagerForm,
    CompleteForm,
    CorrectRecoveryForm,
    CorrectSickReportForm,
    DeviationForm,
    RecoveryForm,
    SickReportForm,
    TherapeuticWorkForm,
    WithdrawForm,
)
from arbo.absence.milestones import domain as milestone_domain
from arbo.absence.milestones import queries as milestone_queries
from arbo.absence.models import Channel
from arbo.absence.reports import domain as report_domain
from arbo.absence.reports import queries as report_queries
from arbo.access import policy
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, employees_visible_to, may_complete_milestone, require
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.identity.models import User
from arbo.lib.concurrency import StaleEdit
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError

if TYPE_CHECKING:  # type hints only: cases and reports are read through absence.queries
    from arbo.absence.models import AbsenceCase, RecoveryReport, SickPeriod

PAGE_SIZE = 25


def _stale_form_kwargs(form: Form) -> dict[str, Any]:
    """The constructor arguments (besides data and initial) to rebuild ``form`` unbound."""
    return {"staff": "safety_net_kind" in form.fields} if isinstance(form, CorrectSickReportForm) else {}


def _apply_error(form: Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _channel(user: User) -> str:
    return Channel.STAFF if policy.is_staff_user(user) else Channel.PORTAL


# --- Lists ------------------------------------------------------------------------------------


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", queries.OPEN)
    cases = queries.cases_with_status(request.user, status)
    page = queries.cases_page(request.user, cases, page_size=PAGE_SIZE, page_number=request.GET.get("page"))
    today = timezone.localdate()
    rows = [(case, queries.counted_week(case, today)) for case in page]
    return render(
        request,
        "absence/case_list.html",
        {"page": page, "rows": rows, "status": status, "statuses": queries.CASE_STATUSES},
    )


@login_required
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My work: milestones I carry that are overdue or fall due within two weeks."""
    today = timezone.localdate()
    overdue_only = request.GET.get("overdue") == "1"
    page, overdue = milestone_queries.read_caseload(
        request.user,
        today=today,
        page_size=PAGE_SIZE,
        page_number=request.GET.get("page"),
        overdue_only=overdue_only,
    )
    rows = [(m, m.status_on(today)) for m in page]
    return render(
        request,
        "absence/caseload.html",
        {"page": page, "rows": rows, "overdue": overdue, "overdue_only": overdue_only, "today": today},
    )


# --- One case ---------------------------------------------------------------------------------


@login_required
def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, queries.read_case(request.user, case_id, for_page=True))


#: The case page's two small forms share field names ("Uren per week"): distinct ids (issue 18).
RECOVERY_IDS = "id_recovery_%s"
THERAPEUTIC_IDS = "id_therapeutic_%s"


def _fields(form: Form) -> str:
    """The fields of one of the case page's small forms, as ``registry/_field.html`` shows them."""
    return render_to_string("absence/_fields.html", {"form": form})


@functools.lru_cache(maxsize=8)
def _blank_fields(form: str, today: dt.date, language: str) -> str:
    """The fields of the empty recovery or therapeutic-work form (issue 12): the same for every
    case and user on a day in a language (labels, today's date; no personal data), so rendered
    once per process, day and language instead of on every case page."""
    if form == "recovery":
        return _fields(RecoveryForm(initial={"recovered_on": today}, auto_id=RECOVERY_IDS))
    return _fields(TherapeuticWorkForm(initial={"starts_on": today}, auto_id=THERAPEUTIC_IDS))


def _case_page(
    request: AuthenticatedHttpRequest,
    case: AbsenceCase,
    *,
    recovery_form: RecoveryForm | None = None,
    therapeutic_form: TherapeuticWorkForm | None = None,
) -> HttpResponse:
    """The case page (``case`` read through :func:`queries.read_case`, audited); a form that failed
    comes back bound, with its errors beside the fields."""
    user = request.user
    employee = case.employee
    today = timezone.localdate()
    may_change = can(user, Action.CHANGE, Category.A, employee)
    is_staff = policy.is_staff_user(user)
    milestones = milestone_queries.milestone_rows(case, today, is_staff=is_staff)
    periods = list(case.periods.all())  # read once: the table and the sick week
    context: dict[str, Any] = {
        "case": case,
        "employee": employee,
        "week": queries.counted_week(case, today, periods),
        "periods": periods,
        # Read only when the case has some (``read_case(for_page=True)``; a case read otherwise: read).
        "recoveries": case.recoveries.all() if getattr(case, "has_recoveries", True) else [],
        "therapeutic_work": case.therapeutic_work.all()
        if getattr(case, "has_therapeutic_work", True)
        else [],
        "changes": case.changes.select_related("changed_by") if getattr(case, "has_changes", True) else [],
        "milestones": milestones,
        "show_b": can(user, Action.READ, Category.B, employee),
        "may_change": may_change,
        "is_staff": is_staff,
        "today": today,
    }
    if may_change and case.is_open:
        context["recovery_form"] = recovery_form or RecoveryForm(
            initial={"recovered_on": today}, auto_id=RECOVERY_IDS
        )
        context["therapeutic_form"] = therapeutic_form or TherapeuticWorkForm(
            initial={"starts_on": today}, auto_id=THERAPEUTIC_IDS
        )
        language = get_language()
        context["recovery_fields"] = (
            _fields(recovery_form) if recovery_form else _blank_fields("recovery", today, language)
        )
        context["therapeutic_fields"] = (
            _fields(therapeutic_form) if therapeutic_form else _blank_fields("therapeutic", today, language)
        )
    if may_change and is_staff:
        context["casemanager_form"] = CasemanagerForm(
            choices=queries.casemanager_choices(case), initial={"casemanager": case.casemanager_id}
        )
    context.update(documents_context(request.user, case))
    context["documents_section"] = True
    return render(request, "absence/case_detail.html", context)


@login_required
def report_sick(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    require(request.user, Action.CHANGE, Category.A, employee)
    staff = policy.may_fill_staff_fields(request.user, employee)
    employers = report_domain.employer_choices(employee, request.user)
    form = SickReportForm(
        request.POST or None,
        staff=staff,
        employers=employers,
        initial={"first_sick_day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        employer_id = data.pop("employer", None)
        employer = next((e for e in employers if e.pk == employer_id), None)
        try:
            period = report_domain.report_sick(
                employee,
                by=request.user,
                via=_channel(request.user),
                employer=employer,
                **data,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request,
                _("De ziekmelding van %(name)s per %(day)s is vastgelegd.")
                % {"name": employee.full_name, "day": show_date(period.first_sick_day)},
            )
            return redirect(period.case)
    return render(request, "absence/report_sick.html", {"form": form, "employee": employee})


@login_required
@require_POST
def report_recovery(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    form = RecoveryForm(request.POST, auto_id=RECOVERY_IDS)
    if form.is_valid():
        try:
            report_domain.report_recovery(
                case, by=request.user, via=_channel(request.user), **form.cleaned_data
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Het herstel is vastgelegd."))
            return redirect(case)
    # Issue 18: the page comes back with what was typed (the kind stays "gedeeltelijk") and the
    # error beside its field, not as a banner over a reset form.
    return _case_page(request, queries.read_case(request.user, case.pk, for_page=True), recovery_form=form)


@login_required
@require_POST
def record_therapeutic_work(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    form = TherapeuticWorkForm(request.POST, auto_id=THERAPEUTIC_IDS)
    if form.is_valid():
        try:
            report_domain.record_therapeutic_work(case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("De arbeidstherapie is vastgelegd; het verzuim loopt door."))
            return redirect(case)
    return _case_page(request, queries.read_case(request.user, case.pk, for_page=True), therapeutic_form=form)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("De melding is niet ingetrokken: geef een reden."))
        return redirect(case)
    try:
        report_domain.withdraw_report(
            case,
            form.cleaned_data["report_type"],
            form.cleaned_data["report_id"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De melding is ingetrokken; de geschiedenis blijft zichtbaar."))
    return redirect(case)


def _correct(
    request: AuthenticatedHttpRequest,
    case: AbsenceCase,
    report: SickPeriod | RecoveryReport,
    form: CorrectSickReportForm | CorrectRecoveryForm,
    fields: list[str],
    done: str,
    *,
    report_type: str,
) -> HttpResponse:
    """The shared correction flow: valid form → reports.domain.correct_report → back to the case."""
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in fields}
        try:
            change = report_domain.correct_report(
                case,
                report_type,
                report.pk,
                by=request.user,
                reason=form.cleaned_data["reason"],
                changes=changes,
                version=form.cleaned_data.get("version") or None,
            )
        except StaleEdit as error:
            # Someone corrected it in between: show the current values, with the new version.
            report.refresh_from_db()
            current = {f: getattr(report, f) for f in fields}
            form = type(form)(
                **_stale_form_kwargs(form),
                initial={**current, "version": report_domain.report_version(report)},
            )
            return render(
                request,
                "absence/correct.html",
                {"form": form, "case": case, "report": report, "stale": error.message},
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            if change is None:
                messages.info(request, _("Er is niets gewijzigd."))
            else:
                messages.success(request, done)
            return redirect(case)
    return render(request, "absence/correct.html", {"form": form, "case": case, "report": report})


@login_required
def correct_sick_period(request: AuthenticatedHttpRequest, case_id: int, period_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    require(request.user, Action.CHANGE, Category.A, case.employee)
    period = report_queries.sick_period_of(case, period_id)
    staff = policy.may_fill_staff_fields(request.user, case.employee)
    fields = [f for f in report_domain.CORRECTABLE_SICK_FIELDS if f in SickReportForm(staff=staff).fields]
    form = CorrectSickReportForm(
        request.POST or None,
        staff=staff,
        initial={**{f: getattr(period, f) for f in fields}, "version": report_domain.report_version(period)},
    )
    return _correct(
        request, case, period, form, fields, _("De ziekmelding is gecorrigeerd."), report_type="sick_period"
    )


@login_required
def correct_recovery(request: AuthenticatedHttpRequest, case_id: int, recovery_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    require(request.user, Action.CHANGE, Category.A, case.employee)
    recovery = report_queries.recovery_of(case, recovery_id)
    fields = sorted(report_domain.CORRECTABLE_RECOVERY_FIELDS)
    if recovery.is_full:
        fields.remove("percentage")  # full recovery is 100%
    form = CorrectRecoveryForm(
        request.POST or None,
        initial={
            **{f: getattr(recovery, f) for f in fields},
            "version": report_domain.report_version(recovery),
        },
    )
    return _correct(
        request,
        case,
        recovery,
        form,
        fields,
        _("De hersteldmelding is gecorrigeerd."),
        report_type="recovery",
    )


@login_required
@require_POST
def complete_milestone(request: AuthenticatedHttpRequest, milestone_id: int) -> HttpResponse:
    milestone = milestone_queries.milestone_for(request.user, milestone_id)
    case = milestone.case
    if not may_complete_milestone(request.user, milestone.owner):
        raise Http404
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een geldige datum in."))
        return redirect(case)
    try:
        milestone_domain.complete_milestone(
            case, milestone.kind, by=request.user, done_on=form.cleaned_data["done_on"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(milestone)s is afgevinkt.") % {"milestone": milestone})
    return redirect(case)


@login_required
@require_POST
def record_deviation(request: AuthenticatedHttpRequest, milestone_id: int) -> HttpResponse:
    milestone = milestone_queries.milestone_for(request.user, milestone_id)
    form = DeviationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een geldige datum en een reden in."))
        return redirect(milestone.case)
    try:
        milestone_domain.record_deviation(milestone, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De afwijking van de termijn is vastgelegd."))
    return redirect(milestone.case)


@login_required
@require_POST
def assign_casemanager(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    if not policy.is_staff_user(request.user):
        raise Http404
    form = CasemanagerForm(request.POST, choices=queries.casemanager_choices(case))
    if not form.is_valid():
        messages.error(request, _("Kies een casemanager."))
        return redirect(case)
    casemanager = User.objects.get(pk=form.cleaned_data["casemanager"])
    try:
        domain.assign_casemanager(case, casemanager, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is casemanager van dit verzuim.") % {"name": casemanager})
    return redirect(case)


urlpatterns: list[URLPattern] = [
    path("", case_list, name="case_list"),
    path("caseload/", caseload, name="caseload"),
    path("cases/<int:case_id>/", case_detail, name="case_detail"),
    path("employees/<int:employee_id>/report-sick/", report_sick, name="report_sick"),
    path("cases/<int:case_id>/recovery/", report_recovery, name="report_recovery"),
    path("cases/<int:case_id>/therapeutic-work/", record_therapeutic_work, name="therapeutic_work"),
    path("cases/<int:case_id>/withdraw/", withdraw, name="withdraw"),
    path("cases/<int:case_id>/periods/<int:period_id>/correct/", correct_sick_period, name="correct_period"),
    path(
        "cases/<int:case_id>/recoveries/<int:recovery_id>/correct/", correct_recovery, name="correct_recovery"
    ),
    path("cases/<int:case_id>/casemanager/", assign_casemanager, name="assign_casemanager"),
    path("milestones/<int:milestone_id>/complete/", complete_milestone, name="complete_milestone"),
    path("milestones/<int:milestone_id>/deviation/", record_deviation, name="record_deviation"),
]
