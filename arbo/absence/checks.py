"""Checks on free text that the absence sub-domains share: a reason long enough to mean something,
and no medical terms in what an employer writes (AP: never record the nature or cause of illness)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arbo.absence.medical_terms import find_medical_terms
from arbo.access.policy import is_staff_user
from arbo.identity.models import User
from arbo.lib.errors import DomainError

MIN_REASON_LENGTH = 10


def check_remarks(text: str, by: User) -> None:
    """Refuse employer free text that names a medical term (AP: never record the cause)."""
    if is_staff_user(by):
        return
    terms = find_medical_terms(text)
    if terms:
        raise DomainError(
            _(
                "Vermeld geen aard of oorzaak van de ziekte, ook niet als de werknemer die zelf noemt "
                "(beleidsregels Autoriteit Persoonsgegevens). Haal dit weg: %(terms)s."
            )
            % {"terms": ", ".join(terms)},
            field="remarks",
        )


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(_("Geef een reden van minstens 10 tekens."), field="reason")
    return reason
