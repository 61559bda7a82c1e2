"""Prevention fixtures: canaries in every category C field, and the people who may or may not see them.

- ``doctor_bram`` (conftest) is made treating doctor of ``employee_of_a`` and examines applicants of A.
- ``planner_piet``: planner on A's team (D only). ``casemanager_carla`` (conftest): A, B, D.
- ``applicant_of_a`` / ``applicant_of_b``: applicants of employers A and B.
"""

from __future__ import annotations

import datetime as dt

import pytest

from arbo.access import care
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.prevention import domain
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from arbo.registry.models import Applicant
from tests import factories as f

#: One canary per category C text field; none may reach anyone who may not read category C.
CANARY = {
    "pmo_results": "CANARY-PMO-RESULTS-audiogram-dip-4kHz",
    "pmo_advice": "CANARY-PMO-ADVICE-gehoorbescherming",
    "exposure_agent": "CANARY-EXPOSURE-AGENT-benzeen",
    "exposure_source": "CANARY-EXPOSURE-SOURCE-tankreiniging",
    "exposure_details": "CANARY-EXPOSURE-DETAILS-dosis-12ppm",
    "keuring_results": "CANARY-KEURING-RESULTS-visus-links-0.4",
}
EXAM_DATE = dt.date(2025, 3, 3)


def make_staff(function: str, *employers, username: str) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username=username, kind=User.Kind.STAFF)
    f.give_function(user, function)
    for employer in employers:
        f.join_team(user, employer)
    return user


def make_applicant(employer, **kwargs) -> Applicant:  # type: ignore[no-untyped-def]
    fields = {
        "first_names": "Sanne",
        "surname": "Sollicitant",
        "birth_date": dt.date(1995, 4, 1),
        "position": "Heftruckchauffeur",
        **kwargs,
    }
    return Applicant.objects.create(employer=employer, **fields)


@pytest.fixture
def planner_piet(employer_a) -> User:  # type: ignore[no-untyped-def]
    return make_staff(StaffFunction.PLANNER, employer_a, username="piet")


@pytest.fixture
def treating_bram(doctor_bram, employee_of_a) -> User:  # type: ignore[no-untyped-def]
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    return doctor_bram


@pytest.fixture
def applicant_of_a(employer_a) -> Applicant:  # type: ignore[no-untyped-def]
    return make_applicant(employer_a)


@pytest.fixture
def applicant_of_b(employer_b) -> Applicant:  # type: ignore[no-untyped-def]
    return make_applicant(employer_b, first_names="Bart", surname="Buitenstaander")


@pytest.fixture
def canary_file(treating_bram, employee_of_a, applicant_of_a) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A PMO, an exposure record and a pre-employment exam with canaries in every C field."""
    exam = domain.record_periodic_exam(
        employee_of_a,
        programme=PeriodicExam.Programme.NOISE,
        exam_date=EXAM_DATE,
        results=CANARY["pmo_results"],
        advice=CANARY["pmo_advice"],
        conclusion=PeriodicExam.Conclusion.REFERRED,
        by=treating_bram,
    )
    exposure = domain.record_exposure(
        employee_of_a,
        kind=ExposureRecord.Kind.CARCINOGENIC,
        agent=CANARY["exposure_agent"],
        source=CANARY["exposure_source"],
        details=CANARY["exposure_details"],
        exposure_start=dt.date(2019, 1, 1),
        exposure_end=dt.date(2021, 6, 30),
        by=treating_bram,
    )
    keuring = domain.record_pre_employment_exam(
        applicant_of_a,
        kind=PreEmploymentExam.Kind.GENERAL,
        exam_date=EXAM_DATE,
        results=CANARY["keuring_results"],
        outcome=PreEmploymentExam.Outcome.NOT_SUITABLE,
        by=treating_bram,
    )
    return {"exam": exam, "exposure": exposure, "keuring": keuring}
