"""The retention pages: the schedule and its calculator (every staff member), and for the privacy
officer the dry run, the legal holds and changes to the schedule (decided by a second person)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arbo.access import policy
from arbo.identity.http import AuthenticatedHttpRequest
from arbo.lib.errors import DomainError
from arbo.privacy.policies import is_privacy_officer, require_privacy_officer
from arbo.retention import domain, queries
from arbo.retention.calculator import answer, explain
from arbo.retention.forms import HoldForm, RuleChangeForm
from arbo.retention.models import Event, RetentionRule, RuleChange
from arbo.retention.terms import BIRTH_DATE, PERSISTENT, Term, TermError


def _require_staff(user: Any) -> None:
    if not policy.holds_staff_function(user):
        raise Http404


def _proposed(change: RuleChange) -> str:
    """The proposed term in words, as the schedule shows the terms in force."""
    proposal = change.proposal
    return explain(
        Term(
            kind=change.kind,
            runs_from=proposal.get("runs_from") or "",
            years=proposal.get("years") or 0,
            months=proposal.get("months") or 0,
            days=proposal.get("days") or 0,
            otherwise_from=proposal.get("otherwise_from") or "",
            years_if_persistent=proposal.get("years_if_persistent"),
            until_age=proposal.get("until_age"),
        )
    )


@login_required
def schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The schedule and the calculator; pending changes for whoever decides on them."""
    _require_staff(request.user)
    rules = list(RetentionRule.objects.all())
    result: dict[str, Any] | None = None
    error = ""
    if request.GET.get("kind"):
        params = {name: str(value) for name, value in request.GET.items() if value}
        try:
            result = answer(params)
        except TermError as problem:
            error = problem.message
    if result is not None:
        result["words"] = next(explain(Term.of(rule)) for rule in rules if rule.kind == result["kind"])
    labels = dict(
        [*Event.choices, (BIRTH_DATE, _("geboortedatum")), (PERSISTENT, _("blijvende of latente werking"))]
    )
    context = {
        # Per kind: the term in words, and the facts it takes (so the calculator says what to fill).
        "rules": [
            (rule, explain(Term.of(rule)), ", ".join(str(labels.get(f, f)) for f in Term.of(rule).facts))
            for rule in rules
        ],
        "facts": [
            (name, label, request.GET.get(name, ""))
            for name, label in [*Event.choices, (BIRTH_DATE, _("geboortedatum"))]
        ],
        "persistent": PERSISTENT,
        "query": request.GET,
        "result": result,
        "error": error,
        "officer": is_privacy_officer(request.user),
        "can_decide": domain.can_decide_rule_change(request.user),
        "pending": [
            (change, _proposed(change))
            for change in RuleChange.objects.filter(status=RuleChange.Status.PENDING).select_related(
                "requested_by"
            )
        ],
    }
    return render(request, "retention/schedule.html", context)


@login_required
def dry_run(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_privacy_officer(request.user)
    rows = queries.dry_run_for(request.user)
    return render(request, "retention/dry_run.html", {"rows": rows, "total": sum(r["count"] for r in rows)})


def _kinds() -> list[tuple[str, str]]:
    return list(RetentionRule.objects.values_list("kind", "label"))


@login_required
def holds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Standing holds, and a form to place one (the person found by BSN)."""
    require_privacy_officer(request.user)
    form = HoldForm(request.POST or None, kinds=_kinds())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = queries.employee_by_bsn(data["bsn"])
        if employee is None:
            form.add_error("bsn", _("Er is geen werknemer met dit BSN."))
        else:
            try:
                domain.place_hold(
                    employee=employee,
                    kind=data["kind"],
                    reason=data["reason"],
                    note=data["note"],
                    review_on=data["review_on"],
                    by=request.user,
                )
                return redirect("retention:holds")
            except DomainError as problem:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    standing = queries.standing_holds_for(request.user)
    return render(request, "retention/holds.html", {"form": form, "holds": standing})


@login_required
@require_POST
def lift(request: AuthenticatedHttpRequest, hold_id: int) -> HttpResponse:
    require_privacy_officer(request.user)
    domain.lift_hold(queries.hold(hold_id), by=request.user)
    return redirect("retention:holds")


@login_required
def change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for a change to the schedule (or a new kind)."""
    require_privacy_officer(request.user)
    initial: dict[str, Any] = {}
    rule = RetentionRule.objects.filter(kind=request.GET.get("kind", "")).first()
    if rule is not None:
        initial = {name: getattr(rule, name) for name in domain.RULE_FIELDS} | {"kind": rule.kind}
    form = RuleChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            domain.request_rule_change(data.pop("kind"), data, reason=data.pop("reason"), by=request.user)
            return redirect("retention:schedule")
        except DomainError as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    return render(request, "retention/change.html", {"form": form})


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, change_id: int) -> HttpResponse:
    if not domain.can_decide_rule_change(request.user):
        raise Http404
    pending = get_object_or_404(RuleChange, pk=change_id)
    try:
        domain.decide_rule_change(pending, approve=request.POST.get("decision") == "approve", by=request.user)
    except DomainError as problem:
        return render(request, "retention/refused.html", {"message": problem.message}, status=400)
    return redirect("retention:schedule")
