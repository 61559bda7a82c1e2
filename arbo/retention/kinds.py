"""Per kind of record: where its records are, when one is due, and how it is destroyed.

A :class:`Kind` pairs a row of the schedule (:class:`~arbo.retention.models.RetentionRule`, by its
``kind``) with the records it governs. ``due(term, day)`` is a queryset of the records whose
destruction date (:func:`arbo.retention.terms.destroy_after`) is on or before ``day``, without those
under a legal hold, computed in SQL (one cutoff date per term: the terms are monotonic), so a purge
of millions of rows never loads them. ``destroy(pks)`` destroys records (registered first, see
:mod:`arbo.retention.destroy`) and returns the counts.

A self-insurer's file (``erd_zw``, ``erd_wga``) is an absence case marked as such
(``AbsenceCase.self_insurer_file``); the WvP term leaves those cases to their own, longer term.
Another app adds its kind with :func:`add_kind` (the rights requests: ``rights_request``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from arbo.absence.models import AbsenceCase
from arbo.access.policy import restricted_employee_ids
from arbo.medical.models import DataKey
from arbo.prevention.models import ExposureRecord, PreEmploymentExam
from arbo.registry.models import Applicant, Employment
from arbo.registry.models_roster import RosterImport
from arbo.retention import register
from arbo.retention.destroy import (
    Destroyed,
    _erase_applicant_rows,
    _log,
    among,
    delete_rows,
    destroy_employee_key,
)
from arbo.retention.models import LegalHold
from arbo.retention.terms import Term, add_months, destroy_after


def cutoff(term: Term, day: dt.date, *, persistent: bool = False) -> dt.date:
    """The latest event date whose record is due on ``day`` (the term is monotonic in it)."""
    years = term.years_if_persistent if persistent and term.years_if_persistent is not None else term.years
    plain = Term(kind=term.kind, runs_from="e", years=years, months=term.months, days=term.days)

    def goes(event: dt.date) -> dt.date:
        result = destroy_after(plain, {"e": event})
        assert result is not None
        return result

    candidate = add_months(day - dt.timedelta(days=term.days), -(12 * years + term.months))
    while goes(candidate + dt.timedelta(days=1)) <= day:
        candidate += dt.timedelta(days=1)
    while goes(candidate) > day:
        candidate -= dt.timedelta(days=1)
    return candidate


def age_cutoff(age: int, day: dt.date) -> dt.date:
    """The latest birth date of someone who has reached ``age`` on ``day``."""
    return cutoff(Term(kind="age", runs_from="birth_date", years=age), day)


#: Models of other apps whose rows keep an applicant: while one refers to the applicant
#: (``applicant`` foreign key), the purge does not erase the applicant whole (e.g. a rights
#: request, kept two years after handling). Added with :func:`keeps_applicant`.
APPLICANT_RECORDS: list[str] = []


def keeps_applicant(model: str) -> None:
    """Called once by an app whose ``model`` (``app_label.model``) refers to applicants."""
    if model not in APPLICANT_RECORDS:
        APPLICANT_RECORDS.append(model)


def applicant_kept(path: str = "pk") -> Any:
    """A filter: some row of :data:`APPLICANT_RECORDS` still refers to the applicant at ``path``."""
    found: Any = Q(pk__in=[])
    for label in APPLICANT_RECORDS:
        found |= Exists(apps.get_model(label)._base_manager.filter(applicant_id=OuterRef(path)))
    return found


def not_held(kind: str, holder: str, path: str) -> Any:
    """A filter: the record's person has no standing hold for this kind (or for all kinds), and
    no restriction of processing in force (AVG art. 18: the data is kept as it is, issue 13)."""
    holds = LegalHold.objects.filter(lifted_at__isnull=True).filter(Q(kind="") | Q(kind=kind))
    free: Any = ~Exists(holds.filter(**{f"{holder}_id": OuterRef(path)}))
    if holder == "employee":
        free &= ~Q(**{f"{path}__in": restricted_employee_ids()})
    return free


def latest_employer(path: str = "employee_id") -> Subquery:

    return Subquery(
        Employment.objects.filter(employee_id=OuterRef(path))
        .order_by("-starts_on", "-pk")
        .values("employer_id")[:1]
    )


def medical_models() -> list[type[models.Model]]:
    """The person's medical file: every medical model with an ``employee`` (the data key aside),
    and the periodic preventive exams (PMO), sealed with the same key."""
    found = [
        model
        for model in apps.get_app_config("medical").get_models()
        if model._meta.label_lower != "medical.datakey"
        and any(f.name == "employee" for f in model._meta.concrete_fields)
    ]
    return [*found, apps.get_model("prevention", "PeriodicExam")]


def _has_medical_rows(path: str) -> Any:
    found: Any = Q()
    for model in medical_models():
        found |= Exists(model._base_manager.filter(employee_id=OuterRef(path)))
    return found


@dataclass(frozen=True)
class Kind:
    kind: str
    model: str  # app label.model name
    holder: str  # "employee", "applicant", or "" (no person: roster uploads)
    holder_path: str  # the holder's id on the model ("employee_id")
    due: Callable[[Term, dt.date], QuerySet]
    destroy: Callable[[list[int]], Destroyed]
    #: The employer of a record, for the dry run (a path or an expression); None: no employer.
    employer: str | Subquery | None = None

    def subjects(self, pks: list[int]) -> Counter[str]:
        if not self.holder:
            return Counter({"": len(pks)})
        model = apps.get_model(self.model)
        holders = among(model._base_manager.all(), "pk", pks).values_list(self.holder_path, flat=True)
        return Counter(register.pseudonym(self.holder, pk) for pk in holders)


def destroy_rows(kind: Kind, pks: list[int]) -> Destroyed:
    """Register, then delete, records of a kind and everything referring to them."""
    subjects = kind.subjects(pks)
    register.append([{"op": "rows", "kind": kind.kind, "model": kind.model, "pks": pks}])
    rows = delete_rows(apps.get_model(kind.model), pks)
    return Destroyed(records=len(pks), rows=rows, subjects=subjects)


def _shred_employees_without_sealed_data(employee_ids: set[int]) -> int:
    """Destroy the data key of each employee for whom nothing sealed with it is left."""
    if not employee_ids:
        return 0
    # First the few with a live key (one cheap lookup), then the costly check for those only.
    live = list(
        among(DataKey.objects.exclude(wrapped_key=""), "employee_id", employee_ids).values_list(
            "pk", flat=True
        )
    )
    if not live:
        return 0
    empty = (
        DataKey.objects.filter(pk__in=live)
        .exclude(_has_medical_rows("employee_id"))
        .exclude(Exists(ExposureRecord.objects.filter(employee_id=OuterRef("employee_id"))))
        .values_list("employee_id", flat=True)
    )
    return sum(destroy_employee_key(pk) for pk in list(empty))


# --- wvp_file ---------------------------------------------------------------------------------


def _wvp_due(term: Term, day: dt.date) -> QuerySet:

    limit = cutoff(term, day)
    same = Employment.objects.filter(employee_id=OuterRef("employee_id"), employer_id=OuterRef("employer_id"))
    employed = Exists(same.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day)))
    ended_long_ago = ~Exists(same.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=limit)))
    # Conservative: a closed case goes 2 years after it closed, and, once employment ended,
    # not before 2 years after that end either. A self-insurer's file keeps its own term.
    return AbsenceCase.objects.filter(
        Q(employed) | Q(ended_long_ago),
        closed_at__isnull=False,
        closed_at__date__lte=limit,
        self_insurer_file="",
    ).filter(not_held("wvp_file", "employee", "employee_id"))


# --- erd_zw, erd_wga: a self-insurer's files ----------------------------------------------------


def _self_insurer_due(file: str, kind: str) -> Callable[[Term, dt.date], QuerySet]:
    """Cases marked as the self-insurer's ``file`` whose employment with that employer ended at
    least the term ago. While employed there is no date yet, and an open case (a benefit still
    running) is in use: neither goes."""

    def due(term: Term, day: dt.date) -> QuerySet:
        same = Employment.objects.filter(
            employee_id=OuterRef("employee_id"), employer_id=OuterRef("employer_id")
        )
        not_ended = same.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=cutoff(term, day)))
        return (
            AbsenceCase.objects.filter(self_insurer_file=file, closed_at__isnull=False)
            .filter(Exists(same))
            .exclude(Exists(not_ended))
            .filter(not_held(kind, "employee", "employee_id"))
        )

    return due


# --- medical_file -----------------------------------------------------------------------------


def _medical_due(term: Term, day: dt.date) -> QuerySet:

    return DataKey.objects.filter(
        _has_medical_rows("employee_id"), last_changed__lte=cutoff(term, day)
    ).filter(not_held("medical_file", "employee", "employee_id"))


def _medical_destroy(pks: list[int]) -> Destroyed:

    employees = set(DataKey.objects.filter(pk__in=pks).values_list("employee_id", flat=True))
    subjects = Counter(register.pseudonym("employee", pk) for pk in employees)
    rows = 0
    for model in medical_models():
        ids = list(model._base_manager.filter(employee_id__in=employees).values_list("pk", flat=True))
        if ids:
            register.append(
                [{"op": "rows", "kind": "medical_file", "model": model._meta.label_lower, "pks": ids}]
            )
            rows += delete_rows(model, ids)
    keys = _shred_employees_without_sealed_data(employees)
    return Destroyed(records=len(pks), rows=rows, keys=keys, subjects=subjects)


# --- pre_employment_exam ----------------------------------------------------------------------


def _exam_due(term: Term, day: dt.date) -> QuerySet:

    return PreEmploymentExam.objects.filter(exam_date__lte=cutoff(term, day)).filter(
        not_held("pre_employment_exam", "applicant", "applicant_id")
    )


def _exam_destroy(pks: list[int]) -> Destroyed:

    applicants = set(PreEmploymentExam.objects.filter(pk__in=pks).values_list("applicant_id", flat=True))
    destroyed = destroy_rows(KINDS["pre_employment_exam"], pks)
    # An applicant whose last exam went is erased whole (the data key with them).

    done = Applicant.objects.filter(pk__in=applicants).exclude(
        Exists(PreEmploymentExam.objects.filter(applicant_id=OuterRef("pk")))
    )
    for applicant_id in list(
        done.filter(not_held("pre_employment_exam", "applicant", "pk"))
        .exclude(applicant_kept())
        .values_list("pk", flat=True)
    ):
        subject = register.pseudonym("applicant", applicant_id)
        register.append(
            [
                {"op": "key", "holder": "applicant", "subject": subject},
                {"op": "subject", "holder": "applicant", "subject": subject},
            ]
        )
        erased = _erase_applicant_rows(applicant_id)
        destroyed.rows += erased.rows
        destroyed.keys += erased.keys
    return destroyed


# --- exposure registers -----------------------------------------------------------------------


def _exposure_due(exposure: str, kind: str) -> Callable[[Term, dt.date], QuerySet]:
    def due(term: Term, day: dt.date) -> QuerySet:

        records = ExposureRecord.objects.filter(kind=exposure, exposure_end__isnull=False)
        ended = Q(exposure_end__lte=cutoff(term, day))
        if term.years_if_persistent is not None:
            ended = Q(persistent_or_latent=False, exposure_end__lte=cutoff(term, day)) | Q(
                persistent_or_latent=True, exposure_end__lte=cutoff(term, day, persistent=True)
            )
        if term.until_age is not None:
            ended &= Q(employee__birth_date__lte=age_cutoff(term.until_age, day))
        return records.filter(ended).filter(not_held(kind, "employee", "employee_id"))

    return due


def _exposure_destroy(kind: str) -> Callable[[list[int]], Destroyed]:
    def destroy(pks: list[int]) -> Destroyed:

        employees = set(among(ExposureRecord.objects.all(), "pk", pks).values_list("employee_id", flat=True))
        destroyed = destroy_rows(KINDS[kind], pks)
        destroyed.keys += _shred_employees_without_sealed_data(employees)
        return destroyed

    return destroy


# --- roster uploads never committed -----------------------------------------------------------


def _roster_due(term: Term, day: dt.date) -> QuerySet:

    return RosterImport.objects.filter(
        # A check that never finished keeps the uploaded file: it expires as well.
        status__in=[RosterImport.Status.CHECKING, RosterImport.Status.PREVIEWED, RosterImport.Status.FAILED],
        created_at__date__lte=cutoff(term, day),
    )


KINDS: dict[str, Kind] = {}


def _destroy_kind_rows(kind: str, pks: list[int]) -> Destroyed:
    return destroy_rows(KINDS[kind], pks)


def add_kind(kind: Kind) -> None:
    KINDS[kind.kind] = kind


add_kind(
    Kind(
        "wvp_file",
        "absence.absencecase",
        "employee",
        "employee_id",
        _wvp_due,
        lambda pks: destroy_rows(KINDS["wvp_file"], pks),
        employer="employer_id",
    )
)
for _kind, _file in (
    ("erd_zw", AbsenceCase.SelfInsurerFile.ZW),
    ("erd_wga", AbsenceCase.SelfInsurerFile.WGA),
):
    add_kind(
        Kind(
            _kind,
            "absence.absencecase",
            "employee",
            "employee_id",
            _self_insurer_due(_file, _kind),
            functools.partial(_destroy_kind_rows, _kind),
            employer="employer_id",
        )
    )
add_kind(
    Kind(
        "medical_file",
        "medical.datakey",
        "employee",
        "employee_id",
        _medical_due,
        _medical_destroy,
        employer=latest_employer(),
    )
)
add_kind(
    Kind(
        "pre_employment_exam",
        "prevention.preemploymentexam",
        "applicant",
        "applicant_id",
        _exam_due,
        _exam_destroy,
        employer="employer_id",
    )
)
for _kind, _exposure in (
    ("exposure_carcinogenic", "kankerverwekkend"),
    ("exposure_biological", "biologisch"),
    ("exposure_radiation", "straling"),
):
    add_kind(
        Kind(
            _kind,
            "prevention.exposurerecord",
            "employee",
            "employee_id",
            _exposure_due(_exposure, _kind),
            _exposure_destroy(_kind),
            employer=latest_employer(),
        )
    )
add_kind(
    Kind(
        "roster_upload",
        "registry.rosterimport",
        "",
        "",
        _roster_due,
        lambda pks: destroy_rows(KINDS["roster_upload"], pks),
        employer="employer_id",
    )
)


def destroy_records(kind: str, pks: Iterable[int], *, rule: str, by: Any = None) -> Destroyed:
    """Destroy records of one kind (see :data:`KINDS`): registered, logged,
    audited. ``rule`` is what justified it (the schedule's rule, or ``erasure``)."""
    spec = KINDS[kind]
    pks = sorted(set(pks))
    if not pks:
        return Destroyed()
    with transaction.atomic():
        destroyed = spec.destroy(pks)
        _log(kind, rule, destroyed, by=by, event="retention.destroyed")
    return destroyed
