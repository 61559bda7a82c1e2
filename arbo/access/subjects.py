"""Who reads a person's subject records, and the audit of that read (``arbo.lib.subject``).

Every app's ``subject_records(employee, *, reader)`` asks :func:`subject_categories` which
categories it may return and calls :func:`audit_subject_read` once. ``reader=None`` is the package
*for the data subject* (the access request): every category, recorded with basis "eigen gegevens".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from arbo.access.auditing import record_access
from arbo.access.matrix import Category
from arbo.access.policy import can_read_exam_results, is_employee_user, readable_categories
from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.subject import SubjectRecord, record_from_row
from arbo.registry.models import Applicant, Employee

ALL_CATEGORIES = frozenset(c.value for c in Category)


def is_subject(reader: User | None, employee: Employee) -> bool:
    """Is the package for the person themself (no reader, or the person's own account)?"""
    return reader is None or (is_employee_user(reader) and employee.user_id == reader.pk)


def subject_categories(reader: User | None, employee: Employee) -> frozenset[str]:
    if is_subject(reader, employee):
        return ALL_CATEGORIES
    assert reader is not None
    return readable_categories(reader, employee)


def may_open_medical(reader: User | None, employee: Employee) -> bool:
    return Category.C in subject_categories(reader, employee)


def audit_subject_read(
    reader: User | None, source: str, employee: Employee, records: list[Any], *, purpose: str = ""
) -> None:
    """One READ record per app and package: which categories, how many records (never content)."""
    if not records:
        return
    own = reader is None or is_subject(reader, employee)
    record_access(
        reader,
        log.Action.READ,
        f"{source}.subject_records_read",
        employee,
        category="".join(sorted({r.category for r in records})),
        basis=log.Basis.SELF if own else None,
        data={"count": len(records), **({"purpose": purpose} if purpose else {})},
    )


@dataclass(frozen=True)
class Rows:
    """One kind of row of a person for :func:`collect`: the rows, where their date is, what to skip."""

    queryset: QuerySet[Any]
    created: str = "created_at"
    #: The attribute holding the row's own category (classified ``row``), if any.
    row_category: str = ""
    skip: tuple[str, ...] = ("employee",)
    title: Callable[[Any], str] | None = None


def collect(
    source: str,
    employee: Employee,
    reader: User | None,
    rows: Iterable[Rows],
    *,
    classification: Mapping[str, Mapping[str, str]],
    open_text: Callable[[str], str | None] | None = None,
    open_file: Callable[[bytes], bytes | None] | None = None,
    labels: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[SubjectRecord]:
    """The records of ``rows`` that ``reader`` may read (``None``: the data subject), audited once.

    Medical values (``*_encrypted``) are opened only when the reader may read category C or the
    package is the person's own; otherwise the decrypters are dropped.
    """
    categories = subject_categories(reader, employee)
    if Category.C not in categories and not is_subject(reader, employee):
        open_text = open_file = None
    records: list[SubjectRecord] = []
    for spec in rows:
        for row in spec.queryset:
            record = _record(source, row, spec, categories, classification, open_text, open_file, labels)
            if record is not None:
                records.append(record)
    audit_subject_read(reader, source, employee, records)
    return records


def _record(
    source: str,
    row: Model,
    spec: Rows,
    categories: frozenset[str],
    classification: Mapping[str, Mapping[str, str]],
    open_text: Callable[[str], str | None] | None,
    open_file: Callable[[bytes], bytes | None] | None,
    labels: Mapping[str, Mapping[str, Any]] | None = None,
) -> SubjectRecord | None:
    return record_from_row(
        source,
        row,
        classification=classification[row._meta.label_lower],
        categories=categories,
        open_text=open_text,
        open_file=open_file,
        title=spec.title(row) if spec.title else "",
        created=getattr(row, spec.created, None) if spec.created else None,
        skip=spec.skip,
        row_category=getattr(row, spec.row_category) if spec.row_category else "",
        labels=(labels or {}).get(row._meta.label_lower),
    )


# --- Applicants (``arbo.lib.subject.applicant_sources``) -----------------------------------------


def may_read_applicant(reader: User | None, applicant: Applicant) -> bool:
    """An applicant's records are read for the applicant (``None``: the access package, which
    staff hand over by post) or by a doctor who may read the exam results (the examining doctor
    reviewing the medical part); nobody else reads them whole."""
    return reader is None or can_read_exam_results(reader, applicant)


def collect_applicant(
    source: str,
    applicant: Applicant,
    reader: User | None,
    rows: Iterable[Rows],
    *,
    classification: Mapping[str, Mapping[str, str]],
    open_text: Callable[[str], str | None] | None = None,
    labels: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[SubjectRecord]:
    """:func:`collect` for an applicant: every category, for the applicant or a doctor of
    :func:`may_read_applicant` (anyone else gets nothing); one audit record per app."""
    if not may_read_applicant(reader, applicant):
        return []
    records: list[SubjectRecord] = []
    for spec in rows:
        for row in spec.queryset:
            record = _record(source, row, spec, ALL_CATEGORIES, classification, open_text, None, labels)
            if record is not None:
                records.append(record)
    if records:
        record_access(
            reader,
            log.Action.READ,
            f"{source}.subject_records_read",
            applicant,
            category="".join(sorted({r.category for r in records})),
            basis=log.Basis.SELF if reader is None else log.Basis.AUTHORISATION,
            data={"count": len(records)},
        )
    return records
