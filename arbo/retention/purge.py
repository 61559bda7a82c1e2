"""The daily purge: everything the schedule says is due, destroyed in short batches.

:func:`run` goes through the schedule's kinds (:data:`arbo.retention.kinds.KINDS`), then the
people with nothing left, then the audit log's oldest end. Each batch is one transaction that
claims its records with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has one writer at
a time anyway), registers them outside the database, destroys them and writes the purge log; one
audit record follows in its own short transaction once the batch has committed. So:

- **idempotent**: what went is gone; a second run finds nothing more;
- **resumable**: a run killed mid-batch rolls that batch back, and the next run takes it again;
- **safe with two workers**: a record locked by one batch is skipped by the other, and each is
  destroyed (and logged) once;
- **short locks**: a batch holds row locks only on its own records (which no page is reading under
  a lock) and never the audit chain's lock, which its audit record takes afterwards like any page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from arbo.access.policy import exclude_restricted
from arbo.audit.models import AuditEvent
from arbo.audit.retention import purge_audit_before
from arbo.prevention.models import PreEmploymentExam
from arbo.registry.models import Applicant, Employee, Employer, Employment
from arbo.retention import destroy
from arbo.retention.kinds import KINDS, applicant_kept, cutoff, medical_models
from arbo.retention.models import LegalHold, RetentionRule
from arbo.retention.terms import Term

#: Records per batch (one transaction): 5,000 keeps a batch well under a second (bench/purge_bench.py).
BATCH = 5000
PEOPLE_BATCH = 100
AUDIT_BATCH = 5000


def terms() -> dict[str, Term]:
    return {rule.kind: Term.of(rule) for rule in RetentionRule.objects.all()}


def _claim(queryset: QuerySet, size: int) -> list[int]:
    queryset = queryset.order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return list(queryset.values_list("pk", flat=True)[:size])


def purge_kind(kind: str, term: Term, day: dt.date, *, batch: int = BATCH, limit: int | None = None) -> int:
    """Destroy every record of ``kind`` due on ``day`` (at most ``limit``, when given: a bounded
    run, which the benchmark interleaves with quiet windows); returns how many records went."""
    spec = KINDS[kind]
    total = 0
    after = 0  # keyset: each claim starts past the last, not over the dead rows of earlier batches
    while limit is None or total < limit:
        size = batch if limit is None else min(batch, limit - total)
        with transaction.atomic():
            pks = _claim(spec.due(term, day).filter(pk__gt=after), size)
            if not pks:
                return total
            destroyed = spec.destroy(pks)
            destroy._log(
                kind, term.describe(), destroyed, by=None, event="retention.purged", audit_after_commit=True
            )
        total += destroyed.records
        after = pks[-1]
    return total


def _standing_hold(holder: str) -> Exists:
    return Exists(LegalHold.objects.filter(lifted_at__isnull=True, **{f"{holder}_id": OuterRef("pk")}))


def people_done(day: dt.date, all_terms: dict[str, Term]) -> QuerySet:
    """Employees with nothing left to keep: every employment ended at least the WvP term ago, no
    record of any kind left, no standing hold. Then the person goes too."""

    wvp = all_terms.get("wvp_file")
    if wvp is None:
        return Employee.objects.none()
    limit = cutoff(wvp, day)
    employments = Employment.objects.filter(employee_id=OuterRef("pk"))
    people = Employee.objects.filter(Exists(employments)).exclude(
        Exists(employments.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=limit)))
    )
    kept = {apps_model for apps_model in _employee_record_models()}
    for model in kept:
        people = people.exclude(Exists(model._base_manager.filter(employee_id=OuterRef("pk"))))
    return exclude_restricted(people.exclude(_standing_hold("employee")))  # AVG art. 18: kept as is


def _employee_record_models() -> list[Any]:

    models = [apps.get_model(spec.model) for spec in KINDS.values() if spec.holder == "employee"]
    return [m for m in {*models, *medical_models()} if m._meta.label_lower != "medical.datakey"]


def applicants_done(day: dt.date, all_terms: dict[str, Term]) -> QuerySet:
    """Applicants without an exam left, registered at least the exam term ago, no standing hold."""

    term = all_terms.get("pre_employment_exam")
    if term is None:
        return Applicant.objects.none()
    return (
        Applicant.objects.filter(created_at__date__lte=cutoff(term, day))
        .exclude(Exists(PreEmploymentExam.objects.filter(applicant_id=OuterRef("pk"))))
        .exclude(applicant_kept())
        .exclude(_standing_hold("applicant"))
    )


def purge_people(day: dt.date, all_terms: dict[str, Term], *, batch: int = PEOPLE_BATCH) -> int:
    erased = 0
    for find, erase in ((people_done, destroy.erase_employees), (applicants_done, destroy.erase_applicants)):
        while True:
            with transaction.atomic():
                pks = _claim(find(day, all_terms), batch)
                if not pks:
                    break
                erase(pks, rule="retention: nothing left to keep")
            erased += len(pks)
    return erased


def purge_audit(term: Term, day: dt.date, *, batch: int = AUDIT_BATCH) -> int:
    """The audit log from its oldest end, in steps (each step holds the chain's lock briefly)."""

    bound = timezone.make_aware(dt.datetime.combine(cutoff(term, day) + dt.timedelta(days=1), dt.time()))
    deleted = 0
    # Only rows that exist now: each step appends its own record of the purge.
    chained = AuditEvent.objects.exclude(seq=None)  # not the rows a bulk writer left to chain yet
    last = chained.order_by("-seq").values_list("seq", flat=True).first()
    while last is not None:
        oldest = chained.order_by("seq").values_list("seq", "occurred_at").first()
        if oldest is None or oldest[0] is None or oldest[1] >= bound or oldest[0] >= last:
            return deleted
        kept = (
            AuditEvent.objects.filter(seq__gt=oldest[0], seq__lte=last, occurred_at__gte=bound)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        deleted += purge_audit_before(min(oldest[0] + batch, kept if kept is not None else last))
    return deleted


def run(day: dt.date | None = None, *, batch: int = BATCH) -> dict[str, int]:
    """The nightly purge. Returns counts per kind (no personal data)."""
    day = day or timezone.localdate()
    all_terms = terms()
    result: dict[str, int] = {}
    for kind in KINDS:
        if kind in all_terms:
            result[kind] = purge_kind(kind, all_terms[kind], day, batch=batch)
    result["people"] = purge_people(day, all_terms)
    if "audit_log" in all_terms:
        result["audit_log"] = purge_audit(all_terms["audit_log"], day)
    return result


def dry_run(day: dt.date | None = None, *, days: int = 30) -> list[dict[str, Any]]:
    """What the purge would destroy by ``day + days``: per kind and employer, counts only."""

    day = day or timezone.localdate()
    until = day + dt.timedelta(days=days)
    all_terms = terms()
    rows: list[dict[str, Any]] = []
    for kind, spec in KINDS.items():
        if kind not in all_terms or spec.employer is None:
            continue
        due = spec.due(all_terms[kind], until)
        employer = F(spec.employer) if isinstance(spec.employer, str) else spec.employer
        counts = due.annotate(employer_ref=employer).values("employer_ref").annotate(n=Count("pk")).order_by()
        for row in counts:
            rows.append({"kind": kind, "employer_id": row["employer_ref"], "count": row["n"]})
    names = dict(Employer.objects.filter(pk__in={r["employer_id"] for r in rows}).values_list("pk", "name"))
    for row in rows:
        row["employer"] = names.get(row["employer_id"], "")
    return sorted(rows, key=lambda r: (r["kind"], r["employer"]))
