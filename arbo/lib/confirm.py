"""The second step before anything irreversible (issue 18): a page that says exactly who will
see what, and a form that posts the same action again with ``confirmed=1``.

Views build a :class:`Confirmation` and render ``confirm.html`` until the POST carries the
confirmation; nothing is written before that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest

CONFIRMED = "confirmed"
#: The box the user ticks to release a text that mentions medical terms anyway.
ACCEPT_TERMS = "accept_medical_terms"


@dataclass
class Confirmation:
    title: str
    intro: str
    action: str
    button: str
    back: str
    recipients: list[str] = field(default_factory=list)
    contents: list[tuple[str, str]] = field(default_factory=list)
    #: Medical terms found in what will be released; then ``ACCEPT_TERMS`` must be ticked as well.
    medical_terms: list[str] = field(default_factory=list)
    error: str = ""
    #: What the first step posted, posted again with the confirmation (name, value).
    hidden: list[tuple[str, str]] = field(default_factory=list)
    #: The headings above ``recipients`` and ``contents`` ("Wie het ziet", "Wat zij zien" unless given).
    who_heading: str = ""
    what_heading: str = ""


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "1"


def terms_accepted(request: HttpRequest) -> bool:
    return request.POST.get(ACCEPT_TERMS) == "1"
