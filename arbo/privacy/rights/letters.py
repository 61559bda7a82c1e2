"""Letters to the person about their request, in their language: in the portal inbox (text) and
as PDF from "my requests" (:func:`letter_pdf`). E-mail never carries them."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arbo.absence.pdf import render_pdf
from arbo.identity.models import User
from arbo.portal import inbox
from arbo.privacy.office import office
from arbo.privacy.rights.models import RightsRequest

WHICH = ("received", "extension", "decision")


def _subject(which: str, rights_request: RightsRequest) -> str:
    subjects = {
        "received": _("We hebben je verzoek ontvangen"),
        "extension": _("De afhandeling van je verzoek duurt langer"),
        "decision": _("Ons besluit op je verzoek"),
    }
    return f"{subjects[which]} ({rights_request.reference})"


def render(rights_request: RightsRequest, which: str, extra: dict[str, Any] | None = None) -> tuple[str, str]:
    """(subject, body) of letter ``which`` in the person's language."""
    with translation.override(rights_request.language):
        body = render_to_string(
            f"privacy/rights/letter_{which}.txt",
            {"rights_request": rights_request, "office": office(), **(extra or {})},
        )
        return _subject(which, rights_request), body


def send(
    rights_request: RightsRequest, which: str, *, by: User | None, extra: dict[str, Any] | None = None
) -> None:
    """Deliver letter ``which`` to the person's portal inbox (once per request and letter)."""
    user = rights_request.employee.user
    if user is None or not user.is_active:
        return
    subject, body = render(rights_request, which, extra)
    inbox.deliver(
        recipient=user,
        employee=rights_request.employee,
        subject=subject,
        body=body,
        source=f"privacy.rights:{rights_request.pk}:{which}",
        sender_label=office()["name"],
        language=rights_request.language,
        by=by,
    )


def letter_pdf(rights_request: RightsRequest, which: str) -> bytes:
    subject, body = render(rights_request, which)
    with translation.override(rights_request.language):
        return render_pdf(
            "privacy/rights/letter_pdf.html",
            {
                "subject": subject,
                "body": body,
                "office": office(),
                "today": timezone.localdate(),
                "language": rights_request.language,
            },
        )
