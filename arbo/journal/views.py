from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access.policy import employees_visible_to
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.journal import domain
from arbo.journal.forms import JournalEntryForm
from arbo.journal.queries import writable_categories


@login_required
@require_POST
def add_entry(request: AuthenticatedHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(employees_visible_to(request.user), pk=employee_id)
    categories = writable_categories(request.user, employee)
    if request.POST.get("category") not in categories:
        raise Http404
    form = JournalEntryForm(request.POST, categories=categories)
    if not form.is_valid():
        messages.error(request, _("De notitie is niet opgeslagen: kies een categorie en schrijf een tekst."))
        return redirect("registry:employee_journal", employee.pk)
    domain.add_journal_entry(
        employee,
        category=form.cleaned_data["category"],
        text=form.cleaned_data["text"],
        by=request.user,
    )
    messages.success(request, _("De notitie is toegevoegd aan het journaal."))
    return redirect("registry:employee_journal", employee.pk)
