"""``{% load access_matrix %}``: whether to show the matrix link in the menu."""

from __future__ import annotations

from typing import Any

from django import template

from arbo.access import domain

register = template.Library()


@register.filter
def can_review_matrix(user: Any) -> bool:
    return bool(user.is_authenticated) and domain.can_review_matrix(user)
