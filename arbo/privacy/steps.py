"""The one POST-step shape of the privacy office's pages: validate, run the domain function, say what
happened (breaches and complaints both use it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from arbo.lib.errors import DomainError


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
