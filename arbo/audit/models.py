from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One NEN 7513 log record. Append-only: code never updates or deletes a row.

    ``subject`` is the person whose data was touched (an employee or applicant id, kept as a plain
    integer so that the log outlives the row it points at). ``category`` is the data category
    (A/B/C/D) the action touched.

    Rows form a hash chain (:mod:`arbo.audit.chain`): ``seq`` is the position in the chain (1, 2,
    3, ... without gaps), ``prev_hash`` the ``hash`` of the row before it (32 zero bytes for the
    first row), and ``hash`` the keyed HMAC-SHA256 over the row's canonical form, which includes
    ``prev_hash``. ``id`` is only the database key and is not part of the chain. A bulk writer's
    rows are inserted *pending* (``seq`` NULL, ``prev_hash`` empty, a provisional seal in ``hash``)
    and chained right after their transaction commits.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("aanmaken")
        READ = "read", _("inzien")
        UPDATE = "update", _("wijzigen")
        DELETE = "delete", _("verwijderen")
        EXPORT = "export", _("exporteren")
        PRINT = "print", _("afdrukken")
        LOGIN = "login", _("inloggen")
        LOGOUT = "logout", _("uitloggen")
        EXECUTE = "execute", _("uitvoeren")

    class Basis(models.TextChoices):
        AUTHORISATION = "authorisation", _("autorisatie")
        TREATMENT = "treatment", _("behandelrelatie")
        CONSENT = "consent", _("toestemming")
        EMERGENCY = "emergency", _("noodtoegang")
        SELF = "self", _("eigen gegevens")
        SYSTEM = "system", _("systeem")
        #: A quality visitation: a visiting doctor reads a sample of a colleague's files (seed 002).
        VISITATION = "visitation", _("visitatie")

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("toegestaan")
        DENIED = "denied", _("geweigerd")

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    actor_functions = models.CharField(max_length=300, blank=True)
    on_behalf_of = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    event = models.CharField(max_length=80)
    subject_kind = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    category = models.CharField(max_length=4, blank=True)  # one or more of "ABCD"
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    basis = models.CharField(max_length=16, choices=Basis.choices, default=Basis.AUTHORISATION)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    data = models.JSONField(default=dict, blank=True)
    # NULL while pending: inserted by a bulk writer and not yet chained (arbo.audit.chain).
    seq = models.BigIntegerField(unique=True, null=True, editable=False)
    prev_hash = models.BinaryField(max_length=32, editable=False)
    hash = models.BinaryField(max_length=32, editable=False)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_kind", "subject_id", "occurred_at"]),
            # The sequencer's queue: the few rows not chained yet.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.event}"


class AuditChainState(models.Model):
    """The end of the chain: one row (``pk=1``), locked by every append so the chain stays linear.

    It also tells ``verify_audit`` where the chain should end: a log that stops before
    ``last_seq`` lost its tail.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.BinaryField(max_length=32, default=bytes(32))

    def __str__(self) -> str:
        return f"audit chain at seq {self.last_seq}"


class AuditChainHead(models.Model):
    """A chain position written down for later comparison: the hash of row ``seq`` at ``recorded_at``.

    ``head`` rows are recorded every :data:`arbo.audit.chain.HEAD_INTERVAL` appends and by
    ``manage.py record_audit_head``; they reveal a truncated tail even when the chain state was
    reset too. A ``purge`` row is the anchor of a retention purge: the last deleted row, whose hash
    the first remaining row must carry as ``prev_hash``.
    """

    class Kind(models.TextChoices):
        HEAD = "head", _("kop")
        PURGE = "purge", _("opschoning")

    seq = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.HEAD)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["seq", "id"]
        indexes = [models.Index(fields=["kind", "seq"])]

    def __str__(self) -> str:
        return f"{self.kind} at seq {self.seq}: {bytes(self.hash).hex()}"


class AuditCheckpoint(models.Model):
    """A position that a verification reached with the chain intact: ``seq`` and that row's hash.

    The nightly ``verify_audit`` job starts from the last one (:func:`arbo.audit.verify.verify_incremental`),
    so its cost grows with the rows appended since, not with the whole log.
    """

    seq = models.BigIntegerField(unique=True)
    hash = models.BinaryField(max_length=32)
    #: Rows checked by the verification that recorded it.
    rows = models.BigIntegerField(default=0)
    verified_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"checkpoint at seq {self.seq}: {bytes(self.hash).hex()}"
