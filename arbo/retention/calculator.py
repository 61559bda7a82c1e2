"""The calculator's answer for one set of query parameters, shared by the API
(:mod:`arbo.retention.api`) and the page (:mod:`arbo.retention.views`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arbo.retention.models import Event, RetentionRule
from arbo.retention.terms import Term, TermError, destroy_after, parse_facts


def answer(params: dict[str, str]) -> dict[str, Any]:
    """The calculator's answer for query parameters; :class:`TermError` when they are unusable."""
    kind = params.pop("kind", "").strip()
    if not kind:
        raise TermError(_("Geef de soort op, bijvoorbeeld kind=pre_employment_exam."))
    rule = RetentionRule.objects.filter(kind=kind).first()
    if rule is None:
        raise TermError(_("Onbekende soort: %(kind)s.") % {"kind": kind})
    term = Term.of(rule)
    return {
        "kind": kind,
        "term": term.describe(),
        "destroy_after": destroy_after(term, parse_facts(term, params)),
    }


def explain(term: Term) -> str:
    """The term in words for the schedule page ("2 jaar na einde dienstverband; …"); the purge log
    keeps :meth:`Term.describe`, which is stable and not translated."""
    events = dict(Event.choices)
    parts = [
        ngettext("%(n)d jaar", "%(n)d jaar", term.years) % {"n": term.years} if term.years else "",
        ngettext("%(n)d maand", "%(n)d maanden", term.months) % {"n": term.months} if term.months else "",
        ngettext("%(n)d dag", "%(n)d dagen", term.days) % {"n": term.days} if term.days else "",
    ]
    length = " ".join(part for part in parts if part) or _("direct")
    text = _("%(length)s na %(event)s") % {
        "length": length,
        "event": events.get(term.runs_from, term.runs_from),
    }
    if term.otherwise_from:
        text += "; " + _("zolang dat niet bekend is: na %(event)s") % {
            "event": events.get(term.otherwise_from, term.otherwise_from)
        }
    if term.years_if_persistent is not None:
        text += "; " + _("%(n)d jaar bij blijvende of latente werking") % {"n": term.years_if_persistent}
    if term.until_age is not None:
        text += "; " + _("en ten minste tot de leeftijd van %(age)d jaar") % {"age": term.until_age}
    return text
