"""A worker asked to stop (SIGTERM, SIGINT) hands its task back instead of failing it.

``manage.py worker`` (:mod:`arbo.operations.management.commands.worker`) calls :func:`request` on
the first signal: it claims nothing more, and a long task stops at its next :func:`checkpoint`
(the roster tasks check between batches of rows). A second signal interrupts the task wherever it
is. Either way :class:`WorkerStopping` unwinds the task's transaction (nothing it wrote is kept),
the worker puts the task back in the queue and exits, and the next worker runs it from the start:
tasks are idempotent and write in one transaction, so each row is written once.

:class:`WorkerStopping` is a ``BaseException``, like ``KeyboardInterrupt``: a task's ``except
Exception`` (which marks a roster batch failed) must not take a stop for an error.
"""

from __future__ import annotations

import threading


class WorkerStopping(BaseException):
    """The worker is stopping: unwind the task; it goes back to the queue."""


_requested = threading.Event()


def request() -> None:
    """Ask the running task to stop at its next checkpoint."""
    _requested.set()


def requested() -> bool:
    return _requested.is_set()


def clear() -> None:
    """For tests, and for a worker that starts again in the same process."""
    _requested.clear()


def checkpoint() -> None:
    """Raise :class:`WorkerStopping` if the worker was asked to stop; call it where stopping is safe."""
    if _requested.is_set():
        raise WorkerStopping
