"""Receivers: a finished task updates its job run (in the worker's process)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from arbo.operations import domain


@receiver(task_finished)
def _task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    succeeded = task_result.status == TaskResultStatus.SUCCESSFUL
    domain.record_finished(
        str(task_result.id),
        succeeded=succeeded,
        result=task_result.return_value if succeeded else None,
        finished_at=task_result.finished_at,
    )
