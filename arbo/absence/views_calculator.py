"""The poortwachter deadline calculator: enter sick periods, see the added-up case and its due dates.

Pure arithmetic over :mod:`arbo.absence.milestones.timeline`: it reads no personal data and stores nothing,
so it writes no audit record. The form is a GET form, so a result can be bookmarked or shared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from arbo.absence.milestones.timeline import (
    MILESTONE_DAYS,
    MILESTONE_LABELS,
    Period,
    TimelineError,
    counted_days_before,
    milestones,
    split_cases,
)
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib import dates

#: Empty rows offered below the entered periods (no JavaScript needed to add one).
EMPTY_ROWS = 2
MAX_ROWS = 20


class PeriodForm(forms.Form):
    first = forms.DateField(
        label=gettext_lazy("Eerste ziektedag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[dates.validate_calculator_date],
    )
    last = forms.DateField(
        label=gettext_lazy("Laatste ziektedag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[dates.validate_calculator_date],
    )
    after_pregnancy_leave = forms.BooleanField(
        label=gettext_lazy("Aansluitend op zwangerschapsverlof, zelfde oorzaak"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") is None and (data.get("last") or data.get("after_pregnancy_leave")):
            self.add_error("first", _("Vul de eerste ziektedag in."))
        return data

    def period(self) -> Period | None:
        """The entered period, or ``None`` for an empty row. May raise ``TimelineError``."""
        first = self.cleaned_data.get("first")
        if first is None:
            return None
        return Period(
            first, self.cleaned_data.get("last"), bool(self.cleaned_data.get("after_pregnancy_leave"))
        )


PeriodFormSet = forms.formset_factory(
    PeriodForm, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
)


def _blank_formset(periods: list[Period]) -> forms.BaseFormSet:
    """Rows holding ``periods`` plus a few empty ones (at least three rows in all)."""
    initial = [
        {"first": p.first, "last": p.last, "after_pregnancy_leave": p.after_pregnancy_leave} for p in periods
    ]
    extra = max(EMPTY_ROWS, 3 - len(initial))
    formset_class = forms.formset_factory(PeriodForm, extra=extra, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
    return formset_class(initial=initial, prefix="p")


def _result(periods: list[Period], today: dt.date) -> dict[str, Any]:
    cases = split_cases(periods)
    case = cases[-1]
    due = milestones(periods)
    rows = [
        {
            "name": name,
            "label": MILESTONE_LABELS[name],
            "day": day,
            "week": (day - 1) // 7 + 1,
            "date": due[name],
            "past": due[name] < today,
        }
        for name, day in MILESTONE_DAYS.items()
    ]
    return {
        "case": case,
        "case_start": case[0].first,
        "ignored": [p for earlier in cases[:-1] for p in earlier],
        "counted_until_last_start": counted_days_before(case, case[-1].first),
        "counted_until_today": counted_days_before(case, today + dt.timedelta(days=1)),
        "last_open": case[-1].is_open,
        "milestones": rows,
    }


@login_required
@require_GET
def calculator(request: AuthenticatedHttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"today": timezone.localdate()}
    if "p-TOTAL_FORMS" not in request.GET:
        context["formset"] = _blank_formset([])
        return render(request, "absence/calculator.html", context)
    formset = PeriodFormSet(request.GET, prefix="p")
    context["formset"] = formset
    if not formset.is_valid():
        context["error"] = _("Controleer de ingevulde data.")
        return render(request, "absence/calculator.html", context)
    try:
        periods = [p for form in formset.forms if (p := form.period()) is not None]
        if not periods:
            raise TimelineError(_("Vul minstens één ziekteperiode in."))
        context["result"] = _result(periods, context["today"])
    except TimelineError as error:
        context["error"] = error.message
        return render(request, "absence/calculator.html", context)
    context["formset"] = _blank_formset(periods)
    return render(request, "absence/calculator.html", context)
