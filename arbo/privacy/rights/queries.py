"""Which rights requests a user may reach: the privacy officer all, the treating doctor those they
decide or review, the person their own. Every rights page fetches through :func:`requests_visible_to`."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from arbo.identity.models import User
from arbo.privacy.policies import is_privacy_officer
from arbo.privacy.rights.models import RightsRequest


def requests_visible_to(user: User) -> QuerySet[RightsRequest]:
    if not user.is_authenticated or not user.is_active:
        return RightsRequest.objects.none()
    if user.kind == User.Kind.EMPLOYEE:
        return RightsRequest.objects.filter(employee__user=user)
    if is_privacy_officer(user):
        return RightsRequest.objects.all()
    if user.kind == User.Kind.STAFF:
        return RightsRequest.objects.filter(doctor=user)
    return RightsRequest.objects.none()


def register_rows(user: User) -> QuerySet[RightsRequest]:
    """The register: open requests first (overdue first: earliest due date), then the handled ones."""
    return (
        requests_visible_to(user)
        .select_related("employee", "doctor")
        .annotate(
            open_first=Case(
                When(status=RightsRequest.Status.DECIDED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "due_on", "id")
    )


def open_for(user: User) -> QuerySet[RightsRequest]:
    return requests_visible_to(user).filter(~Q(status=RightsRequest.Status.DECIDED))
