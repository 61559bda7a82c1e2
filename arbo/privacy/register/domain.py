"""Editing the register of processing: with a reason, kept as history, republishing the statement."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.privacy.register import statement
from arbo.privacy.register.models import ActivityChange, ProcessingActivity, StatementVersion

EDITABLE = (
    "name",
    "name_en",
    "purpose",
    "purpose_en",
    "legal_ground",
    "legal_basis",
    "legal_basis_en",
    "data_subjects",
    "data_subjects_en",
    "data_description",
    "data_description_en",
    "categories",
    "origin",
    "origin_en",
    "recipients",
    "recipients_en",
    "retention",
    "retention_en",
    "retention_rule",
    "security_measures",
)


def update_activity(
    activity: ProcessingActivity,
    *,
    by: User,
    reason: str,
    request: HttpRequest | None = None,
    **fields: Any,
) -> tuple[ProcessingActivity, StatementVersion | None]:
    """Change an activity. Records each changed field's old and new value with the reason and
    publishes a new statement version. Nothing changed: nothing is written."""
    if len(reason.strip()) < 10:
        raise DomainError(_("Geef de reden van de wijziging (minstens 10 tekens)."), field="reason")
    categories = fields.get("categories", activity.categories)
    if not categories or not set(categories) <= {"A", "B", "C", "D"}:
        raise DomainError(_("Kies minstens één categorie persoonsgegevens."), field="categories")
    changes = {
        name: [getattr(activity, name), value]
        for name, value in fields.items()
        if name in EDITABLE and getattr(activity, name) != value
    }
    if not changes:
        return activity, None
    with transaction.atomic():
        for name, (_old, new) in changes.items():
            setattr(activity, name, new)
        activity.save()
        ActivityChange.objects.create(
            activity=activity,
            changed_at=timezone.now(),
            changed_by=by,
            reason=reason.strip(),
            changes=changes,
        )
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.register_changed",
            obj=activity,
            request=request,
            data={"fields": sorted(changes)},
        )
        version = statement.publish(by=by, reason=reason.strip())
    return activity, version


def record_export(user: User, *, fmt: str) -> None:
    """The register left the application as a file (no personal data in it; audited all the same)."""
    log.record(user, log.Action.EXPORT, "privacy.register_exported", data={"format": fmt})
