"""The registry's audited read path: employers and employees as a user may see them.

The registry sits below the access policy, so the functions that check, fetch and audit a read of
registry data live here, on top of both: a view asks :func:`employee_for` for an employee and gets
the employee with what the reader may see of it (a 404 when nothing), the read already audited
with its basis. Views never fetch a registry person or write a read record themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from arbo.access.auditing import record_access, record_access_many
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRelationship
from arbo.access.policy import (
    access_basis,
    emergency_employee_ids,
    employees_visible_to,
    employers_visible_to,
    has_treatment_relationship,
    is_employee_user,
    is_staff_user,
    is_visiting,
    reaches,
    readable_categories,
    require,
    served_employer_ids,
    treated_employee_ids,
)
from arbo.access.subjects import Rows, collect, collect_applicant
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.rights import staff_holding
from arbo.identity.roles import StaffFunction
from arbo.lib.pagination import CappedPaginator
from arbo.lib.subject import SubjectRecord
from arbo.registry.models import PERSONAL_DATA_CATEGORIES, Applicant, Employee, Employer, Employment


def employer_for(user: User, employer_id: int | str) -> Employer:
    """An employer the user may see, with contracts and departments; the read audited (category D)."""
    employer = get_object_or_404(
        employers_visible_to(user).prefetch_related("contracts", "departments"), pk=employer_id
    )
    log.record(user, log.Action.READ, "registry.employer_viewed", obj=employer, category=Category.D)
    return employer


@dataclass(frozen=True)
class EmployeeRead:
    """An employee as one reader sees it: the categories readable and the basis of the access."""

    employee: Employee
    readable: frozenset[str]
    basis: str

    @property
    def emergency(self) -> bool:
        return self.basis == log.Basis.EMERGENCY


def employee_for(
    user: User,
    employee_id: int | str,
    *,
    admit: Callable[[Employee, frozenset[str]], bool] | None = None,
) -> EmployeeRead:
    """An employee the user may read (A or D at least), else 404; the read audited with its basis.

    ``admit`` (the employee, the categories readable) may refuse the page before anything is
    audited: a tab of the file the reader does not get is a 404, not a read (issue 18)."""
    # The row by its key, then the policy decides: a category is readable only when the user
    # reaches the employee (``can`` asks the policy's relationships, once per request) or visits
    # the file as a quality visitor; the visitor who does not also reach the employee gets the
    # 404 the visibility queryset has always given (issue 12: the page built and ran the
    # visibility queryset besides the relationship checks).
    employee = get_object_or_404(Employee, pk=employee_id)
    readable = readable_categories(user, employee)
    if not readable or _only_visiting(user, employee):
        raise Http404
    if admit is not None and not admit(employee, readable):
        raise Http404
    basis = access_basis(user, employee)
    record_access(
        user,
        log.Action.READ,
        "registry.employee_viewed",
        employee,
        category="".join(sorted(readable & {"A", "D"})),
        basis=basis,
    )
    return EmployeeRead(employee, readable, basis)


def _only_visiting(user: User, employee: Employee) -> bool:
    """``user`` reads ``employee`` only as a quality visitor, without reaching them (the
    visitation has pages of its own). A treatment relationship is a reach (the policy's
    ``employee_reach``), and it is decided already for the audit's basis: asked first, so that the
    treating doctor's page reads no visitation."""
    if is_staff_user(user) and has_treatment_relationship(user, employee):
        return False
    return is_visiting(user, employee) and not reaches(user, employee)


def employees_page(
    user: User, results: QuerySet[Employee], *, page_size: int, page_number: str | None
) -> tuple[Page[Employee], list[Employee]]:
    """One page of ``results`` (already scoped to the user) with employments; the list read audited."""
    page = CappedPaginator(results, page_size).get_page(page_number)  # counts at most 1,000 (issue 12)
    # The page's own rows (``results`` is already scoped and ordered), their employments and
    # employers in one more statement; the page keeps the list, so nothing reads them twice.
    rows = list(page.object_list)
    prefetch_related_objects(
        rows, Prefetch("employments", queryset=Employment.objects.select_related("employer"))
    )
    page.object_list = rows
    readable = readable_categories(user)
    record_access_many(
        user,
        log.Action.READ,
        "registry.employee_listed",
        rows,
        category="".join(sorted(readable & {"A", "D"})),
    )
    return page, rows


def employments_shown(user: User, employee: Employee) -> list[Employment]:
    """The employee's employments at employers the user may see (another employer's contract is not
    theirs); all of them for the employee themself."""
    employments = employee.employments.select_related("employer", "department")
    if not is_employee_user(user):
        employments = employments.filter(employer__in=employers_visible_to(user))
    return list(employments)


@dataclass(frozen=True)
class EmployeeEdit:
    """An employee the user may change (D), for the edit page."""

    #: As stored: the domain compares the new values with these.
    employee: Employee
    #: A second instance of the same row, for the form to change while it validates.
    form_instance: Employee
    employments: list[Employment]


def employee_to_edit(user: User, employee_id: int | str) -> EmployeeEdit:
    """An employee the user may see and change (category D), else 404 / PermissionDenied."""
    employee = get_object_or_404(employees_visible_to(user), pk=employee_id)
    require(user, Action.CHANGE, Category.D, employee)
    employments = employments_shown(user, employee)
    return EmployeeEdit(employee, Employee.objects.get(pk=employee.pk), employments)


def own_employee(user: User) -> Employee:
    """The employee record of an employee user (the portal's "my data"), its read audited as self."""
    if not is_employee_user(user):
        raise Http404
    employee = get_object_or_404(Employee, user=user)
    record_access(user, log.Action.READ, "registry.own_data_viewed", employee, basis=log.Basis.SELF)
    return employee


def employer_filter_choices(user: User) -> QuerySet[Employer]:
    """The employers the employee list offers as a filter: those the user may see that employ
    someone the user reaches.

    Read from the employer table and the user's relationships, not as a ``DISTINCT`` over the
    employments of every visible employee (issue 12: that cost grew with the book). Staff reach
    the employees of the employers they serve, plus the few with whom they have a personal
    relationship (care, treatment, break-the-glass); employer users their own employers.
    """
    visible = employers_visible_to(user)
    if not is_staff_user(user):
        return visible.filter(Exists(Employment.objects.filter(employer=OuterRef("pk")))).order_by("name")
    personal = (
        Q(employee__in=CareRelationship.objects.current().filter(user=user).values("employee_id"))
        | Q(employee__in=treated_employee_ids(user))
        | Q(employee__in=emergency_employee_ids(user))
    )
    return visible.filter(
        Exists(
            Employment.objects.filter(employer=OuterRef("pk")).filter(
                Q(employer__in=served_employer_ids(user)) | personal
            )
        )
    ).order_by("name")


def names_in_audit_log(user: User, employee_ids: set[int], *, event: str) -> dict[int, str]:
    """The names of the people the privacy officer's audit viewer shows (``event``: on screen or in an
    export), read for the officer alone and audited per person: that the officer saw a name in the
    log is itself a read of that person's data (category D). An id whose person is gone (erased, or
    never an employee) has no name."""
    if not staff_holding(user, StaffFunction.PRIVACY_OFFICER):
        raise Http404
    people = list(Employee.objects.filter(pk__in=employee_ids))
    if people:
        record_access_many(user, log.Action.READ, event, people, category=Category.D)
    return {person.pk: str(person) for person in people}


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """The person's registration and employments as subject records (``arbo.lib.subject``) that
    ``reader`` may read (``None``: the person's own package)."""
    return collect(
        "registry",
        employee,
        reader,
        [
            Rows(
                Employee.objects.filter(pk=employee.pk).select_related("user"),
                created="",
                skip=("bsn_index",),
            ),
            Rows(
                Employment.objects.filter(employee=employee).select_related("employer", "department"),
                created="starts_on",
            ),
        ],
        classification=PERSONAL_DATA_CATEGORIES,
    )


def applicant_records(applicant: Applicant, *, reader: User | None) -> list[SubjectRecord]:
    """The applicant's registration as a subject record (``arbo.lib.subject.applicant_sources``)."""
    return collect_applicant(
        "registry",
        applicant,
        reader,
        [Rows(Applicant.objects.filter(pk=applicant.pk).select_related("employer"), skip=())],
        classification=PERSONAL_DATA_CATEGORIES,
    )
