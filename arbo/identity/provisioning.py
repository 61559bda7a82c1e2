"""Governed provisioning (issue 9, item 6): the functional administrator creates accounts.

Every kind of account starts the same way: created without a password, then an invitation
(:class:`~arbo.identity.models.Invitation`) by e-mail with a single-use token valid for
:data:`INVITATION_VALID`; the person chooses a password on the invitation page and, at the first
login, enrols TOTP (``RequireMFAMiddleware``). Per kind:

- staff: a function is *requested* at once (``domain.request_function``); it counts only after
  another decider approves it (four eyes, seed 003 §6) and the declarations are recorded;
- employer user: acts for one employer as HR or manager (``registry.domain.add_employer_membership``);
- employee: the portal account of one registered employee (``registry.domain.link_employee_account``).

Links into the registry go through the registry's domain functions. Every step is audited:
created, invitation sent or re-sent, accepted (by the person), and the registry link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.audit import log
from arbo.identity import domain
from arbo.identity.models import Invitation, User
from arbo.lib.errors import DomainError

INVITATION_VALID = timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(by: User) -> None:
    if not by.is_user_admin:
        raise DomainError(_("Alleen de applicatiebeheerder maakt accounts aan."))


def _new_user(*, kind: str, username: str, first_name: str, last_name: str, email: str, by: User) -> User:
    username = username.strip()
    if not username:
        raise DomainError(_("Vul een gebruikersnaam in."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("Deze gebruikersnaam bestaat al."), field="username")
    if not email.strip():
        raise DomainError(_("Vul een e-mailadres in: de uitnodiging gaat per e-mail."), field="email")
    user = User(kind=kind, username=username, first_name=first_name, last_name=last_name, email=email.strip())
    user.set_unusable_password()
    user.save()
    log.record(
        by,
        log.Action.CREATE,
        "identity.user_created",
        obj=user,
        data={"user_id": user.pk, "kind": kind},
    )
    return user


@transaction.atomic
def create_staff_account(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    function: str,
    reason: str,
    by: User,
    base_url: str = "",
) -> User:
    """A staff account with its first function *requested* (another decider approves it)."""
    _require_admin(by)
    user = _new_user(
        kind=User.Kind.STAFF,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        by=by,
    )
    domain.request_function(user, function, starts_on=timezone.localdate(), reason=reason, by=by)
    send_invitation(user, by=by, base_url=base_url)
    return user


@transaction.atomic
def create_employer_account(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    employer: Any,
    role: str,
    by: User,
    base_url: str = "",
) -> User:
    """An employer user acting for exactly one employer (more can be added later)."""
    from arbo.registry import domain as registry_domain  # noqa: PLC0415 — identity sits below the registry

    _require_admin(by)
    user = _new_user(
        kind=User.Kind.EMPLOYER,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        by=by,
    )
    registry_domain.add_employer_membership(user, employer, role=role, by=by)
    send_invitation(user, by=by, base_url=base_url)
    return user


@transaction.atomic
def create_employee_account(
    *, employee: Any, username: str, email: str, by: User, base_url: str = ""
) -> User:
    """The portal account of a registered employee (who then sees their own file)."""
    from arbo.registry import domain as registry_domain  # noqa: PLC0415 — identity sits below the registry

    _require_admin(by)
    if employee.user_id is not None:
        raise DomainError(_("Deze werknemer heeft al een account."), field="employee")
    user = _new_user(
        kind=User.Kind.EMPLOYEE,
        username=username,
        first_name=employee.first_names.split(" ")[0] if employee.first_names else employee.initials,
        last_name=employee.surname,
        email=email,
        by=by,
    )
    registry_domain.link_employee_account(employee, user, by=by)
    send_invitation(user, by=by, base_url=base_url)
    return user


def _invitation_url(token: str, base_url: str) -> str:
    path = reverse("identity:invitation_accept", args=[token])
    return base_url + path


@transaction.atomic
def send_invitation(user: User, *, by: User, base_url: str = "") -> Invitation:
    """Send (or send again) the invitation: an open one is revoked, a new token is mailed."""
    _require_admin(by)
    if not user.is_active:
        raise DomainError(_("Dit account is geblokkeerd."))
    if user.has_usable_password():
        raise DomainError(_("Dit account heeft al een wachtwoord; een uitnodiging is niet nodig."))
    now = timezone.now()
    resent = Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        email=user.email,
        token_hash=_hash(token),
        created_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALID,
    )
    log.record(
        by,
        log.Action.CREATE,
        "identity.invitation_resent" if resent else "identity.invitation_sent",
        obj=invitation,
        data={"user_id": user.pk, "expires_at": invitation.expires_at.isoformat()},
    )
    url = _invitation_url(token, base_url)
    subject = _("Uitnodiging voor Arbodossier")
    body = _(
        "Beste %(name)s,\n\nEr is een account voor je aangemaakt in Arbodossier (gebruikersnaam: "
        "%(username)s). Kies je wachtwoord via deze link, die zeven dagen geldig is en één keer werkt:\n\n"
        "%(url)s\n\nBij de eerste keer inloggen stel je ook een tweede stap in (een code-app op je telefoon).\n"
    ) % {"name": user.get_full_name() or user.username, "username": user.username, "url": url}
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation


def open_invitation(token: str) -> Invitation | None:
    """The invitation of ``token`` if it can still be used (not used, replaced, expired or blocked)."""
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_open or not invitation.user.is_active:
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, *, password: str) -> User:
    """The invited person chooses a password (Django's validators). Next: log in and enrol TOTP."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not invitation.is_open or not invitation.user.is_active:
        raise DomainError(
            _("Deze uitnodiging is niet meer geldig. Vraag de applicatiebeheerder om een nieuwe.")
        )
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from error
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    log.record(
        user,
        log.Action.UPDATE,
        "identity.invitation_accepted",
        obj=invitation,
        basis=log.Basis.SELF,
        data={"user_id": user.pk},
    )
    return user
