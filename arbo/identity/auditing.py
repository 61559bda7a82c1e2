"""Audit records for logins, logouts, failed logins and second factors (NEN 7513: every login is
logged, and so is every attempt that was refused).

Refused attempts have no actor: nobody has proven who they are yet. The username that was tried is
kept so that an attack on one account can be seen; never the password or a code.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from arbo.audit import log


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Which factors were used ("password", "mfa:totp", "mfa:recovery_codes"): a login with a
    # recovery code is worth noticing.
    from allauth.account.internal.flows.login import get_authentication_records  # noqa: PLC0415 — allauth's internal flows import its models: not at app loading

    records = get_authentication_records(request, user) if request is not None else []
    methods = [r["method"] + (f":{r['type']}" if r.get("type") else "") for r in records]
    log.record(
        user,
        log.Action.LOGIN,
        "identity.login",
        request=request,
        basis=log.Basis.SELF,
        data={"methods": methods},
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log.record(user, log.Action.LOGOUT, "identity.logout", request=request, basis=log.Basis.SELF)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    log.record(
        None,
        log.Action.LOGIN,
        "identity.login_failed",
        request=request,
        outcome=log.Outcome.DENIED,
        data={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit_mfa_failed")
def _mfa_failed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    # A wrong (or replayed) TOTP or recovery code after a correct password.
    log.record(
        None,
        log.Action.LOGIN,
        "identity.mfa_failed",
        request=request,
        outcome=log.Outcome.DENIED,
        data={
            "username": user.username,
            "authenticator": authenticator.type,
            "reauthentication": bool(kwargs.get("reauthentication")),
        },
    )


def _audit_authenticator_change(action: str, event: str) -> Any:
    def receiver_(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
        log.record(
            user,
            action,
            event,
            request=request,
            basis=log.Basis.SELF,
            data={"authenticator": authenticator.type},
        )

    return receiver_


# Added, removed, or reset (new recovery codes: the old ones stop working).
for _signal, _action, _event in (
    (mfa_signals.authenticator_added, log.Action.CREATE, "identity.mfa_added"),
    (mfa_signals.authenticator_removed, log.Action.DELETE, "identity.mfa_removed"),
    (mfa_signals.authenticator_reset, log.Action.UPDATE, "identity.mfa_reset"),
):
    _signal.connect(_audit_authenticator_change(_action, _event), weak=False, dispatch_uid=f"audit_{_event}")
