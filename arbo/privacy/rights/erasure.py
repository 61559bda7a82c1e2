"""Erasure (AVG art. 17, WGBO 7:455) weighed against retention duties and legal holds.

Per kind of record :data:`RULES` (an employee) and :data:`APPLICANT_RULES` (an applicant) say
whether it may go on request or must stay, with the legal ground and term the decision letter
names. On top of that, whatever is under another standing legal hold of the retention app
(:class:`arbo.retention.models.LegalHold`: a labour dispute, an objection at the UWV, a reported
occupational disease ...; for all kinds or for the kind of record concerned) stays, and the letter
says so with the hold's reason. The request's own hold (``erasure_pending``, placed while it is
decided) keeps the purge away meanwhile and weighs nothing here.

What goes is gone for good, through the retention app's destruction primitives
(:func:`arbo.retention.destroy.erase_records`): the rows are registered in the destruction
register first (a restored backup destroys them again), then deleted with every row that refers to
them (the person's sealed medical texts and scanned letters with them); when nothing sealed with
the person's data key remains to be kept (an exposure register must stay 40 years; a held medical
file stays), the data key itself is destroyed (crypto-shredding: no backup copy of the ciphertext
decrypts any more). The purge log records the erasure under the person's pseudonym (kind
``erasure``), the audit log as ``privacy.erasure_done``.

An applicant's pre-employment exams are kept through their retention term (6 months after the
exam in the schedule, ``pre_employment_exam``: the time for a re-examination or a complaint) and
destroyed on request after it, unless a hold stands; the purge destroys them at the end of the term
anyway.

The person's registration stays: it carries the records that must be kept and the request itself
(kept two years after handling, seed 002); the retention purge erases the whole person
(:func:`arbo.retention.destroy.erase_employee`, ``erase_applicant``) once nothing about them is left
to keep.

Labels and grounds are Dutch message ids (``gettext_noop``): the report stored on the request
keeps them untranslated and the letter translates them into the person's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from arbo.absence.models import AbsenceCase
from arbo.audit import log
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.journal.models import JournalEntry
from arbo.prevention.models import ExposureRecord, PreEmploymentExam
from arbo.privacy.rights.models import RightsRequest
from arbo.registry.models import Applicant, Employee
from arbo.retention.destroy import erase_records
from arbo.retention.kinds import cutoff, medical_models
from arbo.retention.models import LegalHold, RetentionRule
from arbo.retention.terms import Term

Person = Employee | Applicant


@dataclass(frozen=True)
class Rule:
    label: str
    erasable: bool
    ground: str
    #: The rows of this kind of record of the person, in the order they can be deleted.
    rows: Callable[[Any], list[QuerySet[Any]]]
    #: The retention kinds (``arbo.retention.kinds``) a hold for one kind must name to keep these
    #: records; a hold for all kinds keeps every rule.
    kinds: tuple[str, ...] = ()
    #: Rows sealed with the person's data key (the key goes only when none of them is kept).
    sealed: bool = False


RULES: list[Rule] = [
    Rule(
        gettext_noop(
            "Medisch dossier (notities, adviezen, brieven, informatieverzoeken, FML, spreekuren, PMO)"
        ),
        True,
        gettext_noop("WGBO art. 7:455: op verzoek binnen drie maanden vernietigd"),
        # Every medical model with an ``employee``, and the PMO (``retention.kinds.medical_models``).
        lambda e: [model._base_manager.filter(employee=e) for model in medical_models()],
        kinds=("medical_file",),
        sealed=True,
    ),
    Rule(
        gettext_noop("Journaal"),
        True,
        gettext_noop("geen wettelijke bewaarplicht"),
        lambda e: [JournalEntry.objects.filter(employee=e)],
    ),
    Rule(
        gettext_noop("Verzuimdossier en re-integratiedocumenten"),
        False,
        gettext_noop(
            "Wet verbetering poortwachter en BW 7:629: bewaard tot 2 jaar na het einde van het verzuim"
        ),
        lambda e: [AbsenceCase.objects.filter(employee=e)],
        kinds=("wvp_file", "erd_zw", "erd_wga"),
    ),
    Rule(
        gettext_noop("Blootstellingsregister"),
        False,
        gettext_noop(
            "Arbeidsomstandighedenbesluit art. 4.10c, 4.93 en 4.104a: bewaard tot 40 jaar na de blootstelling"
        ),
        lambda e: [ExposureRecord.objects.filter(employee=e)],
        sealed=True,
    ),
    Rule(
        gettext_noop("Persoonsgegevens en dienstverband"),
        False,
        gettext_noop(
            "Arbowet art. 14: nodig zolang de werkgever ons contracteert, tot 2 jaar na het einde van het dienstverband"
        ),
        lambda e: [Employee.objects.filter(pk=e.pk)],
    ),
    Rule(
        gettext_noop("Logboek van inzage en wijziging"),
        False,
        gettext_noop("NEN 7513 en AVG art. 32: ten minste 5 jaar bewaard"),
        lambda e: [],
    ),
]

#: The pre-employment exams whose retention term has not ended on the day of the decision.
EXAM_TERM_KIND = "pre_employment_exam"


def _exam_cutoff() -> dt.date:
    """The latest exam date whose term (the schedule's ``pre_employment_exam``) has ended today."""
    rule = RetentionRule.objects.filter(kind=EXAM_TERM_KIND).first()
    term = Term.of(rule) if rule is not None else Term(kind=EXAM_TERM_KIND, runs_from="exam_date", months=6)
    return cutoff(term, timezone.localdate())


APPLICANT_RULES: list[Rule] = [
    Rule(
        gettext_noop("Aanstellingskeuringen waarvan de bewaartermijn is verstreken"),
        True,
        gettext_noop("Wet op de medische keuringen: na de bewaartermijn van 6 maanden op verzoek vernietigd"),
        lambda a: [PreEmploymentExam.objects.filter(applicant=a, exam_date__lte=_exam_cutoff())],
        kinds=(EXAM_TERM_KIND,),
        sealed=True,
    ),
    Rule(
        gettext_noop("Aanstellingskeuringen van de laatste 6 maanden"),
        False,
        gettext_noop(
            "Wet op de medische keuringen: bewaard tot 6 maanden na de keuring (voor een herkeuring of "
            "een klacht) en daarna vanzelf vernietigd"
        ),
        lambda a: [PreEmploymentExam.objects.filter(applicant=a, exam_date__gt=_exam_cutoff())],
        kinds=(EXAM_TERM_KIND,),
        sealed=True,
    ),
    Rule(
        gettext_noop("Toestemming voor het doorgeven van de uitkomst"),
        False,
        gettext_noop(
            "AVG art. 7 lid 1: bewijs van de gegeven toestemming, bewaard zolang de keuring bewaard wordt"
        ),
        lambda a: [Consent.objects.filter(applicant=a)],
    ),
    Rule(
        gettext_noop("Uw gegevens als sollicitant (naam, geboortedatum, werkgever)"),
        False,
        gettext_noop(
            "nodig om uw verzoek af te handelen en te bewaren; verwijderd zodra niets anders over u "
            "bewaard hoeft te worden"
        ),
        lambda a: [Applicant.objects.filter(pk=a.pk)],
    ),
    Rule(
        gettext_noop("Logboek van inzage en wijziging"),
        False,
        gettext_noop("NEN 7513 en AVG art. 32: ten minste 5 jaar bewaard"),
        lambda a: [],
    ),
]


def _rules(person: Person) -> list[Rule]:
    return APPLICANT_RULES if isinstance(person, Applicant) else RULES


def standing_holds(person: Person) -> list[LegalHold]:
    """The person's standing legal holds other than the erasure request's own."""
    holder = Q(applicant=person) if isinstance(person, Applicant) else Q(employee=person)
    return list(
        LegalHold.objects.filter(holder, lifted_at__isnull=True)
        .exclude(reason=LegalHold.Reason.ERASURE_PENDING)
        .order_by("placed_at", "pk")
    )


def _hold_over(rule: Rule, holds: list[LegalHold]) -> LegalHold | None:
    """The first standing hold that keeps this kind of record: one for all kinds or for its kind."""
    return next((h for h in holds if not h.kind or h.kind in rule.kinds), None)


def plan(person: Person) -> list[dict[str, Any]]:
    """Per kind of record: what may go and what must stay, with the ground and how many rows.

    A row kept by a legal hold carries ``hold`` (the hold's reason code) and ``hold_until`` (its
    review date); the letter names the reason."""
    holds = standing_holds(person)
    rows = []
    for rule in _rules(person):
        count = sum(q.count() for q in rule.rows(person))
        hold = _hold_over(rule, holds) if rule.erasable and count else None
        rows.append(
            {
                "label": rule.label,
                "erased": rule.erasable and hold is None,
                "count": count,
                "ground": rule.ground if hold is None else gettext_noop("juridische blokkade"),
                "hold": hold.reason if hold else "",
                "hold_until": hold.review_on.isoformat() if hold else "",
            }
        )
    return rows


def erase(person: Person, *, by: User, rights_request: RightsRequest | None = None) -> list[dict[str, Any]]:
    """Erase what may go, keep what must stay; the report for the decision letter (no content).

    Runs inside the caller's transaction (``domain.decide``)."""
    rules = _rules(person)
    report = plan(person)
    going = [rule for rule, row in zip(rules, report, strict=True) if row["erased"]]
    kept_sealed = any(
        rule.sealed and not row["erased"] and row["count"] for rule, row in zip(rules, report, strict=True)
    )
    applicant = isinstance(person, Applicant)
    erase_records(
        person.pk,
        [rows for rule in going for rows in rule.rows(person)],
        # Nothing sealed with the key remains to be kept: crypto-shred it as well.
        shred_key=not kept_sealed,
        rule="erasure",
        by=by,
        holder="applicant" if applicant else "employee",
    )
    log.record(
        by,
        log.Action.DELETE,
        "privacy.erasure_done",
        subject=person,
        obj=rights_request,
        category="C",
        data={
            "erased": {r["label"][:40]: r["count"] for r in report if r["erased"]},
            "held": [r["label"][:40] for r in report if r["hold"]],
        },
    )
    return report
