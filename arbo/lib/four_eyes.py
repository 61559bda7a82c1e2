"""The four-eyes decision on a request: one person asks, another decides (seed 003 §6).

Matrix changes (``arbo.access.domain``), function grants (``arbo.identity.domain``) and changes to
the retention schedule (``arbo.retention.domain``) each keep their own model, rules, messages and
audit events; the flow they share is written here once:

1. refuse before anything changes (the caller may record the refused attempt first);
2. in one transaction: lock the request's row, refuse when it is no longer open or when the rule
   no longer holds on the locked row (someone decided or changed it in between), apply the change
   on approval, mark the request decided (status, by whom, when) and record the decision.

The rule that the approver is not the requester is :func:`refusal`. The request model needs the
fields ``status``, ``requested_by`` (or its ``_id``), ``decided_by`` and ``decided_at``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from arbo.lib.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

R = TypeVar("R", bound=models.Model)


@dataclass(frozen=True)
class Flow:
    """The states of one kind of request and what is said when it was decided already."""

    open_status: str
    approved_status: str
    rejected_status: str
    #: Lazy (a module constant): translated when raised.
    already_decided: StrOrPromise


def refusal(
    request: Any, by: Any, *, approve: bool, may_decide: bool, not_a_decider: str, own_request: str
) -> str | None:
    """Why ``by`` may not take this decision, or ``None``: only a decider decides, and nobody
    approves their own request (rejecting it withdraws it)."""
    if not may_decide:
        return not_a_decider
    if approve and request.requested_by_id == by.pk:
        return own_request
    return None


def decide(
    request: R,
    *,
    by: Any,
    approve: bool,
    flow: Flow,
    refuse: Callable[[R], str | None],
    record: Callable[[R], object],
    on_refused: Callable[[str], None] | None = None,
    apply: Callable[[R], None] | None = None,
    fields: dict[str, Any] | None = None,
) -> R:
    """Approve or reject ``request`` for ``by`` and return the decided (locked, fresh) row.

    ``refuse`` says why not (checked before and again on the locked row); ``on_refused`` may
    record a refusal before it is raised (outside the refused transaction, so the record stays);
    ``apply`` makes the approved change (it may raise :class:`DomainError`: nothing is decided
    then); ``fields`` are more values the decision sets (a note); ``record`` writes the audit
    record of the decision, in the same transaction.
    """
    message = refuse(request)
    if message is not None:
        if on_refused is not None:
            on_refused(message)
        raise DomainError(message)
    extra = fields or {}
    with transaction.atomic():
        locked = type(request)._default_manager.select_for_update().get(pk=request.pk)
        if locked.status != flow.open_status:  # type: ignore[attr-defined]
            raise DomainError(str(flow.already_decided))
        message = refuse(locked)  # re-checked on the locked row
        if message is not None:
            raise DomainError(message)
        if approve and apply is not None:
            apply(locked)
        locked.status = flow.approved_status if approve else flow.rejected_status  # type: ignore[attr-defined]
        locked.decided_by = by  # type: ignore[attr-defined]
        locked.decided_at = timezone.now()  # type: ignore[attr-defined]
        for name, value in extra.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "decided_by", "decided_at", *extra])
        record(locked)
    return locked
