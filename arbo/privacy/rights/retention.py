"""The ``rights_request`` kind of the retention schedule (seed 002: request data is deleted two
years after handling), destroyed by the retention purge like every other kind.

A request counts as handled on the day it was decided (``decided_on``); open requests are never
due. While a hold stands for the person (for this kind or for all kinds, e.g. the hold an erasure
request places while it is being decided) nothing goes. A request goes with every row that refers
to it (its signals and ID copy); the restriction, objection and own statement it created stay,
without the link (they belong to the person's file).

A request is about an employee or an applicant; while an applicant's request is kept, the purge
does not erase the applicant whole (``retention.kinds.keeps_applicant``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import QuerySet

from arbo.privacy.rights.models import RightsRequest
from arbo.retention import register as destruction_register
from arbo.retention.destroy import Destroyed, among, delete_rows
from arbo.retention.kinds import Kind, add_kind, cutoff, keeps_applicant, not_held
from arbo.retention.terms import Term

KIND = "rights_request"
MODEL = "privacy.rightsrequest"


def due(term: Term, day: dt.date) -> QuerySet[RightsRequest]:
    """The requests decided on or before the term's cutoff for ``day``, not under a hold."""
    return (
        RightsRequest.objects.filter(
            status=RightsRequest.Status.DECIDED,
            decided_on__isnull=False,
            decided_on__lte=cutoff(term, day),
        )
        .filter(not_held(KIND, "employee", "employee_id"))
        .filter(not_held(KIND, "applicant", "applicant_id"))
    )


def destroy(pks: list[int]) -> Destroyed:
    """Register, then delete, the requests (with their signals and ID copies); the purge log
    counts them under the pseudonym of their person, employee or applicant."""
    people = among(RightsRequest._base_manager.all(), "pk", pks).values_list("employee_id", "applicant_id")
    subjects = Counter(
        destruction_register.pseudonym("applicant", applicant_id)
        if applicant_id is not None
        else destruction_register.pseudonym("employee", employee_id)
        for employee_id, applicant_id in people
    )
    destruction_register.append([{"op": "rows", "kind": KIND, "model": MODEL, "pks": pks}])
    rows = delete_rows(RightsRequest, pks)
    return Destroyed(records=len(pks), rows=rows, subjects=subjects)


def register() -> None:
    """Called once from the privacy app's ``ready``."""
    add_kind(Kind(KIND, MODEL, "employee", "employee_id", due, destroy, employer=None))
    keeps_applicant(MODEL)
