"""Audit records for logins, logouts and failed logins (NEN 7513: every login is logged)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from arbo.audit import log


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log.record(user, log.Action.LOGIN, "identity.login", request=request, basis=log.Basis.SELF)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log.record(user, log.Action.LOGOUT, "identity.logout", request=request, basis=log.Basis.SELF)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username is kept so that attacks on one account can be seen; never the password.
    log.record(
        None,
        log.Action.LOGIN,
        "identity.login_failed",
        request=request,
        outcome=log.Outcome.DENIED,
        data={"username": str(credentials.get("username", ""))[:150]},
    )
