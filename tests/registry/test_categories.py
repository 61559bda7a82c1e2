"""Every personal-data field carries a data category (A–D)."""

from __future__ import annotations

import pytest
from django.apps import apps

from arbo.absence.models import PERSONAL_DATA_CATEGORIES as ABSENCE
from arbo.journal.models import PERSONAL_DATA_CATEGORIES as JOURNAL
from arbo.medical.models import PERSONAL_DATA_CATEGORIES as MEDICAL
from arbo.portal.models import PERSONAL_DATA_CATEGORIES as PORTAL
from arbo.prevention.models import PERSONAL_DATA_CATEGORIES as PREVENTION
from arbo.privacy.models import PERSONAL_DATA_CATEGORIES as PRIVACY
from arbo.registry.models import PERSONAL_DATA_CATEGORIES as REGISTRY

#: Bookkeeping fields that are not personal data.
TECHNICAL = {"id", "created_at", "updated_at"}
#: "row": the category is stored on the row itself (a journal entry's ``category`` column).
ALLOWED = {"A", "B", "C", "D", "row"}
CLASSIFIED = {**REGISTRY, **JOURNAL, **MEDICAL, **ABSENCE, **PREVENTION, **PORTAL, **PRIVACY}
PERSONAL_DATA_APPS = {"registry", "journal", "medical", "absence", "prevention", "portal", "privacy"}
NOT_PERSONAL = {
    "registry.employer",
    "registry.contract",
    "registry.department",
    "registry.employermembership",
    "registry.teammembership",
    # The register of processing and the published statements name no one.
    "privacy.processingactivity",
    "privacy.statementversion",
}


@pytest.mark.parametrize("label", sorted(CLASSIFIED))
def test_every_personal_data_field_has_a_category(label: str) -> None:
    categories = CLASSIFIED[label]
    model = apps.get_model(label)
    fields = {f.name for f in model._meta.concrete_fields} - TECHNICAL

    assert fields - set(categories) == set(), f"{label}: fields without a category"
    assert set(categories) - fields == set(), f"{label}: categories for fields that do not exist"
    assert set(categories.values()) <= ALLOWED


def test_every_model_of_a_personal_data_app_is_classified() -> None:
    models = {
        m._meta.label_lower for app in PERSONAL_DATA_APPS for m in apps.get_app_config(app).get_models()
    }

    assert models - set(CLASSIFIED) - NOT_PERSONAL == set()
