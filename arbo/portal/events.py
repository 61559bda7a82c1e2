"""How audit events about a person are described to that person: the registry in :mod:`arbo.audit.events`."""

from __future__ import annotations

from arbo.audit.events import CATEGORY_LABELS, EVENT_LABELS, EVENTS, describe, describe_categories

__all__ = ["CATEGORY_LABELS", "EVENTS", "EVENT_LABELS", "describe", "describe_categories"]
