"""Every personal-data field carries a data category (A–D)."""

from __future__ import annotations

from django.apps import apps

from arbo.registry.models import PERSONAL_DATA_CATEGORIES

#: Bookkeeping fields that are not personal data.
TECHNICAL = {"id", "created_at", "updated_at"}


def test_every_personal_data_field_has_a_category() -> None:
    for label, categories in PERSONAL_DATA_CATEGORIES.items():
        model = apps.get_model(label)
        fields = {f.name for f in model._meta.concrete_fields} - TECHNICAL
        fields = {f.removesuffix("_id") for f in fields}

        assert fields - set(categories) == set(), f"{label}: fields without a category"
        assert set(categories) - fields == set(), f"{label}: categories for fields that do not exist"
        assert set(categories.values()) <= {"A", "B", "C", "D"}
