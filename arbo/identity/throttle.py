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

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

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


def describe_wait(seconds: int) -> tuple[int, str]:
    """``(amount, unit)`` for a message: seconds under two minutes, else minutes rounded up."""
    if seconds < 120:
        return seconds, "seconds"
    return math.ceil(seconds / 60), "minutes"
