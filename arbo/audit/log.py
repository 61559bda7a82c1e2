"""The one entry point for writing audit records.

Call it inside the transaction of the change it describes, so that the record and the change
commit or roll back together. Never put medical content in ``data``.

Records are appended to the hash chain (:mod:`arbo.audit.chain`): each append locks the chain
state until the caller's transaction ends, so audit as late in a long transaction as you can.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from arbo.audit import chain, context
from arbo.audit.models import AuditEvent

Action = AuditEvent.Action
Basis = AuditEvent.Basis
Outcome = AuditEvent.Outcome

_SENSITIVE_KEYS = {"password", "bsn", "token", "secret", "code"}


def _access_point(request: HttpRequest | None) -> dict[str, Any]:
    """Where the access came from: the request's context variable (set by middleware), or the
    request passed in by a caller that has not moved to the context yet."""
    point = context.from_request(request) if request is not None else context.current()
    if point is None:
        return {}
    return {"ip_address": point.ip_address, "user_agent": point.user_agent}


def _on_behalf_of() -> str:
    point = context.current()
    return point.on_behalf_of if point is not None else ""


def actor_label(actor: Any) -> str:
    """How a record names its actor. Staff and employer users by name: NEN 7513 asks who acted,
    and their accounts are never erased. An employee acting on their own file (the portal) by
    account number only: their records stay until the log's own term, longer than the person
    may (an erasure or the retention purge removes the person and empties the account), and a
    record cannot be edited afterwards, so it never holds the name (docs/privacy.md, "The audit
    log outlives the person")."""
    if actor.kind == actor.Kind.EMPLOYEE:
        return f"werknemer #{actor.pk}"
    return str(actor)[:200]


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system" if actor is None else "anonymous"}
    from arbo.identity.rights import staff_functions  # noqa: PLC0415 — identity imports audit: the rights are resolved at call time

    functions = ",".join(sorted(staff_functions(actor))) if actor.kind == actor.Kind.STAFF else actor.kind
    return {"actor": actor, "actor_label": actor_label(actor), "actor_functions": functions[:300]}


def _clean(data: dict[str, Any] | None) -> dict[str, Any]:
    if not data:
        return {}
    return {k: ("***" if k.lower() in _SENSITIVE_KEYS else v) for k, v in data.items()}


def _common(
    actor: Any,
    action: str,
    event: str,
    *,
    category: str = "",
    request: HttpRequest | None = None,
    basis: str = Basis.AUTHORISATION,
    outcome: str = Outcome.ALLOWED,
    data: dict[str, Any] | None = None,
    on_behalf_of: str = "",
) -> dict[str, Any]:
    """The fields every record of one call shares (a list view's records share one moment too)."""
    return {
        "occurred_at": timezone.now(),
        "action": action,
        "event": event,
        "category": str(category),
        "basis": basis,
        "outcome": outcome,
        "data": _clean(data),
        "on_behalf_of": on_behalf_of or _on_behalf_of(),
        **_actor_fields(actor),
        **_access_point(request),
    }


def _about(subject: Any, obj: Any) -> dict[str, Any]:
    """Whose data (``subject``) and which object (``obj``, else the subject) a record is about."""
    target = obj if obj is not None else subject
    return {
        "subject_kind": subject._meta.model_name if subject is not None else "",
        "subject_id": subject.pk if subject is not None else None,
        "object_type": target._meta.label_lower if target is not None else "",
        "object_id": str(target.pk) if target is not None else "",
    }


def record(actor: Any, action: str, event: str, **kwargs: Any) -> AuditEvent:
    """Write one audit record. ``actor`` is a user, or ``None`` for a system job."""
    about = _about(kwargs.pop("subject", None), kwargs.pop("obj", None))
    entry = AuditEvent(**_common(actor, action, event, **kwargs), **about)
    chain.append([entry])
    return entry


def record_many(actor: Any, action: str, event: str, subjects: Iterable[Any], **kwargs: Any) -> int:
    """Write one record per subject, for list views and bulk operations: one chain lock, bulk INSERTs."""
    obj = kwargs.pop("obj", None)
    common = _common(actor, action, event, **kwargs)
    entries = [AuditEvent(**common, **_about(subject, obj)) for subject in subjects]
    chain.append(entries)
    return len(entries)
