"""Delivering letters to the portal inbox, and reading them back (audited).

A leaf that any app may call, like :mod:`arbo.audit.log`: the privacy office's breach letters and
complaint decisions are delivered here.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from arbo.audit import log
from arbo.identity.models import User
from arbo.portal.models import InboxMessage
from arbo.registry.models import Employee


def deliver(
    *,
    recipient: User,
    employee: Employee | None,
    subject: str,
    body: str,
    source: str,
    sender_label: str,
    language: str = "nl",
    by: User | None,
) -> InboxMessage:
    """Put a letter in ``recipient``'s inbox; a second delivery from the same source is the first.

    Audited as ``portal.letter_delivered`` about ``employee`` (category D). Idempotent per
    ``(recipient, source)``, so a job or a double click never sends a letter twice.
    """
    with transaction.atomic():
        message, created = InboxMessage.objects.get_or_create(
            recipient=recipient,
            source=source,
            defaults={
                "employee": employee,
                "subject": subject[:200],
                "body": body,
                "sender_label": sender_label[:200],
                "language": language,
                "sent_at": timezone.now(),
            },
        )
        if created:
            log.record(
                by,
                log.Action.CREATE,
                "portal.letter_delivered",
                subject=employee,
                obj=message,
                category="D",
                data={"source": source},
            )
    return message


def inbox_of(user: User) -> QuerySet[InboxMessage]:
    return InboxMessage.objects.filter(recipient=user)


def open_letter(message: InboxMessage, *, by: User) -> InboxMessage:
    """Mark the letter read (first time only) and audit the reading by its recipient."""
    with transaction.atomic():
        if message.read_at is None:
            message.read_at = timezone.now()
            message.save(update_fields=["read_at"])
        log.record(
            by,
            log.Action.READ,
            "portal.letter_read",
            subject=message.employee,
            obj=message,
            category="D",
            basis=log.Basis.SELF,
        )
    return message


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return InboxMessage.objects.filter(recipient=user, read_at__isnull=True).count()


#: An absolute link in a letter's text (the letters are plain text: PDF, the inbox, the post).
_LINK = re.compile(r"https?://[^\s/]+(/[^\s<>\"']*)")


def body_html(body: str) -> SafeString:
    """A letter's text as HTML paragraphs, each link to a page of this site a working link (to
    its path, so never to another site); any other text, other links included, stays text."""
    parts: list[str] = []
    position = 0
    for match in _LINK.finditer(body):
        path = match.group(1)
        try:
            resolve(path.split("?", 1)[0])
        except Resolver404:
            continue
        parts.append(escape(body[position : match.start()]))
        parts.append(f'<a href="{escape(path)}">{escape(match.group(0))}</a>')
        position = match.end()
    parts.append(escape(body[position:]))
    return mark_safe(linebreaks("".join(parts), autoescape=False))  # noqa: S308 - every part escaped above
