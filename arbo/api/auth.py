"""Bearer-token authentication for API clients: ``Authorization: Bearer arbo_<prefix>_<secret>``."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from arbo.api.models import ApiToken, hash_token
from arbo.identity.models import User

KEYWORD = "Bearer"
#: ``last_used_at`` is written at most this often per token (a write per request is waste).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """Find the token by the SHA-256 of what the client sent; refuse revoked or blocked clients.

    Looking up by hash means the secret itself is never compared byte by byte against stored
    data; the final ``compare_digest`` only guards against a lookup that matched loosely.
    """

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Ongeldige Authorization-header: gebruik 'Bearer <token>'."))
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("Ongeldig token.")) from exc
        return self.authenticate_token(plaintext)

    def authenticate_token(self, plaintext: str) -> tuple[User, ApiToken]:
        digest = hash_token(plaintext)
        token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
        if token is None or not hmac.compare_digest(token.token_hash, digest):
            raise AuthenticationFailed(_("Ongeldig token."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("Dit token is ingetrokken."))
        if not token.user.is_active or token.user.kind != User.Kind.API_CLIENT:
            raise AuthenticationFailed(_("Deze API-koppeling is geblokkeerd."))
        _touch(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # A value here makes DRF answer 401 (with WWW-Authenticate) instead of 403.
        return f'{KEYWORD} realm="api"'


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents :class:`ApiTokenAuthentication` as an HTTP bearer scheme in the OpenAPI schema."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=KEYWORD, bearer_format="arbo_<prefix>_<secret>"
        )
        scheme["description"] = (
            "Token of an API client, created by the employer's HR user in Arbodossier "
            "(shown once). Send it as `Authorization: Bearer arbo_<prefix>_<secret>`."
        )
        return scheme
