"""Issue 12: the policy decided once per request (arbo.access.scope), and both SQL forms of reach."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arbo.access import policy
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRelationship
from arbo.access.scope import access_scope
from arbo.registry.models import Employee
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_scope_decides_each_question_once(casemanager_carla, employee_of_a) -> None:
    with access_scope():
        policy.can(casemanager_carla, Action.READ, Category.A, employee_of_a)  # decides
        policy.employees_visible_to(casemanager_carla)  # builds the visibility once
        with CaptureQueriesContext(connection) as again:
            for _ in range(20):
                assert policy.can(casemanager_carla, Action.READ, Category.A, employee_of_a)
                policy.employees_visible_to(casemanager_carla)

    assert len(again) == 0


def test_outside_a_scope_every_call_decides_afresh(casemanager_carla, employee_of_a) -> None:
    policy.can(casemanager_carla, Action.READ, Category.A, employee_of_a)
    with CaptureQueriesContext(connection) as again:
        policy.can(casemanager_carla, Action.READ, Category.A, employee_of_a)

    assert len(again) > 0


def test_a_relationship_written_in_the_request_counts_at_once(casemanager_carla, employee_of_b) -> None:
    with access_scope():
        assert not policy.can(casemanager_carla, Action.READ, Category.A, employee_of_b)
        CareRelationship.objects.create(
            employee=employee_of_b, user=casemanager_carla, kind=CareRelationship.Kind.CASE_HANDLER
        )
        assert policy.can(casemanager_carla, Action.READ, Category.A, employee_of_b)
        CareRelationship.objects.filter(user=casemanager_carla).delete()
        assert not policy.can(casemanager_carla, Action.READ, Category.A, employee_of_b)


def test_each_request_has_its_own_scope(mfa_client, casemanager_carla, employee_of_b) -> None:
    client = mfa_client(casemanager_carla)
    detail = reverse("registry:employee_detail", args=[employee_of_b.pk])
    assert client.get(detail).status_code == 404
    CareRelationship.objects.create(
        employee=employee_of_b, user=casemanager_carla, kind=CareRelationship.Kind.CASE_HANDLER
    )

    assert client.get(detail).status_code == 200


@pytest.mark.parametrize("large_reach", [1, 10_000], ids=["per-row EXISTS", "IN (UNION ALL)"])
def test_both_sql_forms_reach_the_same_employees(
    monkeypatch, large_reach, casemanager_carla, hr_wim, employer_a, employee_of_b
) -> None:
    """A small reach is read as ``pk IN (… UNION ALL …)``, a large one row by row: same answer."""
    monkeypatch.setattr(policy, "LARGE_REACH", large_reach)
    CareRelationship.objects.create(
        employee=employee_of_b, user=casemanager_carla, kind=CareRelationship.Kind.CASE_HANDLER
    )
    second_job = f.EmploymentFactory(employer=employer_a)  # someone with two employers, listed once
    f.EmploymentFactory(employer=employee_of_b.employments.get().employer, employee=second_job.employee)
    of_a = set(Employee.objects.filter(employments__employer=employer_a).values_list("pk", flat=True))

    reached = list(policy.employees_visible_to(casemanager_carla).values_list("pk", flat=True))
    by_hr = list(policy.employees_visible_to(hr_wim).values_list("pk", flat=True))

    assert sorted(reached) == sorted(of_a | {employee_of_b.pk})
    assert sorted(by_hr) == sorted(of_a)


def test_a_restriction_written_in_the_request_counts_at_once(casemanager_carla, employee_of_a) -> None:
    """``is_restricted`` is memoised per request too (and answered by the staff facts); placing or
    lifting a restriction empties the memo, so a change is refused at once."""
    from arbo.privacy.rights import domain as rights

    with access_scope():
        assert policy.can(casemanager_carla, Action.CHANGE, Category.A, employee_of_a)
        rights.restrict(employee_of_a, by=casemanager_carla, reason="test")
        assert policy.is_restricted(employee_of_a)
        assert not policy.can(casemanager_carla, Action.CHANGE, Category.A, employee_of_a)
        rights.lift_restriction(employee_of_a, by=casemanager_carla)
        assert not policy.is_restricted(employee_of_a)
        assert policy.can(casemanager_carla, Action.CHANGE, Category.A, employee_of_a)
