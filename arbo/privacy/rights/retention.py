"""The ``rights_request`` kind of the retention schedule (seed 002: request data is deleted two
years after handling), destroyed by the retention purge like every other kind.

A request counts as handled on the day it was decided (``decided_on``); open requests are never
due. While a hold stands for the person (for this kind or for all kinds, e.g. the hold an erasure
request places while it is being decided) nothing goes. A request goes with every row that refers
to it (its signals and ID copy); the restriction, objection and own statement it created stay,
without the link (they belong to the person's file).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from arbo.privacy.rights.models import RightsRequest
from arbo.retention.kinds import KINDS, Kind, add_kind, cutoff, destroy_rows, not_held
from arbo.retention.terms import Term

KIND = "rights_request"


def due(term: Term, day: dt.date) -> QuerySet[RightsRequest]:
    """The requests decided on or before the term's cutoff for ``day``, not under a hold."""
    return RightsRequest.objects.filter(
        status=RightsRequest.Status.DECIDED,
        decided_on__isnull=False,
        decided_on__lte=cutoff(term, day),
    ).filter(not_held(KIND, "employee", "employee_id"))


def register() -> None:
    """Called once from the privacy app's ``ready``."""
    add_kind(
        Kind(
            KIND,
            "privacy.rightsrequest",
            "employee",
            "employee_id",
            due,
            lambda pks: destroy_rows(KINDS[KIND], pks),
            employer=None,
        )
    )
