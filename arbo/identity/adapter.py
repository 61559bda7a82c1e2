from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from arbo.identity.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by the arbodienst (registry, seed_demo), never by sign-up.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        now = time.time()
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_LAST_SEEN] = now
