"""The employee's inbox in the portal: letters the arbodienst sends, delivered behind the login.

A letter is addressed to a user (an employee's portal account) and, where it concerns an employee,
names that employee as data subject. The text is stored encrypted: a breach letter or a complaint
decision says what happened to the person's data. E-mail only ever says that a letter is waiting
(no content), which is why the letters live here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arbo.lib.fields import EncryptedTextField


class InboxMessage(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox_messages")
    employee = models.ForeignKey(
        "registry.Employee", models.CASCADE, null=True, blank=True, related_name="inbox_messages"
    )
    sender_label = models.CharField(_("afzender"), max_length=200)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = EncryptedTextField(_("tekst"))
    #: What produced the letter, e.g. ``privacy.breach:12`` (one letter per source and recipient).
    source = models.CharField(max_length=80)
    language = models.CharField(max_length=5, default="nl")
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source"], name="one_letter_per_source_and_recipient"
            )
        ]

    def __str__(self) -> str:
        return self.subject


#: Data categories (docs/privacy.md): the letter's subject and text say what happened to the
#: person's data (category D: correspondence with the person); never medical content.
PERSONAL_DATA_CATEGORIES: dict[str, dict[str, str]] = {
    "portal.inboxmessage": {
        "recipient": "D",
        "employee": "D",
        "sender_label": "D",
        "subject": "D",
        "body": "D",
        "source": "D",
        "language": "D",
        "sent_at": "D",
        "read_at": "D",
    },
}
