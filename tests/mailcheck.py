"""A test mail backend that checks every e-mail the suite sends (issue 16).

No outgoing e-mail may carry a doctor's name, a kind of consultation, a video link, an attachment,
or category B or C text (the canary tests put ``CANARY-B``/``CANARY-C`` strings in every B and C
field; any of them in a mail is a leak). The checks run when a mail is sent, while the test's data
is still there; a violation fails the test (``tests/conftest.py`` looks at :data:`VIOLATIONS`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.locmem import EmailBackend

VIOLATIONS: list[str] = []

_VIDEO = re.compile(r"https?://\S*(video|meet|jitsi|teams|whereby|zoom)\S*", re.IGNORECASE)
_CANARY = re.compile(r"CANARY-[BC]-")
_DOCTORS = ("bedrijfsarts", "basisarts", "stafarts", "medisch_manager")


def _database_facts() -> tuple[set[str], set[str]]:
    """Doctors' names and the video links of consultations, when the test may use the database."""
    from arbo.identity.models import FunctionAssignment
    from arbo.medical.models import Consultation

    try:
        users = [
            a.user for a in FunctionAssignment.objects.filter(function__in=_DOCTORS).select_related("user")
        ]
        links = set(Consultation.objects.exclude(video_link="").values_list("video_link", flat=True))
    except RuntimeError:  # a test without database access sends no consultation mail
        return set(), set()
    names = {n for u in users for n in (u.get_full_name(), str(u)) if len(n.strip()) > 3}
    return names, links


def problems(message: Any) -> list[str]:
    from arbo.medical.models import Consultation

    text = f"{message.subject}\n{message.body}"
    found = []
    if message.attachments:
        found.append("an attachment")
    kinds = [str(label) for label in Consultation.Kind.labels]
    found += [f"consultation kind {k!r}" for k in kinds if k.lower() in text.lower()]
    if _VIDEO.search(text):
        found.append("a video link")
    if _CANARY.search(text):
        found.append("category B or C text")
    names, links = _database_facts()
    found += [f"doctor's name {n!r}" for n in names if n in text]
    found += ["a consultation's video link" for link in links if link in text]
    return found


class CheckingBackend(EmailBackend):
    def send_messages(self, messages: Sequence[Any]) -> int:
        for message in messages:
            for problem in problems(message):
                VIOLATIONS.append(f"mail {message.subject!r} to {message.to} holds {problem}")
        return super().send_messages(messages)
