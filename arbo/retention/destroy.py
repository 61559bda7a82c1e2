"""The destruction primitives: the one way rows, files and keys of personal data are destroyed.

The retention purge (:mod:`arbo.retention.purge`) and the erasure of a rights request call these.
Each primitive, inside the caller's transaction:

1. appends its line(s) to the register outside the database (:mod:`arbo.retention.register`),
   so that a restored backup destroys the same again;
2. destroys: rows deleted together with every row that refers to them (uploaded files are sealed
   blobs in those rows, so they go with them); medical and applicant content crypto-shredded by
   destroying the person's data key (``arbo.medical.keys.destroy_data_key``,
   ``arbo.prevention.keys.destroy_applicant_key``), which reaches every copy, backups included;
3. writes the purge log (:class:`~arbo.retention.models.PurgeLog`: pseudonyms and counts only)
   and one audit record, last, so the audit chain's lock is held only until the commit.

Interface (see ``docs/architecture.md``, "Retention and destruction"):

- :func:`delete_rows` — rows of a model and everything referring to them; no log (building block).
- :func:`arbo.retention.kinds.destroy_records` — records of one kind, logged and registered.
- :func:`destroy_employee_key` / :func:`destroy_applicant_key` — crypto-shredding, registered.
- :func:`erase_employee` / :func:`erase_applicant` — the whole person, from every table.
- :func:`erase_records` — part of a person's records (an erasure request), registered and logged.
- :func:`replay_since` — re-apply the register's lines after a restore.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from arbo.audit import log
from arbo.identity.models import User
from arbo.medical.models import DataKey
from arbo.prevention.models import ApplicantDataKey
from arbo.registry.models import Applicant, Employee
from arbo.retention import register
from arbo.retention.models import PurgeLog

#: Tables the walker never enters: the append-only audit log is purged on its own term, from its
#: oldest end (``arbo.audit.retention``); the purge log holds pseudonyms only.
NEVER_WALKED = frozenset({"audit.auditevent", "retention.purgelog"})


@dataclass
class Destroyed:
    """What one call destroyed: counts only."""

    records: int = 0
    rows: int = 0
    keys: int = 0
    #: pseudonym -> records, for the purge log.
    subjects: Counter[str] = field(default_factory=Counter)

    def add(self, other: Destroyed) -> None:
        self.records += other.records
        self.rows += other.rows
        self.keys += other.keys
        self.subjects.update(other.subjects)


def _reverse_relations(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        and isinstance(f.related_model, type)
        and issubclass(f.related_model, models.Model)
        and f.related_model._meta.label_lower not in NEVER_WALKED
    ]


def among(queryset: QuerySet, field: str, ids: Iterable[Any]) -> QuerySet:
    """``queryset.filter(<field>__in=ids)``, as ``= ANY(array)`` on PostgreSQL: one parameter
    instead of one per id (psycopg spends milliseconds binding a thousand of them)."""
    ids = list(ids)
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": ids})
    meta = queryset.model._meta
    column = meta.pk.column if field == "pk" else meta.get_field(field).column
    return queryset.extra(where=[f'"{meta.db_table}"."{column}" = ANY(%s)'], params=[ids])  # noqa: S610 - names from _meta


def delete_rows(model: type[models.Model], pks: Iterable[Any]) -> int:
    """Delete these rows and, first, every row that refers to them (whatever its ``on_delete``:
    a record that goes takes its details with it); ``SET_NULL`` references are cleared.
    Returns how many rows went. Neither registers nor logs: callers do (:func:`destroy_records`)."""
    pks = list(pks)
    if not pks:
        return 0
    deleted = 0
    for relation in _reverse_relations(model):
        related, name = relation.related_model, relation.field.name
        referring = among(related._base_manager.all(), name, pks)
        if relation.on_delete is models.SET_NULL:
            referring.update(**{name: None})
        elif relation.on_delete is not models.DO_NOTHING:
            deleted += delete_rows(related, referring.values_list("pk", flat=True))
    manager = model._base_manager
    return deleted + among(manager.all(), "pk", pks)._raw_delete(manager.db)


def _log(
    kind: str, rule: str, destroyed: Destroyed, *, by: Any, event: str, audit_after_commit: bool = False
) -> None:
    """The purge log row (in the caller's transaction) and the audit record. With
    ``audit_after_commit`` (the nightly purge) the audit record is written in its own short
    transaction right after the batch commits, so the batch never holds the audit chain's lock
    that every page read waits on while its own commit flushes; the purge log row, committed with
    the destruction, is the record should the process die in between."""
    now = timezone.now()
    PurgeLog.objects.create(
        day=timezone.localdate(now),
        kind=kind,
        rule=rule[:120],
        records=destroyed.records,
        rows=destroyed.rows,
        keys_destroyed=destroyed.keys,
        subjects={subject: count for subject, count in sorted(destroyed.subjects.items()) if subject},
        at=now,
    )
    data = {
        "kind": kind,
        "rule": rule[:120],
        "records": destroyed.records,
        "rows": destroyed.rows,
        "keys": destroyed.keys,
        "subjects": len(destroyed.subjects),
    }
    basis = log.Basis.SYSTEM if by is None else log.Basis.AUTHORISATION

    def audit() -> None:
        with transaction.atomic():
            log.record(by, log.Action.DELETE, event, basis=basis, data=data)

    if audit_after_commit:
        transaction.on_commit(audit)
    else:
        # Last: the audit chain's lock is held from here to the commit only.
        log.record(by, log.Action.DELETE, event, basis=basis, data=data)


def destroy_employee_key(employee_id: int) -> int:
    """Crypto-shred an employee's medical file (every ``*_encrypted`` value and sealed file under
    the person's data key). Registered before it happens. Returns 1 if a live key went."""

    register.append(
        [{"op": "key", "holder": "employee", "subject": register.pseudonym("employee", employee_id)}]
    )
    return (
        DataKey.objects.filter(employee_id=employee_id)
        .exclude(wrapped_key="")
        .update(wrapped_key="", destroyed_at=timezone.now())
    )


def destroy_applicant_key(applicant_id: int) -> int:
    """Crypto-shred an applicant's exam results (the applicant's own data key)."""

    register.append(
        [{"op": "key", "holder": "applicant", "subject": register.pseudonym("applicant", applicant_id)}]
    )
    return (
        ApplicantDataKey.objects.filter(applicant_id=applicant_id)
        .exclude(wrapped_key="")
        .update(wrapped_key="", destroyed_at=timezone.now())
    )


def _forget_account(user_id: int, subject: str) -> int:
    """The person's login account: its own rows (sessions, second factors, letters) go; the row
    itself stays because audit records name their actor, but it keeps no name, address or login."""

    rows = 0
    for relation in _reverse_relations(User):
        if relation.on_delete is models.CASCADE:
            referring = relation.related_model._base_manager.filter(**{relation.field.name: user_id})
            rows += delete_rows(relation.related_model, referring.values_list("pk", flat=True))
    User.objects.filter(pk=user_id).update(
        username=f"gewist-{subject[:24]}",
        first_name="",
        last_name="",
        email="",
        password=make_password(None),
        is_active=False,
        deactivated_at=timezone.now(),
    )
    return rows + 1


def _erase_employee_rows(employee_id: int) -> Destroyed:

    subject = register.pseudonym("employee", employee_id)
    user_id = Employee.objects.filter(pk=employee_id).values_list("user_id", flat=True).first()
    keys = (
        DataKey.objects.filter(employee_id=employee_id)
        .exclude(wrapped_key="")
        .update(wrapped_key="", destroyed_at=timezone.now())
    )
    rows = delete_rows(Employee, [employee_id])
    if user_id is not None:
        rows += _forget_account(user_id, subject)
    return Destroyed(records=1, rows=rows, keys=keys, subjects=Counter({subject: 1}))


def _erase_applicant_rows(applicant_id: int) -> Destroyed:

    keys = (
        ApplicantDataKey.objects.filter(applicant_id=applicant_id)
        .exclude(wrapped_key="")
        .update(wrapped_key="", destroyed_at=timezone.now())
    )
    rows = delete_rows(Applicant, [applicant_id])
    return Destroyed(
        records=1, rows=rows, keys=keys, subjects=Counter({register.pseudonym("applicant", applicant_id): 1})
    )


def _erase_people(
    holder: str, ids: list[int], erase_rows: Any, log_kind: str, *, rule: str, by: Any
) -> Destroyed:
    """Whole people of one kind (``employee`` or ``applicant``): the register says their key and
    their rows are gone before the rows go, then one log line and one audit record for the lot."""
    destroyed = Destroyed()
    if not ids:
        return destroyed
    with transaction.atomic():
        lines: list[dict[str, Any]] = []
        for pk in ids:
            subject = register.pseudonym(holder, pk)
            lines += [
                {"op": "key", "holder": holder, "subject": subject},
                {"op": "subject", "holder": holder, "subject": subject},
            ]
        register.append(lines)
        for pk in ids:
            destroyed.add(erase_rows(pk))
        _log(log_kind, rule, destroyed, by=by, event="retention.person_erased")
    return destroyed


def erase_employees(employee_ids: Iterable[int], *, rule: str = "erasure", by: Any = None) -> Destroyed:
    """Whole people: each one's data key destroyed, every row about them deleted (the employee
    and all that refers to the employee, in every app), the login account emptied. Registered,
    logged, audited (one record). What stays: the purge log (pseudonyms) and the audit log until
    its own term."""
    return _erase_people(
        "employee", sorted(set(employee_ids)), _erase_employee_rows, "person", rule=rule, by=by
    )


def erase_employee(employee_id: int, *, rule: str = "erasure", by: Any = None) -> Destroyed:
    """One whole person (see :func:`erase_employees`); an erasure request calls this."""
    return erase_employees([employee_id], rule=rule, by=by)


def erase_applicants(applicant_ids: Iterable[int], *, rule: str = "erasure", by: Any = None) -> Destroyed:
    """Whole applicants: data key destroyed, the applicant and every exam deleted."""
    return _erase_people(
        "applicant", sorted(set(applicant_ids)), _erase_applicant_rows, "applicant", rule=rule, by=by
    )


def erase_applicant(applicant_id: int, *, rule: str = "erasure", by: Any = None) -> Destroyed:
    return erase_applicants([applicant_id], rule=rule, by=by)


def erase_records(
    employee_id: int,
    querysets: Iterable[QuerySet],
    *,
    shred_key: bool,
    rule: str = "erasure",
    by: Any = None,
    holder: str = "employee",
) -> Destroyed:
    """Part of one person's records (an erasure request where other records must stay): these
    rows registered first, then deleted with every row that refers to them; the person's data key
    destroyed too when ``shred_key`` (nothing sealed with it is kept). One purge log line (kind
    ``erasure``, the person's pseudonym) and one audit record. The whole person:
    :func:`erase_employee`. ``holder`` ``applicant``: ``employee_id`` is an applicant's id and
    the key is the applicant's data key."""
    subject = register.pseudonym(holder, employee_id)
    destroyed = Destroyed(subjects=Counter({subject: 1}))
    with transaction.atomic():
        batches = [(qs.model, list(qs.values_list("pk", flat=True))) for qs in querysets]
        batches = [(model, pks) for model, pks in batches if pks]
        lines: list[dict[str, Any]] = [
            {"op": "rows", "kind": "erasure", "model": model._meta.label_lower, "pks": pks}
            for model, pks in batches
        ]
        if shred_key:
            lines.append({"op": "key", "holder": holder, "subject": subject})
        register.append(lines)
        for model, pks in batches:
            destroyed.records += len(pks)
            destroyed.rows += delete_rows(model, pks)
        if shred_key:
            keys = (
                ApplicantDataKey.objects.filter(applicant_id=employee_id)
                if holder == "applicant"
                else DataKey.objects.filter(employee_id=employee_id)
            )
            destroyed.keys += keys.exclude(wrapped_key="").update(wrapped_key="", destroyed_at=timezone.now())
        _log("erasure", rule, destroyed, by=by, event="retention.records_erased")
    return destroyed


def _holders(holder: str, wanted: set[str]) -> list[int]:
    """The ids in this database whose pseudonym is wanted (computed for every person: no lookup
    by pseudonym exists, by design)."""
    model = apps.get_model("registry", holder)
    return [
        pk
        for pk in model.objects.values_list("pk", flat=True).iterator()
        if register.pseudonym(holder, pk) in wanted
    ]


def replay_since(since: dt.datetime) -> int:
    """In ``DESTRUCTION_REPLAYERS``: make again every destruction registered from ``since`` (the
    backup's time, minus :data:`register.REPLAY_MARGIN`). Idempotent; returns the lines applied."""
    return replay(list(register.entries(since - register.REPLAY_MARGIN)))


def replay(lines: list[dict[str, Any]]) -> int:
    """Re-apply register lines in a restored database (idempotent); returns how many applied."""

    wanted: dict[tuple[str, str], set[str]] = {}
    applied = 0
    with transaction.atomic():
        for line in lines:
            if line["op"] == "rows":
                delete_rows(apps.get_model(line["model"]), line["pks"])
                applied += 1
            elif line["op"] in {"key", "subject"}:
                wanted.setdefault((line["op"], line["holder"]), set()).add(line["subject"])
                applied += 1
        now = timezone.now()
        for (op, holder), subjects in sorted(wanted.items(), key=lambda item: item[0][0]):  # keys first
            ids = _holders(holder, subjects)
            if op == "key" and holder == "employee":
                DataKey.objects.filter(employee_id__in=ids).update(wrapped_key="", destroyed_at=now)
            elif op == "key":
                ApplicantDataKey.objects.filter(applicant_id__in=ids).update(wrapped_key="", destroyed_at=now)
            else:
                for pk in ids:
                    (_erase_employee_rows if holder == "employee" else _erase_applicant_rows)(pk)
    return applied
