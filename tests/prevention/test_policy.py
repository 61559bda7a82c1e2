"""policy.applicants_visible_to / can_read_exam_results / can_examine_applicant /
can_receive_exam_outcome: who reaches an applicant at all, and who reads results."""

from __future__ import annotations

import pytest

from arbo.access import policy
from arbo.api import domain as api_domain
from arbo.identity.roles import StaffFunction
from tests.prevention.conftest import make_staff

pytestmark = pytest.mark.django_db


def _rights(user, applicant) -> tuple[bool, bool, bool, bool]:  # type: ignore[no-untyped-def]
    return (
        policy.applicants_visible_to(user).filter(pk=applicant.pk).exists(),
        policy.can_read_exam_results(user, applicant),
        policy.can_examine_applicant(user, applicant),
        policy.can_receive_exam_outcome(user, applicant),
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("doctor_bram", (True, True, True, False)),
        ("hr_wim", (True, False, False, True)),
        ("outsider_olaf", (False, False, False, False)),
        ("casemanager_carla", (False, False, False, False)),
        ("secretary_sara", (False, False, False, False)),
        ("planner_piet", (False, False, False, False)),
        ("admin_anna", (False, False, False, False)),
        ("employee_eva", (False, False, False, False)),
    ],
)
def test_who_reaches_an_applicant(persona, expected, request, applicant_of_a) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(persona)

    assert _rights(user, applicant_of_a) == expected


def test_a_doctor_of_another_employer_and_a_stafarts_reading_only(
    employer_a, employer_b, applicant_of_a
) -> None:
    elsewhere = make_staff(StaffFunction.BEDRIJFSARTS, employer_b, username="dora")
    stafarts = make_staff(StaffFunction.STAFARTS, employer_a, username="stan")

    assert _rights(elsewhere, applicant_of_a) == (False, False, False, False)
    assert _rights(stafarts, applicant_of_a) == (True, True, True, False)


def test_an_api_client_of_the_employer_reaches_no_applicant(hr_wim, employer_a, applicant_of_a) -> None:
    token, _ = api_domain.create_api_client(employer_a, name="HR-systeem A", by=hr_wim)

    assert _rights(token.user, applicant_of_a) == (False, False, False, False)


def test_a_doctor_without_confidentiality_declaration_reaches_nothing(employer_a, applicant_of_a) -> None:
    doctor = make_staff(StaffFunction.BEDRIJFSARTS, employer_a, username="dirk")
    doctor.confidentiality_declarations.all().delete()
    doctor.forget_rights()

    assert _rights(doctor, applicant_of_a) == (False, False, False, False)
