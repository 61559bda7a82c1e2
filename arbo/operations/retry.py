"""Retries with back-off for tasks that may fail for a while (mail server, database failover).

django-tasks has no retries of its own; :func:`retrying_task` makes a task that, when it raises
one of ``retry_on``, enqueues itself again with ``run_after`` set ``backoff``, 2×``backoff``,
4×``backoff``… later, up to ``attempts`` tries, and then fails. The failed attempt is kept as a
failed task result (with its traceback); a scheduled job's run follows the new attempt. Any other
exception fails at once (a broken audit chain is no reason to try again).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks.base import Task

from arbo.operations import domain

logger = logging.getLogger(__name__)

#: What is worth trying again: the database or the mail server away for a while.
TRANSIENT: tuple[type[BaseException], ...] = (
    DatabaseError,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
)


def retrying_task(
    *,
    attempts: int = 5,
    backoff: dt.timedelta = dt.timedelta(seconds=30),
    retry_on: tuple[type[BaseException], ...] = TRANSIENT,
    **task_options: Any,
) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    def decorate(func: Callable[..., Any]) -> Task[Any, Any]:
        @functools.wraps(func)
        def run(context: TaskContext, *args: Any, _attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except retry_on as exc:
                if _attempt >= attempts:
                    raise
                delay = backoff * 2 ** (_attempt - 1)
                current = context.task_result
                again = current.task.using(run_after=timezone.now() + delay).enqueue(
                    *args, _attempt=_attempt + 1, **kwargs
                )
                domain.move_run_to(str(current.id), str(again.id))
                logger.warning(
                    "task failed, retrying",
                    extra={
                        "task": current.task.name,
                        "attempt": _attempt,
                        "retry_in_s": delay.total_seconds(),
                        "error": type(exc).__name__,
                    },
                )
                raise

        # The task's signature is run's own (context first), not the wrapped function's.
        del run.__wrapped__  # type: ignore[attr-defined]
        return task(takes_context=True, **task_options)(run)

    return decorate
