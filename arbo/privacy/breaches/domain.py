"""Writes of the breach register: report, assess, decide, notify, link, write to, close.

Each function validates first and then writes in one transaction with its audit record; bad input
raises :class:`DomainError` with a Dutch message and changes nothing. Audit data never holds the
incident's free text (it may name people); records about an affected person name that person as
subject, so the person finds them under "who saw my file".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arbo.audit import log
from arbo.identity.models import User
from arbo.lib.errors import DomainError
from arbo.portal import inbox
from arbo.privacy.breaches.models import Breach, BreachAffectedPerson
from arbo.privacy.office import office
from arbo.registry.models import Employee, Employer

CATEGORIES = ("A", "B", "C", "D")
#: A reason must say something: at least this many characters.
MIN_REASON = 10


def _check_categories(categories: Sequence[str], *, field: str = "data_categories") -> list[str]:
    chosen = [c for c in CATEGORIES if c in set(categories)]
    if not chosen or len(chosen) != len(set(categories)):
        raise DomainError(_("Kies welke soorten gegevens het betreft (minstens één)."), field=field)
    return chosen


def _check_reason(text: str, field: str, message: str) -> str:
    text = text.strip()
    if len(text) < MIN_REASON:
        raise DomainError(message, field=field)
    return text


def report_breach(
    *,
    by: User,
    summary: str,
    description: str,
    data_description: str,
    data_categories: Sequence[str],
    people_estimate: int,
    aware_at: dt.datetime,
    occurred_at: dt.datetime | None = None,
    employer: Employer | None = None,
) -> Breach:
    """Register a suspected incident; the 72-hour clock starts at ``aware_at``."""
    now = timezone.now()
    categories = _check_categories(data_categories)
    if not summary.strip():
        raise DomainError(_("Geef een korte omschrijving."), field="summary")
    if not data_description.strip():
        raise DomainError(_("Beschrijf welke gegevens het betreft."), field="data_description")
    if aware_at > now:
        raise DomainError(_("Het moment van ontdekken kan niet in de toekomst liggen."), field="aware_at")
    if occurred_at is not None and occurred_at > aware_at:
        raise DomainError(
            _("Het datalek kan niet later gebeurd zijn dan het moment waarop het is ontdekt."),
            field="occurred_at",
        )
    if people_estimate < 0:
        raise DomainError(_("Het aantal betrokkenen kan niet negatief zijn."), field="people_estimate")
    with transaction.atomic():
        breach = Breach.objects.create(
            reported_by=by,
            reported_at=now,
            occurred_at=occurred_at,
            aware_at=aware_at,
            summary=summary.strip()[:200],
            description=description.strip(),
            data_description=data_description.strip(),
            data_categories=categories,
            people_estimate=people_estimate,
            employer=employer,
        )
        log.record(
            by,
            log.Action.CREATE,
            "privacy.breach_reported",
            obj=breach,
            category="".join(categories),
            data={"people_estimate": people_estimate},
        )
    return breach


def assess_breach(
    breach: Breach,
    *,
    by: User,
    nature: Sequence[str],
    risk: str,
    risk_reasoning: str,
    consequences: str,
    aware_at: dt.datetime | None = None,
) -> Breach:
    """Record the privacy officer's risk assessment (may be revised until the incident closes)."""
    _open(breach)
    natures = {choice.value for choice in Breach.Nature}
    if not nature or not set(nature) <= natures:
        raise DomainError(_("Kies de aard van de inbreuk (minstens één)."), field="nature")
    if risk not in {Breach.Risk.NONE, Breach.Risk.RISK, Breach.Risk.HIGH}:
        raise DomainError(_("Kies een risico."), field="risk")
    reasoning = _check_reason(
        risk_reasoning, "risk_reasoning", _("Motiveer de risicobeoordeling (minstens 10 tekens).")
    )
    if aware_at is not None:
        if aware_at > timezone.now():
            raise DomainError(_("Het moment van ontdekken kan niet in de toekomst liggen."), field="aware_at")
        if breach.occurred_at is not None and aware_at < breach.occurred_at:
            raise DomainError(
                _("Het datalek kan niet later gebeurd zijn dan het moment waarop het is ontdekt."),
                field="aware_at",
            )
    with transaction.atomic():
        breach.nature = [n for n in (c.value for c in Breach.Nature) if n in set(nature)]
        breach.risk = risk
        breach.risk_reasoning = reasoning
        breach.consequences = consequences.strip()
        if aware_at is not None:
            breach.aware_at = aware_at
        breach.assessed_at = timezone.now()
        breach.assessed_by = by
        if breach.status == Breach.Status.REPORTED:
            breach.status = Breach.Status.ASSESSING
        breach.save()
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.breach_assessed",
            obj=breach,
            category="A",
            data={"risk": risk, "aware_at_changed": aware_at is not None},
        )
    return breach


def decide_breach(
    breach: Breach,
    *,
    by: User,
    notify_ap: bool,
    notify_ap_reason: str,
    notify_subjects: bool,
    notify_subjects_reason: str,
) -> Breach:
    """Record whether the AP and the people concerned are notified, with reasons either way.

    An incident that is not notified stays in the register with its reasons (AVG art. 33(5)). A
    high risk for the people concerned obliges telling them (art. 34(1)): deciding not to needs
    one of the grounds of art. 34(3) in the reasons, which the privacy officer writes.
    """
    _open(breach)
    if not breach.risk:
        raise DomainError(_("Beoordeel eerst het risico."), field="risk")
    ap_reason = _check_reason(
        notify_ap_reason,
        "notify_ap_reason",
        _("Motiveer het besluit over de melding aan de AP (minstens 10 tekens)."),
    )
    subjects_reason = _check_reason(
        notify_subjects_reason,
        "notify_subjects_reason",
        _("Motiveer het besluit over het informeren van de betrokkenen (minstens 10 tekens)."),
    )
    if breach.ap_notified_at is not None and not notify_ap:
        raise DomainError(_("De AP is al ingelicht; dat besluit kan niet meer terug."), field="notify_ap")
    with transaction.atomic():
        breach.notify_ap = notify_ap
        breach.notify_ap_reason = ap_reason
        breach.notify_subjects = notify_subjects
        breach.notify_subjects_reason = subjects_reason
        breach.decided_at = timezone.now()
        breach.decided_by = by
        breach.status = Breach.Status.DECIDED
        breach.save()
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.breach_decided",
            obj=breach,
            category="A",
            data={"notify_ap": notify_ap, "notify_subjects": notify_subjects},
        )
    return breach


def record_ap_notice(
    breach: Breach,
    *,
    by: User,
    notified_at: dt.datetime,
    reference: str,
) -> Breach:
    """Record that (and when) the incident was reported to the AP, with the AP's number."""
    _open(breach)
    if not breach.notify_ap:
        raise DomainError(_("Besluit eerst om het datalek bij de AP te melden."), field="notified_at")
    if notified_at < breach.aware_at:
        raise DomainError(
            _("De melding aan de AP kan niet vóór het ontdekken van het datalek liggen."), field="notified_at"
        )
    if notified_at > timezone.now():
        raise DomainError(_("De melding aan de AP kan niet in de toekomst liggen."), field="notified_at")
    if not reference.strip():
        raise DomainError(_("Vul het meldnummer van de AP in."), field="reference")
    with transaction.atomic():
        breach.ap_notified_at = notified_at
        breach.ap_reference = reference.strip()[:60]
        breach.save(update_fields=["ap_notified_at", "ap_reference", "updated_at"])
        log.record(by, log.Action.UPDATE, "privacy.breach_ap_notified", obj=breach, category="A")
    return breach


def affected_people(employer: Employer, *, everyone: bool, numbers: Sequence[str]) -> QuerySet[Employee]:
    """The people an incident at ``employer`` concerns: everyone employed there now, or the holders
    of ``numbers`` (personnel numbers at that employer; an unknown number refuses the lot)."""
    if everyone:
        current = Q(employments__ends_on__isnull=True) | Q(employments__ends_on__gte=timezone.localdate())
        return Employee.objects.filter(Q(employments__employer=employer) & current).distinct()
    found = dict(
        employer.employments.filter(personnel_number__in=numbers).values_list(
            "personnel_number", "employee_id"
        )
    )
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise DomainError(
            _("Onbekende personeelsnummers bij %(employer)s: %(numbers)s")
            % {"employer": employer, "numbers": ", ".join(unknown[:20])}
        )
    return Employee.objects.filter(pk__in=found.values())


def link_affected(
    breach: Breach,
    *,
    by: User,
    employees: Iterable[Employee],
    data_categories: Sequence[str],
    language: str = "nl",
) -> int:
    """Link affected employees (for the counts and the letters); already linked ones are updated."""
    _open(breach)
    categories = _check_categories(data_categories)
    if not set(categories) <= set(breach.data_categories):
        raise DomainError(
            _("Kies alleen soorten gegevens die bij het datalek horen (%(cats)s).")
            % {"cats": ", ".join(breach.data_categories)},
            field="data_categories",
        )
    people = list({e.pk: e for e in employees}.values())
    if not people:
        raise DomainError(_("Kies minstens één betrokkene."), field="employees")
    with transaction.atomic():
        existing = {a.employee_id: a for a in breach.affected.all()}
        new = [
            BreachAffectedPerson(breach=breach, employee=e, data_categories=categories, language=language)
            for e in people
            if e.pk not in existing
        ]
        BreachAffectedPerson.objects.bulk_create(new)
        changed = [existing[e.pk] for e in people if e.pk in existing]
        for row in changed:
            row.data_categories = categories
            row.language = language
        BreachAffectedPerson.objects.bulk_update(changed, ["data_categories", "language"])
        log.record_many(
            by,
            log.Action.UPDATE,
            "privacy.breach_person_linked",
            people,
            obj=breach,
            category="D",
        )
    return len(people)


def unlink_affected(breach: Breach, row: BreachAffectedPerson, *, by: User) -> None:
    _open(breach)
    if row.letter_sent_at is not None:
        raise DomainError(_("Deze betrokkene heeft al een brief gekregen."))
    with transaction.atomic():
        employee = row.employee
        row.delete()
        log.record(
            by,
            log.Action.DELETE,
            "privacy.breach_person_unlinked",
            subject=employee,
            obj=breach,
            category="D",
        )


def letter_for(breach: Breach, row: BreachAffectedPerson) -> tuple[str, str]:
    """The letter's subject and text in the person's language (art. 34(2): the nature of the breach,
    the likely consequences, the measures, and the privacy officer's contact details)."""
    with translation.override(row.language):
        context = {
            "breach": breach,
            "employee": row.employee,
            "office": office(),
            "explanation": breach.letter_text_en if row.language == "en" else breach.letter_text,
            "categories": row.data_categories,
        }
        subject = _("Een datalek dat jouw gegevens betreft")
        body = render_to_string("privacy/breaches/letter.txt", context)
    return str(subject), body


def send_letters(breach: Breach, *, by: User, letter_text: str, letter_text_en: str) -> tuple[int, int]:
    """Write to every affected person not yet written to: into their portal inbox when they have a
    portal account, otherwise they stay on the list to be sent by post. Returns (portal, by post)."""
    _open(breach)
    if not breach.notify_subjects:
        raise DomainError(_("Besluit eerst om de betrokkenen te informeren."))
    rows = list(breach.affected.filter(letter_sent_at__isnull=True).select_related("employee__user"))
    if not rows:
        raise DomainError(_("Er zijn geen betrokkenen (meer) om te schrijven."))
    languages = {row.language for row in rows}
    if "nl" in languages and len(letter_text.strip()) < MIN_REASON:
        raise DomainError(_("Schrijf de toelichting voor de brief in het Nederlands."), field="letter_text")
    if "en" in languages and len(letter_text_en.strip()) < MIN_REASON:
        raise DomainError(_("Schrijf de toelichting voor de brief in het Engels."), field="letter_text_en")
    now = timezone.now()
    portal = post = 0
    with transaction.atomic():
        breach.letter_text = letter_text.strip()
        breach.letter_text_en = letter_text_en.strip()
        breach.letters_sent_at = now
        breach.save(update_fields=["letter_text", "letter_text_en", "letters_sent_at", "updated_at"])
        for row in rows:
            user = row.employee.user
            if user is None or not user.is_active:
                post += 1
                continue
            subject, body = letter_for(breach, row)
            inbox.deliver(
                recipient=user,
                employee=row.employee,
                subject=subject,
                body=body,
                source=f"privacy.breach:{breach.pk}",
                sender_label=office()["name"],
                language=row.language,
                by=by,
            )
            row.letter_sent_at = now
            portal += 1
        BreachAffectedPerson.objects.bulk_update([r for r in rows if r.letter_sent_at], ["letter_sent_at"])
        log.record(
            by,
            log.Action.EXECUTE,
            "privacy.breach_letters_sent",
            obj=breach,
            category="D",
            data={"portal": portal, "post": post},
        )
    return portal, post


def mark_posted(breach: Breach, row: BreachAffectedPerson, *, by: User) -> None:
    """Record that a letter went out by post to a person without a portal account."""
    with transaction.atomic():
        row.letter_sent_at = timezone.now()
        row.save(update_fields=["letter_sent_at"])
        log.record(
            by,
            log.Action.PRINT,
            "privacy.breach_letter_posted",
            subject=row.employee,
            obj=breach,
            category="D",
        )


def record_measures(breach: Breach, *, by: User, measures: str) -> Breach:
    _open(breach)
    text = _check_reason(measures, "measures", _("Beschrijf de genomen maatregelen (minstens 10 tekens)."))
    with transaction.atomic():
        breach.measures = text
        breach.save(update_fields=["measures", "updated_at"])
        log.record(
            by,
            log.Action.UPDATE,
            "privacy.breach_measures_recorded",
            obj=breach,
            category="A",
        )
    return breach


def close_breach(breach: Breach, *, by: User) -> Breach:
    """Close the incident: it stays in the register for its own term (``Breach.keep_until``)."""
    _open(breach)
    if breach.decided_at is None:
        raise DomainError(_("Leg eerst het besluit over melden vast."))
    if breach.notify_ap and breach.ap_notified_at is None:
        raise DomainError(_("Leg eerst de melding aan de AP vast."))
    if not breach.measures:
        raise DomainError(_("Beschrijf eerst de genomen maatregelen."))
    with transaction.atomic():
        breach.status = Breach.Status.CLOSED
        breach.closed_at = timezone.now()
        breach.save(update_fields=["status", "closed_at", "updated_at"])
        log.record(by, log.Action.UPDATE, "privacy.breach_closed", obj=breach, category="A")
    return breach


def _open(breach: Breach) -> None:
    if not breach.is_open:
        raise DomainError(_("Dit datalek is afgesloten; het staat alleen nog in het register."))
