from __future__ import annotations

from django.http import HttpRequest

from arbo.identity.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: ``user`` is a real :class:`User`."""

    user: User
