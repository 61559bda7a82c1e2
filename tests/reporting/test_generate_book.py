"""generate_book at a small scale (CI); bench/report_bench.py runs it at national scale."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from arbo.absence.models import SickPeriod
from arbo.audit.models import AuditEvent
from arbo.registry.models import Employer
from arbo.reporting.book import employer_sizes
from arbo.reporting.report import Analysis

SCALE = int(os.environ.get("BOOK_SCALE", "400"))


def test_employer_sizes_add_up_with_the_largest_first():
    import random

    sizes = employer_sizes(10_000, 2_000, random.Random(1))

    assert sum(sizes) == 10_000
    assert sizes[0] == 2_000
    assert all(1 <= s <= 5_000 for s in sizes[1:])


@pytest.mark.scale
def test_a_generated_book_has_the_national_shape_and_a_whole_audit_chain(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command(
        "generate_book", employees=SCALE, largest=SCALE // 2, years=2, stdout=out, stderr=io.StringIO()
    )

    assert f"{SCALE:,} employees" in out.getvalue()
    periods = SickPeriod.objects.count()
    # about one report per employee per year (two years of history)
    assert 0.8 * SCALE < periods < 3 * SCALE
    assert AuditEvent.objects.filter(event="absence.sick_reported").count() == periods
    call_command("verify_audit", stdout=io.StringIO())  # raises when the chain is broken
    largest = Employer.objects.get(name="Synthetisch 1 BV")
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, month=1, day=1)
    end = start.replace(month=12, day=31)
    figures = Analysis(largest, start, end).report(start, end).total.figures
    assert figures is not None
    assert 1 < figures.verzuimpercentage < 15
    assert 0.4 < figures.meldingsfrequentie < 2


def test_generate_book_refuses_outside_a_test_or_bench_database_with_debug_off(db, settings, monkeypatch):
    settings.DEBUG = False
    from django.db import connection

    monkeypatch.setitem(connection.settings_dict, "NAME", "arbodossier")
    with pytest.raises(CommandError):
        call_command("generate_book", employees=10, force=True)
