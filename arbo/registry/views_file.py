"""The employee file in tabs (issue 18) and the staff's global search. Thin: the tab's context
comes from :mod:`arbo.registry.file_tabs`, the search's from the visibility querysets; every read is
audited by the gateway that makes it, never here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from arbo.access import queries as reads
from arbo.access.care import is_doctor
from arbo.access.matrix import Category
from arbo.access.policy import (
    employees_visible_to,
    employers_visible_to,
    may_search_globally,
    readable_categories,
)
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.htmx import is_htmx
from arbo.lib.text import clean_text
from arbo.registry.file_tabs import file_tab
from arbo.registry.queries import search_employees, search_employers

TEMPLATE = "registry/employee_detail.html"


@login_required
def employee_file(request: AuthenticatedHttpRequest, employee_id: int, tab: str = "overview") -> HttpResponse:
    """One tab of the file: the whole page when opened directly, the tabs and panel when htmx
    loads it inside the page (the summary on top stays)."""
    htmx = is_htmx(request)
    context = file_tab(request, employee_id, tab, whole_page=not htmx)
    return render(request, f"{TEMPLATE}#tabs" if htmx else TEMPLATE, context)


SEARCH_PAGE_SIZE = 20


@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header's search for staff: employees by name, personnel number or full BSN, employers by
    name or KvK number; only within what the user may see (the visibility querysets), the listed
    employees audited like any list (``registry.employee_listed``), one page at a time."""
    if not may_search_globally(request.user):
        raise Http404
    query = clean_text(request.GET.get("q", ""))[:100].strip()
    context: dict[str, object] = {"q": query, "is_doctor": is_doctor(request.user)}
    if query:
        results = search_employees(employees_visible_to(request.user), query).order_by(
            "surname", "first_names", "pk"
        )
        page, rows = reads.employees_page(
            request.user, results, page_size=SEARCH_PAGE_SIZE, page_number=request.GET.get("page")
        )
        context.update(
            page=page,
            rows=rows,
            employers=list(search_employers(employers_visible_to(request.user), query)[:SEARCH_PAGE_SIZE]),
            show_a=Category.A in readable_categories(request.user),
        )
    return render(request, "registry/search.html", context)
