"""Category C at rest: no plaintext in any table, per-person keys, crypto-shredding, rotation."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command
from django.db import connection

from arbo.access import care
from arbo.medical import keys as medical_keys
from arbo.prevention import domain, keys, queries
from arbo.prevention.models import ApplicantDataKey, PeriodicExam, PreEmploymentExam
from tests.prevention.conftest import CANARY, EXAM_DATE, make_applicant

pytestmark = pytest.mark.django_db

OUTCOME_CODES = ("geschikt", "niet_geschikt")
CONCLUSION_CODE = "verwezen"


def _text_columns_dump() -> str:
    """Every text column of every table of this app, the medical keys and the audit log, raw."""
    tables = [t for t in connection.introspection.table_names() if t.startswith("prevention_")]
    tables += ["medical_datakey", "audit_auditevent"]
    dump = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from the schema
            dump.append(repr(cursor.fetchall()))
    return "\n".join(dump)


def test_no_category_c_plaintext_in_the_tables(canary_file) -> None:
    dump = _text_columns_dump()

    for name, canary in CANARY.items():
        assert canary not in dump, name
    # The coded C values (outcome, conclusion) are encrypted as well.
    for code in (*OUTCOME_CODES, CONCLUSION_CODE):
        assert f"'{code}'" not in dump


def test_the_doctor_reads_what_was_written(canary_file, treating_bram, employee_of_a, applicant_of_a) -> None:
    exams = queries.periodic_exams_for(treating_bram, employee_of_a)
    exposures = queries.exposures_for(treating_bram, employee_of_a)
    keuringen = queries.pre_employment_exams_for(treating_bram, applicant_of_a)

    assert [(e.results, e.advice, str(e.conclusion)) for e in exams] == [
        (CANARY["pmo_results"], CANARY["pmo_advice"], "verwezen voor nader onderzoek of behandeling")
    ]
    assert [(x.agent, x.source, x.details) for x in exposures] == [
        (CANARY["exposure_agent"], CANARY["exposure_source"], CANARY["exposure_details"])
    ]
    assert [(k.results, k.outcome) for k in keuringen] == [(CANARY["keuring_results"], "niet geschikt")]


def test_destroying_an_employees_key_shreds_their_exams_only(
    canary_file, treating_bram, employee_of_a, employee_of_b
) -> None:
    care.assign_treating_doctor(employee_of_b, treating_bram, by=treating_bram)
    domain.record_periodic_exam(
        employee_of_b,
        programme=PeriodicExam.Programme.GENERAL,
        exam_date=EXAM_DATE,
        results="B's results",
        conclusion=PeriodicExam.Conclusion.NO_FINDINGS,
        by=treating_bram,
    )

    medical_keys.destroy_data_key(employee_of_a)

    exams = queries.periodic_exams_for(treating_bram, employee_of_a)
    exposures = queries.exposures_for(treating_bram, employee_of_a)
    assert [(e.results, e.advice, e.conclusion) for e in exams] == [("", "", "")]
    assert [(x.agent, x.source, x.details) for x in exposures] == [("", "", "")]
    assert [e.results for e in queries.periodic_exams_for(treating_bram, employee_of_b)] == ["B's results"]
    with pytest.raises(keys.DataUnavailable):
        keys.decrypt(employee_of_a, PeriodicExam.objects.get(employee=employee_of_a).results_encrypted)


def test_destroying_an_applicants_key_shreds_their_exam_only(canary_file, treating_bram, employer_a) -> None:
    applicant = canary_file["keuring"].applicant  # type: ignore[attr-defined]
    other = make_applicant(employer_a, surname="Ander")
    domain.record_pre_employment_exam(
        other,
        kind="algemeen",
        exam_date=EXAM_DATE,
        results="other results",
        outcome="geschikt",
        by=treating_bram,
    )

    keys.destroy_applicant_key(applicant)

    assert [(k.results, k.outcome) for k in queries.pre_employment_exams_for(treating_bram, applicant)] == [
        ("", "")
    ]
    assert [(k.results, k.outcome) for k in queries.pre_employment_exams_for(treating_bram, other)] == [
        ("other results", "geschikt")
    ]
    assert ApplicantDataKey.objects.get(applicant=applicant).destroyed_at is not None
    with pytest.raises(keys.DataUnavailable):
        keys.decrypt(applicant, PreEmploymentExam.objects.get(applicant=applicant).results_encrypted)


def test_an_applicants_ciphertext_does_not_open_for_another_person(employer_a, employee_of_a) -> None:
    applicant, other = make_applicant(employer_a), make_applicant(employer_a, surname="Ander")
    token = keys.encrypt(applicant, "secret")
    keys.encrypt(other, "other")

    with pytest.raises(keys.DataUnavailable):
        keys.decrypt(other, token)
    # Nor does an employee's key (another key, other associated data).
    with pytest.raises(medical_keys.MedicalDataUnavailable):
        medical_keys.decrypt_for(employee_of_a, keys.encrypt(applicant, "x"))


def test_rotate_prevention_keys_rewraps_applicant_keys(settings, employer_a) -> None:  # type: ignore[no-untyped-def]
    old = "m1:" + base64.b64encode(b"1" * 32).decode()
    new = "m2:" + base64.b64encode(b"2" * 32).decode()
    settings.MEDICAL_MASTER_KEYS = old
    applicant = make_applicant(employer_a)
    token = keys.encrypt(applicant, "secret")
    settings.MEDICAL_MASTER_KEYS = f"{new},{old}"

    call_command("rotate_prevention_keys", stdout=io.StringIO())

    assert ApplicantDataKey.objects.get(applicant=applicant).master_key_id == "m2"
    settings.MEDICAL_MASTER_KEYS = new
    assert keys.decrypt(applicant, token) == "secret"
    assert keys.rewrap_applicant_keys() == 0
