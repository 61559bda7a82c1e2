"""Operations: one row per scheduled run (the key that makes a run happen once across machines)
and the heartbeats of the worker and scheduler processes. No personal data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """A scheduled job's run for one period (``slot``): created once, by whichever scheduler is
    first; the unique key makes every other scheduler's attempt a no-op."""

    class Status(models.TextChoices):
        ENQUEUED = "enqueued", _("in de wachtrij")
        SUCCEEDED = "succeeded", _("geslaagd")
        FAILED = "failed", _("mislukt")

    job = models.CharField(_("taak"), max_length=100)
    slot = models.DateTimeField(_("gepland voor"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENQUEUED)
    #: The queued task that runs it (the latest attempt's, after a retry).
    task_id = models.CharField(_("taak-id"), max_length=64, blank=True, db_index=True)
    enqueued_at = models.DateTimeField(_("in de wachtrij gezet op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    #: What the task returned (counts only, never personal data).
    result = models.JSONField(_("uitkomst"), null=True, blank=True)

    class Meta:
        verbose_name = _("geplande run")
        verbose_name_plural = _("geplande runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="operations_jobrun_once")]
        indexes = [models.Index(fields=["job", "status", "-finished_at"], name="operations_jobrun_last")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"


class Heartbeat(models.Model):
    """A worker or scheduler process says it is alive, every few seconds."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("worker")
        SCHEDULER = "scheduler", _("planner")

    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    ident = models.CharField(_("id"), max_length=64)
    host = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("proces"))
    started_at = models.DateTimeField(_("gestart op"))
    seen_at = models.DateTimeField(_("laatst gezien"))

    class Meta:
        verbose_name = _("hartslag")
        verbose_name_plural = _("hartslagen")
        constraints = [models.UniqueConstraint(fields=["kind", "ident"], name="operations_heartbeat_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ident} on {self.host}:{self.pid}"
