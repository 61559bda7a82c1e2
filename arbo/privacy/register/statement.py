"""The public privacy statement, generated from the register (seeds 000–004 have its sections).

A version is a snapshot of the register (and the processors' services and countries) taken when
published; the page renders a snapshot in the reader's language, so an old version reads as it
was published. Sections: who we are, which data, for what and on which ground, who receives it,
how long, your rights and how to use them, security, complaints, the FG's contact.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from arbo.audit import log
from arbo.privacy.office import office
from arbo.privacy.processors.models import Processor
from arbo.privacy.register.models import ProcessingActivity, StatementVersion

#: Fields of an activity that the statement shows, in both languages where there are two.
BILINGUAL = (
    "name",
    "purpose",
    "legal_basis",
    "data_subjects",
    "data_description",
    "origin",
    "recipients",
    "retention",
)
#: Snapshot format version: bump when the structure changes, and keep rendering the old ones.
FORMAT = 1


def snapshot(activities: Any, processors: Any, office: dict[str, str]) -> dict[str, Any]:
    """The statement's content as data. Works on current or historical (migration) models."""
    rows = []
    for activity in activities:
        row: dict[str, Any] = {
            "code": activity.code,
            "legal_ground": activity.legal_ground,
            "categories": activity.categories,
        }
        for field in BILINGUAL:
            row[field] = {"nl": getattr(activity, field), "en": getattr(activity, f"{field}_en")}
        rows.append(row)
    return {
        "format": FORMAT,
        "office": office,
        "activities": rows,
        "processors": [
            {
                "name": p.name,
                "services": p.services,
                "locations": p.locations,
                "certifications": p.certifications,
            }
            for p in processors
        ],
    }


def localise(content: dict[str, Any], language: str) -> dict[str, Any]:
    """The snapshot with each bilingual text in ``language`` (Dutch when missing)."""
    lang = "en" if language.startswith("en") else "nl"
    activities = []
    for row in content["activities"]:
        local = dict(row)
        for field in BILINGUAL:
            texts = row[field]
            local[field] = texts.get(lang) or texts.get("nl", "")
        activities.append(local)
    return {**content, "activities": activities}


def current_snapshot() -> dict[str, Any]:
    return snapshot(ProcessingActivity.objects.all(), Processor.objects.filter(active=True), office())


def publish(*, by: Any, reason: str) -> StatementVersion:
    """Publish a new version if the register's content differs from the newest version's."""
    content = current_snapshot()
    latest = StatementVersion.objects.order_by("-number").first()
    if latest is not None and latest.snapshot == content:
        return latest
    now = timezone.now()
    version = StatementVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        effective_on=timezone.localdate(),
        published_at=now,
        reason=reason,
        snapshot=content,
    )
    log.record(
        by, log.Action.CREATE, "privacy.statement_published", obj=version, data={"number": version.number}
    )
    return version
