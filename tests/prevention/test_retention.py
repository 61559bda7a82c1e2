"""Retention terms of the exposure registers and pre-employment exams (shared/domain.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from arbo.prevention.models import ExposureRecord, PreEmploymentExam, add_months, add_years

END = dt.date(2021, 6, 30)


def _record(kind: str, *, latent: bool = False, end: dt.date | None = END) -> ExposureRecord:
    return ExposureRecord(
        kind=kind, persistent_or_latent=latent, exposure_start=dt.date(2019, 1, 1), exposure_end=end
    )


@pytest.mark.parametrize(
    ("kind", "latent", "years"),
    [
        (ExposureRecord.Kind.CARCINOGENIC, False, 40),
        (ExposureRecord.Kind.BIOLOGICAL, False, 10),
        (ExposureRecord.Kind.BIOLOGICAL, True, 40),
        (ExposureRecord.Kind.IONISING_RADIATION, False, 30),
    ],
)
def test_retention_years_per_kind(kind: str, latent: bool, years: int) -> None:
    record = _record(kind, latent=latent)

    assert record.retention_years == years
    assert record.retention_until(dt.date(1940, 1, 1)) == dt.date(2021 + years, 6, 30)


def test_radiation_is_kept_until_age_75_when_that_is_later() -> None:
    record = _record(ExposureRecord.Kind.IONISING_RADIATION)

    assert record.retention_until(dt.date(1990, 2, 14)) == dt.date(2065, 2, 14)
    assert record.retention_until(dt.date(1950, 2, 14)) == dt.date(2051, 6, 30)


def test_an_ongoing_exposure_has_no_end_of_retention() -> None:
    assert _record(ExposureRecord.Kind.CARCINOGENIC, end=None).retention_until(dt.date(1980, 1, 1)) is None


def test_pre_employment_exams_are_kept_six_months() -> None:
    assert PreEmploymentExam(exam_date=dt.date(2025, 8, 31)).retention_until == dt.date(2026, 2, 28)
    assert PreEmploymentExam(exam_date=dt.date(2025, 3, 3)).retention_until == dt.date(2025, 9, 3)


def test_date_arithmetic_handles_leap_days() -> None:
    assert add_years(dt.date(2024, 2, 29), 40) == dt.date(2064, 2, 29)
    assert add_years(dt.date(2024, 2, 29), 10) == dt.date(2034, 2, 28)
    assert add_months(dt.date(2025, 12, 15), 6) == dt.date(2026, 6, 15)
