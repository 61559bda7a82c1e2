"""What a rights request and a complaint share: a status that ends in ``decided`` and a due date.

Both models (``rights.models.RightsRequest``, ``complaints.models.Complaint``) mix :class:`Clocked`
in; the due date rules themselves differ (``rights/clock.py``, ``complaints/terms.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


class Clocked:
    """``is_open``, ``is_overdue`` and ``days_left`` of a model with ``status`` (its ``Status``
    has ``DECIDED``) and ``due_on``."""

    @property
    def is_open(self: Any) -> bool:
        return bool(self.status != self.Status.DECIDED)

    def is_overdue(self: Any, today: dt.date | None = None) -> bool:
        return bool(self.is_open and self.due_on < (today or timezone.localdate()))

    def days_left(self: Any, today: dt.date | None = None) -> int:
        return int((self.due_on - (today or timezone.localdate())).days)
