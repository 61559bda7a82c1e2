"""Who the controller and its privacy officer (FG) are, for letters, the AP form and the statement.

Set ``PRIVACY_OFFICE`` in the settings to override the defaults (a dict with the same keys).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_OFFICE = {
    "name": "Arbodienst Arbodossier B.V.",
    "address": "Postbus 1234, 3500 AA Utrecht",
    "kvk_number": "00000000",
    "fg_name": "De functionaris gegevensbescherming",
    "fg_email": "privacy@arbodossier.example",
    "fg_phone": "030 123 45 67",
    "complaints_email": "klachten@arbodossier.example",
}


def office() -> dict[str, str]:
    return {**DEFAULT_OFFICE, **getattr(settings, "PRIVACY_OFFICE", {})}
