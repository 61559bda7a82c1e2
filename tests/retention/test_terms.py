"""The calculator agrees with the schedule's table, month ends and leap days included."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arbo.retention.kinds import age_cutoff, cutoff
from arbo.retention.terms import Term, TermError, add_months, destroy_after, parse_facts

D = dt.date

TABLE = {
    "wvp_file": Term("wvp_file", "end_of_employment", years=2, otherwise_from="case_closed"),
    "medical_file": Term("medical_file", "last_change", years=20),
    "erd_zw": Term("erd_zw", "end_of_employment", years=5),
    "erd_wga": Term("erd_wga", "end_of_employment", years=10),
    "pre_employment_exam": Term("pre_employment_exam", "exam_date", months=6),
    "exposure_carcinogenic": Term("exposure_carcinogenic", "exposure_end", years=40),
    "exposure_biological": Term("exposure_biological", "exposure_end", years=10, years_if_persistent=40),
    "exposure_radiation": Term("exposure_radiation", "exposure_end", years=30, until_age=75),
    "rights_request": Term("rights_request", "handled", years=2),
    "audit_log": Term("audit_log", "logged", years=5),
    "roster_upload": Term("roster_upload", "uploaded", days=3),
}


@pytest.mark.parametrize(
    ("kind", "facts", "expected"),
    [
        ("wvp_file", {"end_of_employment": D(2024, 2, 29)}, D(2026, 2, 28)),
        ("wvp_file", {"case_closed": D(2023, 5, 31)}, D(2025, 5, 31)),
        ("wvp_file", {"end_of_employment": D(2024, 6, 30), "case_closed": D(2023, 1, 1)}, D(2026, 6, 30)),
        ("wvp_file", {}, None),  # still employed, case open: not known yet
        ("medical_file", {"last_change": D(2004, 2, 29)}, D(2024, 2, 29)),
        ("medical_file", {"last_change": D(2005, 2, 28)}, D(2025, 2, 28)),
        ("erd_zw", {"end_of_employment": D(2020, 2, 29)}, D(2025, 2, 28)),
        ("erd_wga", {"end_of_employment": D(2020, 2, 29)}, D(2030, 2, 28)),
        ("pre_employment_exam", {"exam_date": D(2023, 8, 31)}, D(2024, 2, 29)),
        ("pre_employment_exam", {"exam_date": D(2024, 8, 31)}, D(2025, 2, 28)),
        ("pre_employment_exam", {"exam_date": D(2024, 12, 31)}, D(2025, 6, 30)),
        ("pre_employment_exam", {"exam_date": D(2024, 3, 15)}, D(2024, 9, 15)),
        ("exposure_carcinogenic", {"exposure_end": D(1984, 2, 29)}, D(2024, 2, 29)),
        ("exposure_carcinogenic", {}, None),  # still exposed
        ("exposure_biological", {"exposure_end": D(2016, 2, 29)}, D(2026, 2, 28)),
        (
            "exposure_biological",
            {"exposure_end": D(2016, 2, 29), "persistent_or_latent": True},
            D(2056, 2, 29),
        ),
        ("exposure_radiation", {"exposure_end": D(2000, 1, 1), "birth_date": D(1930, 5, 1)}, D(2030, 1, 1)),
        ("exposure_radiation", {"exposure_end": D(2000, 1, 1), "birth_date": D(1960, 2, 29)}, D(2035, 2, 28)),
        ("exposure_radiation", {"birth_date": D(1960, 2, 29)}, None),
        ("rights_request", {"handled": D(2024, 2, 29)}, D(2026, 2, 28)),
        ("audit_log", {"logged": D(2020, 2, 29)}, D(2025, 2, 28)),
        ("roster_upload", {"uploaded": D(2024, 2, 27)}, D(2024, 3, 1)),
        ("roster_upload", {"uploaded": D(2023, 12, 30)}, D(2024, 1, 2)),
    ],
)
def test_the_calculator_agrees_with_the_table(kind: str, facts: dict, expected: dt.date | None) -> None:
    assert destroy_after(TABLE[kind], facts) == expected


@pytest.mark.django_db
def test_the_seeded_schedule_is_the_table() -> None:
    from arbo.retention.models import RetentionRule

    assert {rule.kind: Term.of(rule) for rule in RetentionRule.objects.all()} == TABLE


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("pre_employment_exam", {}, "Geef exam_date op"),
        ("pre_employment_exam", {"exam_date": "2024-02-30"}, "geen datum"),
        ("pre_employment_exam", {"exam_date": "29-02-2024"}, "geen datum"),
        ("pre_employment_exam", {"exam_date": "1800-01-01"}, "tussen 1900-01-01 en 2100-12-31"),
        ("pre_employment_exam", {"exam_date": "2024-01-01", "last_change": "2024-01-01"}, "kent het gegeven"),
        ("exposure_biological", {"exposure_end": "2024-01-01", "persistent_or_latent": "ja"}, "0 of 1"),
        ("exposure_radiation", {"exposure_end": "2024-01-01"}, "Geef birth_date op"),
    ],
)
def test_bad_facts_are_refused_with_a_message(kind: str, params: dict, message: str) -> None:
    with pytest.raises(TermError) as error:
        parse_facts(TABLE[kind], params)
    assert message in error.value.message


@given(st.dates(D(1950, 1, 1), D(2090, 12, 31)), st.sampled_from(sorted(TABLE)), st.booleans())
def test_the_purges_cutoff_is_the_calculators_boundary(day: dt.date, kind: str, persistent: bool) -> None:
    """``cutoff`` (the purge's SQL bound) picks exactly the events whose date has come."""
    term = TABLE[kind]
    limit = cutoff(term, day, persistent=persistent)
    facts = {"persistent_or_latent": persistent}
    plain = Term(
        kind,
        "e",
        years=term.years,
        months=term.months,
        days=term.days,
        years_if_persistent=term.years_if_persistent,
    )
    assert destroy_after(plain, {"e": limit, **facts}) <= day  # type: ignore[operator]
    assert destroy_after(plain, {"e": limit + dt.timedelta(days=1), **facts}) > day  # type: ignore[operator]


@given(st.dates(D(1950, 1, 1), D(2090, 12, 31)))
def test_age_cutoff(day: dt.date) -> None:
    born = age_cutoff(75, day)
    assert add_months(born, 900) <= day < add_months(born + dt.timedelta(days=1), 900)
