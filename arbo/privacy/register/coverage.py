"""Does the register of processing cover every personal-data field?

Every app that holds personal data classifies each field in its ``PERSONAL_DATA_CATEGORIES``
(category A–D, or ``row`` when the row carries its own category). A field is *covered* when an
activity of the register lists the field's model in ``covers`` and processes the field's category
(``row`` fields need any category). A field without a classification is never covered, so a new
field fails here until it is classified and a register entry covers it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.apps import apps

from arbo.privacy.register.models import ProcessingActivity

#: Bookkeeping fields that are not personal data.
TECHNICAL = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True)
class Scope:
    """What one register entry covers: model labels and data categories."""

    covers: Sequence[str]
    categories: Sequence[str]


def classification() -> dict[str, dict[str, str]]:
    """Every installed ``arbo`` app's ``PERSONAL_DATA_CATEGORIES``, merged."""
    merged: dict[str, dict[str, str]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("arbo."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.models")
        except ModuleNotFoundError:
            continue
        merged.update(getattr(module, "PERSONAL_DATA_CATEGORIES", {}))
    return merged


def uncovered(
    scopes: Iterable[Scope], classified: Mapping[str, Mapping[str, str]] | None = None
) -> list[str]:
    """``app.model.field: why`` for every personal-data field no entry covers (empty: all covered)."""
    classified = classification() if classified is None else classified
    by_model: dict[str, set[str]] = {}
    for scope in scopes:
        for label in scope.covers:
            by_model.setdefault(label, set()).update(scope.categories)
    problems = []
    for label, categories in sorted(classified.items()):
        model = apps.get_model(label)
        fields = [f.name for f in model._meta.concrete_fields if f.name not in TECHNICAL]
        processed = by_model.get(label, set())
        for name in fields:
            category = categories.get(name)
            if category is None:
                problems.append(f"{label}.{name}: no data category")
            elif category == "row" and not processed:
                problems.append(f"{label}.{name}: no register entry covers {label}")
            elif category != "row" and category not in processed:
                problems.append(f"{label}.{name}: no register entry covers category {category} of {label}")
    return problems


def register_scopes() -> list[Scope]:
    return [Scope(a.covers, a.categories) for a in ProcessingActivity.objects.all()]
