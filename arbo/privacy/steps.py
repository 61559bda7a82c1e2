"""The shapes the privacy office's pages share: the POST step (validate, run the domain function, say
what happened: breaches, complaints and rights requests) and the portal intake (an employee files a
complaint or a rights request about themself)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from arbo.access.policy import is_employee_user
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.registry.models import Employee


def run_step(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], str]) -> None:
    """Validate ``form``; when valid run ``action`` on its data; report success or the errors as a message.

    A domain refusal (:class:`DomainError`) changes nothing and is shown like a form error.
    """
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Niet opgeslagen: %(errors)s") % {"errors": errors})
        return
    try:
        done = action(form.cleaned_data)
    except DomainError as error:
        messages.error(request, _("Niet opgeslagen: %(errors)s") % {"errors": error.message})
    else:
        messages.success(request, done)


def form_error(form: forms.Form, error: DomainError) -> None:
    """A domain refusal shown on the form: beside its field when the form has it, else on top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def portal_intake(
    request: HttpRequest,
    form_class: type[forms.Form],
    *,
    template: str,
    file: Callable[[Employee, dict[str, Any]], Any],
    acknowledgement: Callable[[Any], str],
    detail: str,
) -> HttpResponse:
    """An employee files something about themself from the portal (logged in with MFA: identity
    established): ``file(employee, data)`` is the domain function (``data`` is the form's with the
    page's ``language``); then the acknowledgement and the filed object's ``detail`` page. A
    domain refusal changes nothing and is shown on the form."""
    user = request.user
    if not isinstance(user, User) or not is_employee_user(user):
        raise Http404
    employee = Employee.objects.filter(user=user).first()
    if employee is None:
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = file(employee, {**form.cleaned_data, "language": translation.get_language() or "nl"})
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, acknowledgement(filed))
            return redirect(detail, filed.pk)
    return render(request, template, {"form": form})
