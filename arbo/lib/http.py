"""Small helpers on the request that interface modules hand to the domain as plain values."""

from __future__ import annotations

from django.http import HttpRequest


def base_url(request: HttpRequest) -> str:
    """``https://host`` of the request, for links in letters and mails (the domain takes a string)."""
    return request.build_absolute_uri("/")[:-1]
