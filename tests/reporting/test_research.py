"""Research data: generalised, k-anonymous and l-diverse (checked with pycanon), recorded, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.medical.chapters import chapter
from arbo.medical.keys import seal
from arbo.medical.models import MedicalNote
from arbo.reporting import research
from arbo.reporting.models import ResearchRelease
from tests import factories as f
from tests.reporting.conftest import add_spell

TODAY = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def medical_manager(db):  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="mm", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.MEDISCH_MANAGER)
    return user


def _diagnose(employee, code: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    note = MedicalNote.objects.create(
        employee=employee,
        kind=MedicalNote.Kind.DIAGNOSIS,
        body_encrypted=seal(employee, "diagnose"),
        icd10_code_encrypted=seal(employee, code),
        author=f.UserFactory(),
    )
    MedicalNote.objects.filter(pk=note.pk).update(
        created_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    )


@pytest.fixture
def book(db):  # type: ignore[no-untyped-def]
    """30 people aged 35–44 with short March absences, half psychic, half back; 3 aged 55+ (too few);
    12 aged 25–34 all with the same diagnosis group (not diverse)."""
    employer = f.EmployerFactory(sector="C", postcode="3511 ED")
    reporter = f.UserFactory()
    groups = [
        (30, dt.date(1988, 1, 1), ["F43.2", "M54.5"]),
        (3, dt.date(1960, 1, 1), ["F32", "J11"]),
        (12, dt.date(1995, 1, 1), ["S93.4"]),
    ]
    for count, birth, codes in groups:
        for i in range(count):
            employee = f.EmploymentFactory(
                employer=employer, employee__birth_date=birth, hours_per_week=Decimal(38)
            ).employee
            add_spell(employee, employer, dt.date(2025, 3, 3), dt.date(2025, 3, 5), by=reporter)
            _diagnose(employee, codes[i % len(codes)], dt.date(2025, 3, 4))
    return employer


def test_icd10_codes_map_to_their_chapter():
    assert chapter("F43.2") == "V psychisch"
    assert chapter("m54") == "XIII bewegingsapparaat"
    assert chapter("D50.1") == "III bloed en immuunsysteem"
    assert chapter("T14") == "XIX letsel en vergiftiging"
    assert chapter("") == chapter("xyz") == "onbekend"


def test_age_bands_and_regions_are_coarse():
    on = dt.date(2025, 3, 3)
    assert research.age_band(dt.date(2001, 1, 1), on) == "<25"
    assert research.age_band(dt.date(1990, 3, 4), on) == "25-34"
    assert research.age_band(dt.date(1988, 1, 1), on) == "35-44"
    assert research.age_band(dt.date(1960, 1, 1), on) == "55+"
    assert research.region("3511 ED") == "3xxx"


def test_a_release_holds_only_classes_of_k_people_and_l_diagnosis_groups(medical_manager, book):
    release, content = research.release(
        by=medical_manager,
        start=dt.date(2025, 3, 1),
        end=dt.date(2025, 3, 31),
        purpose="Psychisch verzuim per sector",
    )

    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert len(rows) == 30
    assert {r["age_band"] for r in rows} == {"35-44"}
    assert {r["diagnosis_group"] for r in rows} == {"V psychisch", "XIII bewegingsapparaat"}
    assert set(rows[0]) == {"age_band", "sector", "region", "duration_class", "diagnosis_group"}
    # pycanon's verdict on the released file itself
    released = [research.Record(0, **r) for r in rows]
    assert research.verify(released) == (30, 2)
    assert (release.k_achieved, release.l_achieved, release.rows, release.withheld_rows) == (30, 2, 30, 15)
    assert release.basis == ResearchRelease.Basis.ANONYMISED
    export = AuditEvent.objects.get(event="reporting.research_released")
    assert export.action == AuditEvent.Action.EXPORT
    assert export.data["rows"] == 30
    reads = AuditEvent.objects.filter(event="medical.research_chapters_read", data__release=release.pk)
    assert reads.count() == 45
    assert set(reads.values_list("category", flat=True)) == {"C"}
    # no code and no text left the medical file
    assert "F43" not in content.decode()


def test_nothing_to_release_is_refused_and_nothing_recorded(medical_manager, book):
    with pytest.raises(DomainError):
        research.release(
            by=medical_manager,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 1, 31),
            purpose="Januari onderzoek",
        )
    assert not ResearchRelease.objects.exists()


def test_only_the_medical_manager_releases(mfa_client, director, medical_manager, book):
    with pytest.raises(DomainError):
        research.release(
            by=director, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31), purpose="Zomaar een doel"
        )
    assert mfa_client(director).get("/reports/research/").status_code == 404


def test_the_page_downloads_the_csv(mfa_client, medical_manager, book):
    client = mfa_client(medical_manager)
    assert client.get("/reports/research/").status_code == 200

    response = client.post(
        "/reports/research/",
        {
            "period_from": "2025-03-01",
            "period_to": "2025-03-31",
            "purpose": "Verzuim per diagnosegroep",
            "basis": "anonymised",
        },
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="onderzoek-')
    bad = client.post(
        "/reports/research/",
        {"period_from": "2025-03-01", "period_to": "2025-03-31", "purpose": "kort", "basis": "anonymised"},
    )
    assert "minstens 10 tekens" in bad.content.decode()
