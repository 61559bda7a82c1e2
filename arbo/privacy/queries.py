"""Reads of the privacy office for other apps: the person's own records as subject records."""

from __future__ import annotations

from arbo.access.subjects import Rows, collect, collect_applicant
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord
from arbo.privacy.models import (
    PERSONAL_DATA_CATEGORIES,
    BreachAffectedPerson,
    Complaint,
    Objection,
    Restriction,
    RightsRequest,
    SubjectStatement,
)
from arbo.privacy.rights.models import SUBJECT_FIELD_LABELS
from arbo.registry.models import Applicant, Employee


def subject_records(employee: Employee, *, reader: User | None) -> list[SubjectRecord]:
    """The person's rights requests, restrictions, objections, own statements, complaints and the
    incidents that concerned them, as far as ``reader`` may read them (``None``: the person)."""
    return collect(
        "privacy",
        employee,
        reader,
        [
            Rows(
                RightsRequest.objects.filter(employee=employee).select_related("doctor", "registered_by"),
                skip=("employee", "applicant", "download_token_hash", "withheld"),
            ),
            Rows(Restriction.objects.filter(employee=employee), created="started_at"),
            Rows(Objection.objects.filter(employee=employee), created="recorded_at"),
            Rows(SubjectStatement.objects.filter(employee=employee), created="added_at"),
            Rows(Complaint.objects.filter(complainant=employee), skip=("complainant", "about", "handler")),
            Rows(
                BreachAffectedPerson.objects.filter(employee=employee).select_related("breach"),
                created="added_at",
            ),
        ],
        classification=PERSONAL_DATA_CATEGORIES,
        labels=SUBJECT_FIELD_LABELS,
    )


def applicant_records(applicant: Applicant, *, reader: User | None) -> list[SubjectRecord]:
    """The applicant's own rights requests."""
    return collect_applicant(
        "privacy",
        applicant,
        reader,
        [
            Rows(
                RightsRequest.objects.filter(applicant=applicant).select_related(
                    "doctor", "registered_by", "letter_posted_by"
                ),
                skip=("employee", "applicant", "download_token_hash", "withheld"),
            )
        ],
        classification=PERSONAL_DATA_CATEGORIES,
        labels=SUBJECT_FIELD_LABELS,
    )
