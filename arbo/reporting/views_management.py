"""The arbodienst's management view (staff with a management function only; anyone else: 404)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from arbo.access.policy import can_see_management_reports, report_employers_for
from arbo.identity.models import User
from arbo.reporting import charts, dashboard, overview
from arbo.reporting.report import arbodienst_report


@login_required
def management_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not can_see_management_reports(user):
        raise Http404
    today = timezone.localdate()
    employers = report_employers_for(user)
    period = request.GET.get("period", "year")
    if period not in dashboard.PERIOD_KINDS:
        period = "year"
    start, end = dashboard.period_bounds(period, today)
    report = arbodienst_report(employers.order_by("name"), start, end)
    context = {
        "casemanagers": overview.casemanager_loads(employers, today),
        "doctors": overview.doctor_loads(employers, today),
        "risks": overview.overdue_per_employer(employers, today),
        "office": overview.privacy_counts(today, timezone.now()),
        "report": report,
        "period": period,
        "period_kinds": dashboard.PERIOD_KINDS,
        "period_label": dashboard.PERIOD_KINDS[period],
        "chart": charts.bar_chart(
            str(dashboard.PERIOD_KINDS[period]),
            [r.label for r in report.rows],
            [r.figures.verzuimpercentage if r.figures else None for r in report.rows],
        )
        if report.rows
        else None,
        "today": today,
    }
    return render(request, "reporting/management.html", context)
