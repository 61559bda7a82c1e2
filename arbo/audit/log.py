"""The one entry point for writing audit records.

Call it inside the transaction of the change it describes, so that the record and the change
commit or roll back together. Never put medical content in ``data``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from arbo.audit.models import AuditEvent

Action = AuditEvent.Action
Basis = AuditEvent.Basis
Outcome = AuditEvent.Outcome

_SENSITIVE_KEYS = {"password", "bsn", "token", "secret", "code"}


def _access_point(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {
        "ip_address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.headers.get("User-Agent", "")[:300],
    }


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system" if actor is None else "anonymous"}
    functions = ",".join(sorted(actor.functions_on())) if actor.kind == actor.Kind.STAFF else actor.kind
    return {"actor": actor, "actor_label": str(actor)[:200], "actor_functions": functions[:300]}


def _clean(data: dict[str, Any] | None) -> dict[str, Any]:
    if not data:
        return {}
    return {k: ("***" if k.lower() in _SENSITIVE_KEYS else v) for k, v in data.items()}


def _event(
    actor: Any,
    action: str,
    event: str,
    *,
    subject: Any = None,
    obj: Any = None,
    category: str = "",
    request: HttpRequest | None = None,
    basis: str = Basis.AUTHORISATION,
    outcome: str = Outcome.ALLOWED,
    data: dict[str, Any] | None = None,
    on_behalf_of: str = "",
) -> AuditEvent:
    target = obj if obj is not None else subject
    return AuditEvent(
        occurred_at=timezone.now(),
        action=action,
        event=event,
        subject_kind=subject._meta.model_name if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        category=str(category),
        basis=basis,
        outcome=outcome,
        data=_clean(data),
        on_behalf_of=on_behalf_of,
        **_actor_fields(actor),
        **_access_point(request),
    )


def record(actor: Any, action: str, event: str, **kwargs: Any) -> AuditEvent:
    """Write one audit record. ``actor`` is a user, or ``None`` for a system job."""
    entry = _event(actor, action, event, **kwargs)
    entry.save()
    return entry


def record_many(actor: Any, action: str, event: str, subjects: Iterable[Any], **kwargs: Any) -> int:
    """Write one record per subject, for list views and bulk operations, in one INSERT."""
    entries = [_event(actor, action, event, subject=subject, **kwargs) for subject in subjects]
    if not entries:
        return 0
    AuditEvent.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
