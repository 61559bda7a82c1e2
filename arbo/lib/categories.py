"""The data categories (A/B/C/D of the authorisation matrix) and the actions on them.

They sit in the bottom layer so that every app may name a category without importing the access
matrix (:mod:`arbo.access.matrix` re-exports both and decides who may do what with them).
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    A = "A", _("A — proces- en verzuimgegevens")
    B = "B", _("B — re-integratiegegevens over gezondheid")
    C = "C", _("C — medische gegevens")
    D = "D", _("D — algemene gegevens")


class Action(enum.IntEnum):
    """What a user wants to do; the level a cell must reach to allow it."""

    READ = 1
    CHANGE = 2
    DELETE = 3
