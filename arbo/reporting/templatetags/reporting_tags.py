from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from arbo.access.policy import can_release_research_data, can_see_management_reports

register = template.Library()


@register.filter
def fig(value: float | None, decimals: int = 1) -> str:
    """A figure with ``decimals`` decimals in the current language; "n.v.t." when undefined."""
    if value is None:
        return _("n.v.t.")
    return str(number_format(value, int(decimals)))


@register.filter
def sees_management_reports(user: object) -> bool:

    return bool(getattr(user, "is_authenticated", False)) and can_see_management_reports(user)  # type: ignore[arg-type]


@register.filter
def releases_research(user: object) -> bool:

    return bool(getattr(user, "is_authenticated", False)) and can_release_research_data(user)  # type: ignore[arg-type]
