"""Erasure (AVG art. 17, WGBO 7:455) weighed against retention duties.

Per kind of record :data:`RULES` says whether it may go on request or must stay, with the legal
ground and term the decision letter names. What goes is gone for good: rows deleted (the person's
sealed medical texts and scanned letters with them), and when nothing sealed with the person's
data key remains to be kept (an exposure register must stay 40 years), the data key itself is
destroyed (crypto-shredding: no backup copy of the ciphertext decrypts any more).

The destruction primitives are those of this module (``_delete_rows``, ``_shred_key``) until the
retention app (issue 14, ``arbo/retention``) provides its destroyers; then these two functions
call them instead, and the purge log records the erasure under a pseudonym.
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
from arbo.medical import keys as medical_keys
from arbo.medical.models import (
    Consultation,
    ConsultationAdvice,
    EmployerReportConsent,
    FunctionalAbilities,
    IncomingDocument,
    InformationConsent,
    InformationRequest,
    MedicalNote,
)
from arbo.prevention.models import ExposureRecord, PeriodicExam
from arbo.privacy.rights.models import RightsRequest
from arbo.registry.models import Employee


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
        lambda e: [
            EmployerReportConsent.objects.filter(employee=e),
            ConsultationAdvice.objects.filter(employee=e),
            MedicalNote.objects.filter(employee=e),
            InformationRequest.objects.filter(employee=e),
            InformationConsent.objects.filter(employee=e),
            IncomingDocument.objects.filter(employee=e),
            FunctionalAbilities.objects.filter(employee=e),
            Consultation.objects.filter(employee=e),
            PeriodicExam.objects.filter(employee=e),
        ],
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


def _delete_rows(queryset: QuerySet[Any]) -> int:
    deleted, _per_model = queryset.delete()
    return deleted


def _shred_key(employee: Employee) -> None:
    medical_keys.destroy_data_key(employee)


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
    report: list[dict[str, Any]] = []
    for rule in RULES:
        count = 0
        if rule.erasable:
            count = sum(_delete_rows(q) for q in rule.rows(employee))
        else:
            count = sum(q.count() for q in rule.rows(employee))
        report.append({"label": rule.label, "erased": rule.erasable, "count": count, "ground": rule.ground})
    if not ExposureRecord.objects.filter(employee=employee).exists():
        _shred_key(employee)  # nothing sealed with the key remains to be kept
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
