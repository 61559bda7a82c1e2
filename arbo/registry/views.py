"""Staff and employer pages of the registry. Thin: fetch through visibility, check, form, domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from arbo.access import policy
from arbo.access import queries as reads
from arbo.access.matrix import Action, Category
from arbo.access.policy import (
    can,
    can_change_employer,
    can_manage_contracts,
    employees_visible_to,
    employers_visible_to,
    readable_categories,
)
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError
from arbo.lib.htmx import is_htmx
from arbo.registry import domain
from arbo.registry.forms import ContractForm, EmployeeForm, EmployerForm, EmploymentForm
from arbo.registry.models import Employer
from arbo.registry.queries import is_registered_at, search_employees

if TYPE_CHECKING:  # type hints only: employees are read through access.queries
    from arbo.registry.models import Employee

PAGE_SIZE = 25


# --- Employers --------------------------------------------------------------------------------


@login_required
def employer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    employers = employers_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        employers = employers.filter(name__icontains=query) | employers.filter(kvk_number=query)
    context = {
        "employers": employers.order_by("name"),
        "q": query,
        "can_create": can_manage_contracts(request.user),
    }
    return render(request, "registry/employer_list.html", context)


@login_required
def employer_detail(request: AuthenticatedHttpRequest, employer_id: int) -> HttpResponse:
    employer = reads.employer_for(request.user, employer_id)
    context = {
        "employer": employer,
        "contract": employer.current_contract(),
        "employee_count": employees_visible_to(request.user)
        .filter(employments__employer=employer)
        .distinct()
        .count(),
        "can_edit": can_change_employer(request.user, employer),
        "can_import": policy.may_import_roster(request.user, employer),
    }
    return render(request, "registry/employer_detail.html", context)


@login_required
def employer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_contracts(request.user):
        raise Http404
    form = EmployerForm(request.POST or None)
    contract_form = ContractForm(request.POST or None, prefix="contract")
    if request.method == "POST" and form.is_valid() and contract_form.is_valid():
        employer = domain.create_employer(
            by=request.user, contract=contract_form.cleaned_data, **form.cleaned_data
        )
        messages.success(request, _("Werkgever %(name)s is geregistreerd.") % {"name": employer})
        return redirect(employer)
    return render(request, "registry/employer_form.html", {"form": form, "contract_form": contract_form})


@login_required
def employer_edit(request: AuthenticatedHttpRequest, employer_id: int) -> HttpResponse:
    employer = get_object_or_404(employers_visible_to(request.user), pk=employer_id)
    if not can_change_employer(request.user, employer):
        raise Http404
    form = EmployerForm(request.POST or None, instance=Employer.objects.get(pk=employer.pk))
    contract = employer.current_contract() or employer.contracts.first()
    contract_form = ContractForm(request.POST or None, instance=contract, prefix="contract")
    if request.method == "POST" and form.is_valid() and contract_form.is_valid():
        with transaction.atomic():
            domain.update_employer(employer, by=request.user, **form.cleaned_data)
            if contract_form.has_changed():
                contract_form.instance.employer = employer
                domain.save_contract(contract_form.instance, by=request.user)
        messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": employer})
        return redirect(employer)
    return render(
        request,
        "registry/employer_form.html",
        {"form": form, "contract_form": contract_form, "employer": employer},
    )


# --- Employees --------------------------------------------------------------------------------


def _prepare_rows(rows: list[Employee]) -> None:
    """What each row of the list shows, decided once here rather than per cell in the template
    (issue 12): the file's URL (the list's URL and the id, as ``Employee.get_absolute_url``
    reverses it; tests/registry compare them) and the prefetched employments as a list."""
    prefix = reverse("registry:employee_list")
    for employee in rows:
        employee.listed_url = f"{prefix}{employee.pk}/"  # type: ignore[attr-defined]
        employee.listed_jobs = list(employee.employments.all())  # type: ignore[attr-defined]


@login_required
def employee_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = employees_visible_to(request.user)
    # The matrix first (no statement); the reach only for a user without category D.
    if not can(request.user, Action.READ, Category.D) and not visible.exists():
        raise Http404
    employers = reads.employer_filter_choices(request.user)
    employer = None
    if request.GET.get("employer"):
        employer = get_object_or_404(employers, pk=request.GET["employer"])
    query = request.GET.get("q", "")
    results = search_employees(visible, query, employer=employer).order_by("surname", "first_names", "pk")
    page, rows = reads.employees_page(
        request.user, results, page_size=PAGE_SIZE, page_number=request.GET.get("page")
    )
    _prepare_rows(rows)
    readable = readable_categories(request.user)
    context = {
        "page": page,
        "rows": rows,
        "q": query,
        "employers": employers,
        "employer": employer,
        "show_a": Category.A in readable,
        "can_create": policy.may_edit_employees(request.user),
    }
    template = "registry/employee_list.html#results" if is_htmx(request) else "registry/employee_list.html"
    return render(request, template, context)


@login_required
def employee_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.may_edit_employees(request.user):
        raise Http404
    employers = employers_visible_to(request.user).order_by("name")
    employer_id = request.POST.get("employer") or request.GET.get("employer")
    if not employer_id:
        return render(request, "registry/employee_pick_employer.html", {"employers": employers})
    employer = get_object_or_404(employers, pk=employer_id)
    with_a = can(request.user, Action.CHANGE, Category.A)
    form = EmployeeForm(request.POST or None, with_category_a=with_a)
    employment_form = EmploymentForm(request.POST or None, employer=employer, prefix="employment")
    if request.method == "POST" and form.is_valid() and employment_form.is_valid():
        bsn = form.cleaned_data.get("bsn", "")
        if bsn and is_registered_at(employer, bsn):
            form.add_error("bsn", _("Deze persoon staat al geregistreerd bij deze werkgever."))
        else:
            try:
                employee = domain.create_employee(
                    by=request.user,
                    employer=employer,
                    employment=employment_form.cleaned_data,
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Werknemer %(name)s is geregistreerd.") % {"name": employee})
                return redirect(employee)
    context = {"form": form, "employment_form": employment_form, "employer": employer}
    return render(request, "registry/employee_form.html", context)


@login_required
def employee_edit(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    edit = reads.employee_to_edit(request.user, employee_id)
    employee = edit.employee
    employment = edit.employments[0] if edit.employments else None
    with_a = can(request.user, Action.CHANGE, Category.A, employee)
    form = EmployeeForm(request.POST or None, instance=edit.form_instance, with_category_a=with_a)
    employment_form = (
        EmploymentForm(
            request.POST or None, instance=employment, employer=employment.employer, prefix="employment"
        )
        if employment
        else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (employment_form is None or employment_form.is_valid())
    ):
        domain.update_employee(
            employee,
            by=request.user,
            employment=employment,
            employment_values=employment_form.cleaned_data if employment_form else None,
            **form.cleaned_data,
        )
        messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": employee})
        return redirect(employee)
    context = {
        "form": form,
        "employment_form": employment_form,
        "employee": employee,
        "employer": employment.employer if employment else None,
    }
    return render(request, "registry/employee_form.html", context)


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employee portal's first page: what the arbodienst holds about me."""
    employee = reads.own_employee(request.user)
    employments = list(employee.employments.select_related("employer", "department"))
    return render(request, "registry/my_data.html", {"employee": employee, "employments": employments})
