"""Doctor's pages for PMO, exposure registers and pre-employment exams; the employer's outcome page.

Every page fetches through a visibility queryset and a read function of ``queries`` that checks
the category and audits; what a user may not see answers 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_examine_applicant,
    require,
)
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib import confirm
from arbo.lib.errors import DomainError
from arbo.prevention import confirmations, domain, queries
from arbo.prevention.forms import ExposureForm, PeriodicExamForm, PreEmploymentExamForm

if TYPE_CHECKING:  # type hints only: people are read through prevention.queries
    from arbo.registry.models import Applicant, Employee

# --- Employees: PMO and exposure register ---------------------------------------------------------


def _employee_page(
    request: AuthenticatedHttpRequest,
    employee: Employee,
    *,
    exam_form: PeriodicExamForm | None = None,
    exposure_form: ExposureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "employee": employee,
        "exams": queries.periodic_exams_for(request.user, employee),
        "exposures": queries.exposures_for(request.user, employee),
    }
    if can(request.user, Action.CHANGE, Category.C, employee):
        employers = queries.employers_of(request.user, employee)
        context["exam_form"] = exam_form or PeriodicExamForm(employers=employers)
        context["exposure_form"] = exposure_form or ExposureForm(
            departments=queries.departments_of(employers)
        )
    return render(request, "prevention/employee.html", context, status=status)


@login_required
def employee_page(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = queries.employee_for(request.user, employee_id)
    return _employee_page(request, employee)


def _form_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_POST
def add_periodic_exam(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = queries.employee_for(request.user, employee_id)
    require(request.user, Action.CHANGE, Category.C, employee)
    form = PeriodicExamForm(request.POST, employers=queries.employers_of(request.user, employee))
    if form.is_valid():
        try:
            domain.record_periodic_exam(employee, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het periodiek medisch onderzoek is vastgelegd."))
            return redirect("prevention:employee", employee.pk)
    return _employee_page(request, employee, exam_form=form, status=400)


@login_required
@require_POST
def add_exposure(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = queries.employee_for(request.user, employee_id)
    require(request.user, Action.CHANGE, Category.C, employee)
    employers = queries.employers_of(request.user, employee)
    form = ExposureForm(request.POST, departments=queries.departments_of(employers))
    if form.is_valid():
        try:
            domain.record_exposure(employee, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De blootstelling is vastgelegd in het register."))
            return redirect("prevention:employee", employee.pk)
    return _employee_page(request, employee, exposure_form=form, status=400)


# --- Applicants: the doctor's pages ---------------------------------------------------------------


@login_required
def applicant_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = queries.applicants_to_examine(request.user)
    return render(request, "prevention/applicant_list.html", {"rows": rows})


def _applicant_page(
    request: AuthenticatedHttpRequest,
    applicant: Applicant,
    *,
    form: PreEmploymentExamForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "applicant": applicant,
        "exams": queries.pre_employment_exams_for(request.user, applicant),
        "can_examine": can_examine_applicant(request.user, applicant),
    }
    if context["can_examine"]:
        context["form"] = form or PreEmploymentExamForm(initial={"position": applicant.position})
    return render(request, "prevention/applicant.html", context, status=status)


@login_required
def applicant_page(request: AuthenticatedHttpRequest, applicant_id: int) -> HttpResponse:
    applicant = queries.applicant_for(request.user, applicant_id)
    return _applicant_page(request, applicant)


@login_required
@require_POST
def add_pre_employment_exam(request: AuthenticatedHttpRequest, applicant_id: int) -> HttpResponse:
    applicant = queries.applicant_for(request.user, applicant_id)
    form = PreEmploymentExamForm(request.POST)
    if form.is_valid():
        try:
            domain.record_pre_employment_exam(applicant, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("De keuring is vastgelegd. Bespreek de uitslag eerst met de sollicitant.")
            )
            return redirect("prevention:applicant", applicant.pk)
    return _applicant_page(request, applicant, form=form, status=400)


@login_required
@require_POST
def applicant_informed(request: AuthenticatedHttpRequest, exam_id: int) -> HttpResponse:
    exam = queries.pre_employment_exam_for(request.user, exam_id)
    try:
        domain.record_applicant_informed(exam, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vastgelegd: de sollicitant kent de uitslag."))
    return redirect("prevention:applicant", exam.applicant_id)


@login_required
@require_POST
def release_decision(request: AuthenticatedHttpRequest, exam_id: int) -> HttpResponse:
    exam = queries.pre_employment_exam_for(request.user, exam_id)
    decision = request.POST.get("decision")
    if decision not in ("release", "block"):
        messages.error(request, _("Kies of de sollicitant de uitslag laat doorgeven of blokkeert."))
        return redirect("prevention:applicant", exam.applicant_id)
    if decision == "release" and not confirm.confirmed(request):  # issue 18: final, so the second step
        confirmation = confirmations.release_outcome(request.user, exam)
        return render(request, "confirm.html", {"confirmation": confirmation})
    try:
        domain.record_release_decision(exam, release=decision == "release", by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De keuze van de sollicitant is vastgelegd."))
    return redirect("prevention:applicant", exam.applicant_id)


# --- Employer users: what they receive ------------------------------------------------------------


@login_required
def employer_outcomes(request: AuthenticatedHttpRequest) -> HttpResponse:
    outcomes = queries.exam_outcomes_for_employer(request.user)
    return render(request, "prevention/outcomes.html", {"outcomes": outcomes})


@login_required
def employer_outcome(request: AuthenticatedHttpRequest, applicant_id: int) -> HttpResponse:
    applicant = queries.applicant_for(request.user, applicant_id)
    outcome = queries.exam_outcome_for_employer(request.user, applicant)
    return render(
        request,
        "prevention/outcome_detail.html",
        {"outcome": outcome, "back": reverse("prevention:outcomes")},
    )
