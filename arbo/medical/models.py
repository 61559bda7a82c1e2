"""Category C: the company doctor's medical file. Everything here is encrypted per person.

Each employee with medical data has a :class:`DataKey`: a random AES-256 key, stored only wrapped
(encrypted) by a master key from ``MEDICAL_MASTER_KEYS``. Every medical text is encrypted with the
person's data key. Destroying the data key (:func:`arbo.medical.keys.destroy_data_key`) makes all
of that person's medical data unreadable everywhere, backups included (crypto-shredding).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    employee = models.OneToOneField("registry.Employee", models.PROTECT, related_name="medical_data_key")
    master_key_id = models.CharField(max_length=40)
    wrapped_key = models.TextField(blank=True)  # empty once destroyed
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"data key of employee {self.employee_id} ({self.master_key_id})"


class MedicalNote(models.Model):
    """A note in the medical file (anamnesis, findings, ...). The body is encrypted per person."""

    class Kind(models.TextChoices):
        ANAMNESIS = "anamnese", _("anamnese")
        FINDINGS = "bevindingen", _("bevindingen")
        DIAGNOSIS = "diagnose", _("diagnose")
        TREATMENT = "behandeling", _("behandeling")
        NOTE = "notitie", _("notitie")

    employee = models.ForeignKey("registry.Employee", models.PROTECT, related_name="medical_notes")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.NOTE)
    body_encrypted = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


PERSONAL_DATA_CATEGORIES = {
    "medical.medicalnote": {"employee": "D", "kind": "C", "body_encrypted": "C", "author": "C"},
    "medical.datakey": {"employee": "D", "master_key_id": "C", "wrapped_key": "C", "destroyed_at": "C"},
}
