"""The backfill that turns the three older consents into entries of the one register.

A transactional test (the schema changes back and forth), run after the others and ended by a flush.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("consent", "0001_consent_register"),
    ("medical", "0004_consent_register_entry"),
    ("prevention", "0002_consent_register_entry"),
    ("privacy", "0004_seed_register"),
]
AFTER = [("medical", "0005_information_consent_withdrawn_in_register"), *BEFORE[2:]]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_backfill_keeps_every_older_consent_with_its_withdrawal() -> None:
    old = _migrate(BEFORE)
    user = old.get_model("identity", "User").objects.create(username="arts", kind="staff")
    employer = old.get_model("registry", "Employer").objects.create(name="Werkgever", kvk_number="12345678")
    employee = old.get_model("registry", "Employee").objects.create(
        first_names="Eva", surname="Werknemer", birth_date=dt.date(1980, 1, 1)
    )
    practitioner = old.get_model("registry", "Practitioner").objects.create(name="Huisarts Linde")
    withdrawn = timezone.now()
    old.get_model("medical", "InformationConsent").objects.create(
        employee=employee,
        practitioner=practitioner,
        question_encrypted="x",
        given_by="Eva Werknemer",
        given_on=timezone.localdate() - dt.timedelta(days=3),
        recorded_by=user,
        withdrawn_at=withdrawn,
    )
    applicant = old.get_model("registry", "Applicant").objects.create(
        employer=employer, first_names="Sanne", surname="Sollicitant", birth_date=dt.date(1995, 1, 1)
    )
    released = timezone.now()
    old.get_model("prevention", "PreEmploymentExam").objects.create(
        applicant=applicant,
        employer=employer,
        position="Chauffeur",
        exam_date=timezone.localdate(),
        examining_doctor=user,
        results_encrypted="x",
        outcome_encrypted="x",
        completed_at=released,
        applicant_informed_at=released,
        outcome_release_consented_at=released,
    )

    new = _migrate(AFTER)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app back at its latest

    Consent = new.get_model("consent", "Consent")
    information = Consent.objects.get(kind="informatie_uitwisseling")
    outcome = Consent.objects.get(kind="uitslag_keuring")
    assert (
        information.employee_id,
        information.practitioner_id,
        information.withdrawn_at,
        information.given_by,
    ) == (
        employee.pk,
        practitioner.pk,
        withdrawn,
        "Eva Werknemer",
    )
    assert new.get_model("medical", "InformationConsent").objects.get().register_entry_id == information.pk
    assert (outcome.applicant_id, outcome.employer_id, outcome.given_at, outcome.given_by) == (
        applicant.pk,
        employer.pk,
        released,
        "Sanne Sollicitant",
    )
    assert new.get_model("prevention", "PreEmploymentExam").objects.get().outcome_consent_id == outcome.pk
    assert (
        new.get_model("privacy", "ProcessingActivity")
        .objects.filter(code="toestemming-en-verstrekking")
        .exists()
    )
