"""Login throttling per account *and* address, with growing delays (issue 19).

The old rule ("5 failures per username in 5 minutes") locked an account for everyone, from
every address: whoever knew a doctor's username could keep the doctor out during consulting
hours. Here failures count per (username, client address):

- the first :data:`FREE_FAILURES` failures from an address cost nothing;
- after that each failure makes the next attempt from that address wait, 30 s, then 1, 2, 4, ...
  minutes, at most :data:`MAX_DELAY`;
- the count is forgotten :data:`MEMORY` after the last failure.

So an attacker's failures slow only the attacker's own address; the owner, from another address,
logs in as usual. Guessing stays slow: at the cap an address gets four tries an hour per account.
allauth's per-address limit across all accounts (``ACCOUNT_RATE_LIMITS["login_failed"]``) still
stops one address from trying many accounts.

A successful login does not reset the count (nor does allauth's own): otherwise an attacker who
knows one password could interleave good logins to buy more guesses at another.

State lives in the default cache (Redis in production, shared by all workers), keyed by a hash of
username and address: the cache never holds a username in the clear. Unknown usernames are
throttled exactly like known ones, so the throttle does not reveal which usernames exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from arbo.audit import log
from arbo.identity.models import User

FREE_FAILURES = 5
BASE_DELAY = 30  # seconds, after the first failure beyond the free ones
MAX_DELAY = 15 * 60
MEMORY = 24 * 60 * 60


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go ahead, and if not how many seconds to wait."""

    allowed: bool
    wait_seconds: int = 0


def _key(username: str, address: str | None) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\x1f{address or '-'}".encode()).hexdigest()
    return f"arbo:login-throttle:{digest}"


def delay_after(failures: int) -> int:
    """Seconds the next attempt waits after ``failures`` failures from one address."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_FAILURES))


def check(username: str, address: str | None) -> Verdict:
    """May ``username`` be tried from ``address`` now?"""
    state = cache.get(_key(username, address))
    if not state:
        return Verdict(True)
    wait = state["next_at"] - time.time()
    if wait <= 0:
        return Verdict(True)
    return Verdict(False, math.ceil(wait))


def record_failure(username: str, address: str | None) -> int:
    """Count a failed password for ``username`` from ``address``; return the delay it imposes."""
    key = _key(username, address)
    state = cache.get(key) or {"failures": 0, "next_at": 0.0}
    failures = state["failures"] + 1
    delay = delay_after(failures)
    cache.set(key, {"failures": failures, "next_at": time.time() + delay}, MEMORY)
    return delay


def failures(username: str, address: str | None) -> int:
    state = cache.get(_key(username, address))
    return state["failures"] if state else 0


def refusal_message(seconds: int) -> str:
    """The sentence for a held-back attempt: how long to wait, in seconds or whole minutes."""
    if seconds < 120:
        return ngettext(
            "Te veel mislukte inlogpogingen vanaf dit adres. Probeer het over %(count)d seconde opnieuw.",
            "Te veel mislukte inlogpogingen vanaf dit adres. Probeer het over %(count)d seconden opnieuw.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Te veel mislukte inlogpogingen vanaf dit adres. Probeer het over %(count)d minuut opnieuw.",
        "Te veel mislukte inlogpogingen vanaf dit adres. Probeer het over %(count)d minuten opnieuw.",
        minutes,
    ) % {"count": minutes}


# --- What the owner and the applicatiebeheerder see ----------------------------------------------

#: How far back /account/login-attempts/ looks, and how many rows it shows at most.
ATTEMPTS_SHOWN_DAYS = 30
ATTEMPTS_SHOWN_MAX = 100

#: Audit events of a refused login on an account (arbo/identity/auditing.py, adapter.py).
FAILED_EVENTS = {
    "identity.login_failed": gettext_lazy("verkeerd wachtwoord"),
    "identity.login_throttled": gettext_lazy("tegengehouden: te veel pogingen vanaf dit adres"),
    "identity.mfa_failed": gettext_lazy("verkeerde code (tweede stap)"),
}


@dataclass(frozen=True)
class Attempt:
    occurred_at: dt.datetime
    ip_address: str | None
    event: str

    @property
    def label(self) -> str:
        return str(FAILED_EVENTS[self.event])


def failed_attempts(username: str) -> list[Attempt]:
    """Refused logins on ``username`` of the last :data:`ATTEMPTS_SHOWN_DAYS` days, newest first.

    Read from the audit log, which records every refused attempt with the username tried and
    the client address (NEN 7513); nothing is stored twice.
    """
    from arbo.audit.models import AuditEvent

    since = timezone.now() - dt.timedelta(days=ATTEMPTS_SHOWN_DAYS)
    rows = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.LOGIN,
            event__in=FAILED_EVENTS,
            occurred_at__gte=since,
            data__username__iexact=username,
        )
        .order_by("-occurred_at", "-pk")
        .values_list("occurred_at", "ip_address", "event")[:ATTEMPTS_SHOWN_MAX]
    )
    return [Attempt(*row) for row in rows]


def read_failed_attempts(viewer: User, account: User, *, own: bool) -> list[Attempt]:
    """:func:`failed_attempts` of ``account`` as ``viewer`` reads them (themselves or an admin); audited."""
    attempts = list(failed_attempts(account.username))
    log.record(
        viewer,
        log.Action.READ,
        "identity.login_attempts_viewed",
        basis=log.Basis.SELF if own else log.Basis.AUTHORISATION,
        data={"account": account.pk, "shown": len(attempts)},
    )
    return attempts
