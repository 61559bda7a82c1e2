"""Tasks for the tests only: one that fails a given number of times, then succeeds."""

from __future__ import annotations

from django.core.cache import cache
from django.db import OperationalError

from arbo.operations.retry import retrying_task


@retrying_task(attempts=3)
def flaky() -> dict[str, int]:
    failures = cache.get("flaky-failures", 0)
    calls = cache.get("flaky-calls", 0) + 1
    cache.set("flaky-calls", calls)
    if calls <= failures:
        raise OperationalError("the database went away")
    return {"calls": calls}


@retrying_task(attempts=3)
def broken() -> None:
    raise ValueError("not worth trying again")
