"""The calculator's answer for one set of query parameters, shared by the API
(:mod:`arbo.retention.api`) and the page (:mod:`arbo.retention.views`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from arbo.retention.models import RetentionRule
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
