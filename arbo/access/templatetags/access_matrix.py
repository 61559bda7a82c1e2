"""``{% load access_matrix %}``: whether to show the matrix link in the menu."""

from __future__ import annotations

from typing import Any

from django import template

from arbo.access import domain
from arbo.access.care import is_doctor as _is_doctor
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, is_employer_user, is_staff_user, may_search_globally, staff_functions
from arbo.identity.roles import StaffFunction
from arbo.medical.policies import may_see_agenda

register = template.Library()


@register.filter
def can_review_matrix(user: Any) -> bool:
    return bool(user.is_authenticated) and domain.can_review_matrix(user)


@register.filter
def reads_absence(user: Any) -> bool:
    """Staff and employer users who may read absence data (category A) see the absence menu."""

    return (
        bool(user.is_authenticated)
        and (is_staff_user(user) or is_employer_user(user))
        and can(user, Action.READ, Category.A)
    )


@register.filter
def searches_globally(user: Any) -> bool:
    """Staff who read employees' names get the search box in the header (issue 18)."""

    return bool(user.is_authenticated) and may_search_globally(user)


@register.filter
def is_doctor(user: Any) -> bool:
    """Doctors see the applicants to examine in the menu."""

    return bool(user.is_authenticated) and _is_doctor(user)


@register.filter
def sees_agenda(user: Any) -> bool:

    return bool(user.is_authenticated) and may_see_agenda(user)


@register.filter
def files_letters(user: Any) -> bool:
    """The secretariat files incoming medical letters (and sees which paper still to destroy)."""

    return bool(user.is_authenticated) and StaffFunction.SECRETARIAAT in staff_functions(user)
