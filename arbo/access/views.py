"""The matrix page: the privacy officer, the board and the functional administrator review the
function × category matrix, ask for changes, and directeuren decide on them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import domain
from arbo.access.forms import DecisionForm, MatrixChangeForm
from arbo.access.matrix import CATEGORY_ORDER, effective_matrix
from arbo.access.models_matrix import LETTERS, Level, MatrixChangeRequest
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError

#: How many decided changes the page lists (newest first).
DECIDED_SHOWN = 50


def _guarded(
    check: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Logged in and ``check(user)``, else 404; checked before any re-authentication prompt."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


reviewer_required = _guarded(domain.can_review_matrix)
decider_required = _guarded(domain.can_decide_matrix_change)


def _rows(pending: list[MatrixChangeRequest]) -> list[dict[str, Any]]:
    table = effective_matrix()
    open_changes = {(c.function, c.category): c for c in pending}
    levels = dict(Level.choices)
    rows = []
    for function, label in StaffFunction.choices:
        letters = table.get(function, "----")
        cells = [
            {
                "category": category.value,
                "level": letters[i],
                "letter": LETTERS[letters[i]],
                "label": levels[letters[i]],
                "pending": open_changes.get((function, category.value)),
            }
            for i, category in enumerate(CATEGORY_ORDER)
        ]
        rows.append({"function": function, "label": label, "cells": cells})
    return rows


@reviewer_required
def matrix_page(request: HttpRequest) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("function", "category") if k in request.GET}
    form = MatrixChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.request_matrix_change(
                form.cleaned_data["function"],
                form.cleaned_data["category"],
                form.cleaned_data["new_level"],
                reason=form.cleaned_data["reason"],
                by=cast(User, request.user),
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _(
                    "De wijziging is aangevraagd. Ze geldt pas als een andere directeur haar "
                    "heeft goedgekeurd."
                ),
            )
            return redirect("access:matrix")
    changes = MatrixChangeRequest.objects.select_related("requested_by", "decided_by")
    pending = list(changes.filter(status=MatrixChangeRequest.Status.PENDING).order_by("requested_at", "pk"))
    decided = list(
        changes.exclude(status=MatrixChangeRequest.Status.PENDING).order_by("-decided_at", "-pk")[
            :DECIDED_SHOWN
        ]
    )
    context = {
        "rows": _rows(pending),
        "categories": CATEGORY_ORDER,
        "levels": [(LETTERS[value], label) for value, label in Level.choices],
        "form": form,
        "pending": pending,
        "decided": decided,
        "can_decide": domain.can_decide_matrix_change(cast(User, request.user)),
    }
    return render(request, "access/matrix.html", context)


def _decide(
    request: HttpRequest, change_id: int, decide: Callable[..., MatrixChangeRequest], done: str
) -> HttpResponse:
    change = get_object_or_404(MatrixChangeRequest, pk=change_id)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decide(change, by=cast(User, request.user), note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("access:matrix")


@decider_required
@require_POST
@reauthentication_required
def change_approve(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(
        request, change_id, domain.approve_matrix_change, _("De wijziging is goedgekeurd en geldt vanaf nu.")
    )


@decider_required
@require_POST
def change_reject(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(
        request,
        change_id,
        domain.reject_matrix_change,
        _("De wijziging is afgewezen; de matrix blijft ongewijzigd."),
    )
