"""The periodic jobs, in one place, with their times.

``manage.py scheduler`` (see :func:`arbo.operations.domain.enqueue_due`) enqueues each job once per
period; the workers (``manage.py worker``) run them. A job is the dotted path of a task that takes
no arguments, may run twice without harm (idempotent) and returns a small dict without personal
data, which is kept with its :class:`~arbo.operations.models.JobRun`.

Times are local (``TIME_ZONE``, Europe/Amsterdam): a daily job ``at=timedelta(hours=6)`` is due at
06:00 every day, an hourly job ``at=timedelta(minutes=5)`` at five past every hour. After a pause
(all schedulers down) only the latest missed run of each job is made up, once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    #: Dotted path of the task (``arbo.absence.tasks.raise_signals``).
    task: str
    #: The period: a whole number of minutes that divides a day, or one day.
    every: dt.timedelta
    #: When in the period the job is due (from local midnight for daily jobs).
    at: dt.timedelta = dt.timedelta(0)
    #: How long after its due time a run may be missing before the job counts as unhealthy;
    #: by default the period plus two hours (a daily job: 26 hours).
    grace: dt.timedelta | None = None

    def __post_init__(self) -> None:
        if self.every <= dt.timedelta(0) or DAY % self.every or not dt.timedelta(0) <= self.at < self.every:
            raise ValueError(f"job {self.name}: every must divide a day and 0 <= at < every")

    @property
    def allowed_delay(self) -> dt.timedelta:
        return self.grace if self.grace is not None else self.every + 2 * HOUR

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The due time of the latest period that has begun at ``now`` (an aware datetime)."""
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        since = local.replace(tzinfo=None) - midnight.replace(tzinfo=None) - self.at
        periods = since // self.every  # negative before the first due time of the day
        naive = midnight.replace(tzinfo=None) + self.at + periods * self.every
        return timezone.make_aware(naive)


JOBS: list[Job] = [
    # Leavers lose their access right after midnight.
    Job("end_leavers", "arbo.identity.tasks.end_leavers", every=DAY, at=dt.timedelta(minutes=15)),
    Job("raise_signals", "arbo.absence.tasks.raise_signals", every=DAY, at=dt.timedelta(hours=6)),
    Job("record_audit_head", "arbo.audit.tasks.record_audit_head", every=HOUR, at=dt.timedelta(minutes=5)),
    Job("verify_audit", "arbo.audit.tasks.verify_audit", every=DAY, at=dt.timedelta(hours=3)),
    # A bulk writer's audit rows are chained after its commit; this catches what a dead one left.
    Job("sequence_audit", "arbo.audit.tasks.sequence_audit", every=5 * MINUTE, grace=10 * MINUTE),
    Job(
        "prune_task_results", "arbo.operations.tasks.prune_task_results", every=DAY, at=dt.timedelta(hours=4)
    ),
    # The privacy office (arbo/privacy/reminders.py): the 72-hour clock needs an hourly look.
    Job(
        "raise_breach_signals",
        "arbo.privacy.tasks.raise_breach_signals",
        every=HOUR,
        at=dt.timedelta(minutes=10),
    ),
    Job(
        "raise_complaint_signals",
        "arbo.privacy.tasks.raise_complaint_signals",
        every=DAY,
        at=dt.timedelta(hours=6, minutes=30),
    ),
    # Data-subject requests (arbo/privacy/rights): the one-month clock. Their two-year term is the
    # retention purge's kind ``rights_request`` (arbo/privacy/rights/retention.py).
    Job(
        "raise_rights_signals",
        "arbo.privacy.tasks.raise_rights_signals",
        every=DAY,
        at=dt.timedelta(hours=6, minutes=35),
    ),
    # The employer dashboards' figures, computed ahead after midnight (issue 17).
    Job(
        "refresh_report_rollups",
        "arbo.reporting.tasks.refresh_report_rollups",
        every=DAY,
        at=dt.timedelta(hours=1, minutes=30),
    ),
    # Retention (issue 14): destroy what the schedule says is due, before the audit check at 03:00.
    Job("purge_due", "arbo.retention.tasks.purge_due", every=DAY, at=dt.timedelta(hours=2)),
    # Proves a worker takes work from the queue; /readyz reads its age and its wait (queue lag).
    Job("queue_probe", "arbo.operations.tasks.queue_probe", every=MINUTE, grace=10 * MINUTE),
]


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)
