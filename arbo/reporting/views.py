"""Reporting pages: the employer's dashboard, its exports, and the arbodienst's management view.

Thin: who may see which employer is :mod:`arbo.access.policy`'s (``report_employers_for``; any
other employer is a 404), the figures are :mod:`arbo.reporting.report`'s, the rest
:mod:`arbo.reporting.dashboard`'s and :mod:`arbo.reporting.overview`'s.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access import policy
from arbo.access.policy import can_see_management_reports, report_departments_for, report_employers_for
from arbo.identity.models import User
from arbo.lib.dates import show_date
from arbo.registry.models import Department, Employer
from arbo.reporting import dashboard, exports
from arbo.reporting.cache import CachedAnalysis
from arbo.reporting.report import TOTAL, Row, record_figures_left

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _employer(request: HttpRequest) -> Employer:
    employers = report_employers_for(_user(request)).order_by("name")
    wanted = request.GET.get("employer")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        return get_object_or_404(employers, pk=int(wanted))
    employer = employers.first()
    if employer is None:
        raise Http404
    return employer


def _state(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    employer = _employer(request)
    today = timezone.localdate()
    allowed = report_departments_for(user, employer)
    period = request.GET.get("period", "year")
    if period not in dashboard.PERIOD_KINDS:
        period = "year"
    start, end = dashboard.period_bounds(period, today)
    analysis: Any
    if CachedAnalysis.ready(employer, today):
        departments: dict[Hashable, str] = dict(
            Department.objects.filter(employer=employer).values_list("pk", "name")
        )
        group = dashboard.group_key(request.GET.get("department"), departments, allowed)
        analysis = CachedAnalysis(employer, today, group, start, end)
    else:
        analysis = dashboard.analysis_for(employer, today)
        group = dashboard.group_key(request.GET.get("department"), analysis.departments, allowed)
    report = analysis.report(start, end, only=allowed)
    if group is None:
        name = employer.name
    else:
        name = next((r.label for r in report.rows if r.key == str(group)), employer.name)
    return {
        "user": user,
        "employer": employer,
        "today": today,
        "allowed": allowed,
        "analysis": analysis,
        "group": group,
        "group_name": name,
        "period": period,
        "period_label": dashboard.PERIOD_KINDS[period],
        "report": report,
        "comparisons": dashboard.comparisons(analysis, group, today),
        "trend": dashboard.trend(analysis, group, today),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: an employer user's home; staff with a management function pick an employer."""
    user = _user(request)
    if policy.is_staff_user(user) and can_see_management_reports(user) and "employer" not in request.GET:
        return redirect("reporting:management")
    state = _state(request)
    department_rows = state["report"].rows
    context = {
        **state,
        "employers": report_employers_for(user).order_by("name"),
        "work": dashboard.work_for(user, state["employer"]),
        "charts": dashboard.trend_charts(state["trend"], state["group_name"]),
        "department_chart": dashboard.department_chart(department_rows) if department_rows else None,
        "period_kinds": dashboard.PERIOD_KINDS,
        "query": request.GET.urlencode(),
        "k": state["analysis"].k,
    }
    return render(request, "reporting/dashboard.html", context)


def tables(state: dict[str, Any]) -> dict[str, exports.Table]:
    comparisons = state["comparisons"]
    overview: list[tuple[str, Row]] = []
    for c in comparisons:
        overview.append((f"{c.label} ({show_date(c.start)} – {show_date(c.until)})", c.now))
        overview.append((_("%(label)s, een jaar eerder") % {"label": c.label}, c.year_before))
    report = state["report"]
    departments = [(r.label, r) for r in ([report.total] if report.total else []) + report.rows]
    return {
        "overzicht": exports.Table(_("Overzicht"), _("periode"), overview),
        "trend": exports.Table(_("Per maand"), _("maand"), [(f"{m:%Y-%m}", r) for m, r in state["trend"]]),
        "afdelingen": exports.Table(_("Per afdeling"), _("afdeling"), departments),
    }


@login_required
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    state = _state(request)
    chosen = tables(state).get(table)
    if chosen is None:
        raise Http404
    content_type, render_table = FORMATS[fmt]
    response = HttpResponse(render_table(chosen), content_type=content_type)
    filename = f"verzuim-{table}-{state['employer'].pk}-{state['today']:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_figures_left(
        state["user"],
        state["employer"],
        export=True,
        details={
            "table": table,
            "format": fmt,
            "group": str(state["group"] or TOTAL),
            "period": state["period"],
            "rows": len(chosen.rows),
        },
    )
    return response
