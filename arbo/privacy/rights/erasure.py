"""Erasure (AVG art. 17, WGBO 7:455) weighed against retention duties.

Per kind of record :data:`RULES` says whether it may go on request or must stay, with the legal
ground and term the decision letter names. What goes is gone for good, through the retention
app's destruction primitives (:func:`arbo.retention.destroy.erase_records`): the rows are
registered in the destruction register first (a restored backup destroys them again), then
deleted with every row that refers to them (the person's sealed medical texts and scanned letters
with them); when nothing sealed with the person's data key remains to be kept (an exposure
register must stay 40 years), the data key itself is destroyed (crypto-shredding: no backup copy
of the ciphertext decrypts any more). The purge log records the erasure under the person's
pseudonym (kind ``erasure``), the audit log as ``privacy.erasure_done``.

The person's registration stays: it carries the records that must be kept and the request itself
(kept two years after handling, seed 002); the retention purge erases the whole person
(:func:`arbo.retention.destroy.erase_employee`) once nothing about them is left to keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from arbo.absence.models import AbsenceCase
from arbo.audit import log
from arbo.identity.models import User
from arbo.journal.models import JournalEntry
from arbo.prevention.models import ExposureRecord
from arbo.privacy.rights.models import RightsRequest
from arbo.registry.models import Employee
from arbo.retention.destroy import erase_records
from arbo.retention.kinds import medical_models


@dataclass(frozen=True)
class Rule:
    label: str
    erasable: bool
    ground: str
    #: The rows of this kind of record of the person, in the order they can be deleted.
    rows: Callable[[Employee], list[QuerySet[Any]]]


RULES: list[Rule] = [
    Rule(
        "Medisch dossier (notities, adviezen, brieven, informatieverzoeken, FML, spreekuren, PMO)",
        True,
        "WGBO art. 7:455: op verzoek binnen drie maanden vernietigd",
        # Every medical model with an ``employee``, and the PMO (``retention.kinds.medical_models``).
        lambda e: [model._base_manager.filter(employee=e) for model in medical_models()],
    ),
    Rule(
        "Journaal",
        True,
        "geen wettelijke bewaarplicht",
        lambda e: [JournalEntry.objects.filter(employee=e)],
    ),
    Rule(
        "Verzuimdossier en re-integratiedocumenten",
        False,
        "Wet verbetering poortwachter en BW 7:629: bewaard tot 2 jaar na het einde van het verzuim",
        lambda e: [AbsenceCase.objects.filter(employee=e)],
    ),
    Rule(
        "Blootstellingsregister",
        False,
        "Arbeidsomstandighedenbesluit art. 4.10c, 4.93 en 4.104a: bewaard tot 40 jaar na de blootstelling",
        lambda e: [ExposureRecord.objects.filter(employee=e)],
    ),
    Rule(
        "Persoonsgegevens en dienstverband",
        False,
        "Arbowet art. 14: nodig zolang de werkgever ons contracteert, tot 2 jaar na het einde van het dienstverband",
        lambda e: [Employee.objects.filter(pk=e.pk)],
    ),
    Rule(
        "Logboek van inzage en wijziging",
        False,
        "NEN 7513 en AVG art. 32: ten minste 5 jaar bewaard",
        lambda e: [],
    ),
]


def plan(employee: Employee) -> list[dict[str, Any]]:
    """Per kind of record: what may go and what must stay, with the ground and how many rows."""
    return [
        {
            "label": rule.label,
            "erased": rule.erasable,
            "count": sum(q.count() for q in rule.rows(employee)),
            "ground": rule.ground,
        }
        for rule in RULES
    ]


def erase(
    employee: Employee, *, by: User, rights_request: RightsRequest | None = None
) -> list[dict[str, Any]]:
    """Erase what may go, keep what must stay; the report for the decision letter (no content).

    Runs inside the caller's transaction (``domain.decide``)."""
    report = plan(employee)
    erase_records(
        employee.pk,
        [rows for rule in RULES if rule.erasable for rows in rule.rows(employee)],
        # Nothing sealed with the key remains to be kept: crypto-shred it as well.
        shred_key=not ExposureRecord.objects.filter(employee=employee).exists(),
        rule="erasure",
        by=by,
    )
    log.record(
        by,
        log.Action.DELETE,
        "privacy.erasure_done",
        subject=employee,
        obj=rights_request,
        category="C",
        data={"erased": {r["label"][:40]: r["count"] for r in report if r["erased"]}},
    )
    return report
