"""Letters to the person about their request, in their language: in the portal inbox (text) and
as PDF from "my requests" (:func:`letter_pdf`). E-mail never carries them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arbo.identity.models import User
from arbo.lib.pdf import render_pdf
from arbo.portal import inbox
from arbo.privacy.office import office
from arbo.privacy.rights.models import RightsRequest
from arbo.retention.models import LegalHold

WHICH = ("received", "extension", "decision")


def _subject(which: str, rights_request: RightsRequest) -> str:
    subjects = {
        "received": _("We hebben je verzoek ontvangen"),
        "extension": _("De afhandeling van je verzoek duurt langer"),
        "decision": _("Ons besluit op je verzoek"),
    }
    return f"{subjects[which]} ({rights_request.reference})"


def erasure_report(rights_request: RightsRequest) -> list[dict[str, Any]]:
    """The erasure report in the active language: per kind of record what was erased, what was
    kept and why (a legal hold with its reason and review date)."""
    rows = []
    for row in rights_request.erasure_report:
        hold = row.get("hold", "")
        rows.append(
            {
                "label": _(row["label"]),
                "erased": row["erased"],
                "count": row["count"],
                "ground": _(row["ground"]),
                "hold": str(LegalHold.Reason(hold).label) if hold in LegalHold.Reason.values else "",
                "hold_until": dt.date.fromisoformat(row["hold_until"]) if row.get("hold_until") else None,
            }
        )
    return rows


def render(rights_request: RightsRequest, which: str, extra: dict[str, Any] | None = None) -> tuple[str, str]:
    """(subject, body) of letter ``which`` in the person's language."""
    with translation.override(rights_request.language):
        body = render_to_string(
            f"privacy/rights/letter_{which}.txt",
            {
                "rights_request": rights_request,
                "office": office(),
                "report": erasure_report(rights_request),
                "by_post": rights_request.by_post,
                **(extra or {}),
            },
        )
        return _subject(which, rights_request), body


def send(
    rights_request: RightsRequest, which: str, *, by: User | None, extra: dict[str, Any] | None = None
) -> None:
    """Deliver letter ``which`` to the person's portal inbox (once per request and letter)."""
    if rights_request.by_post:
        return  # no portal account (an applicant): staff print the PDF and post it (``mark_posted``)
    employee = rights_request.employee
    assert employee is not None
    assert employee.user is not None
    subject, body = render(rights_request, which, extra)
    inbox.deliver(
        recipient=employee.user,
        employee=employee,
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
                "addressee": rights_request.subject if rights_request.by_post else None,
                "address": rights_request.reply_address,
                # The address as the letter gave it often starts with the name: print it once.
                "address_names_addressee": rights_request.reply_address.strip()
                .lower()
                .startswith(str(rights_request.subject).lower()),
                "office": office(),
                "today": timezone.localdate(),
                "language": rights_request.language,
            },
        )
