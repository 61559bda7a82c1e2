"""Issue 12: the employee list counts at most a cap of rows, and its employer filter comes from the employers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arbo.lib import pagination
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("registry:employee_list")


def test_past_the_cap_the_list_says_more_than_and_pages_up_to_it(
    monkeypatch, mfa_client, casemanager_carla, employer_a
) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    f.EmploymentFactory.create_batch(5, employer=employer_a)  # 8 employees, 2 a page
    monkeypatch.setattr("arbo.registry.views.PAGE_SIZE", 2)
    client = mfa_client(casemanager_carla)

    first = client.get(LIST).content.decode()
    beyond = client.get(LIST + "?page=9").content.decode()

    assert "Pagina 1 van 2 (meer dan 4 werknemers" in first
    assert "Pagina 2 van 2 (meer dan 4 werknemers" in beyond  # the last page within the cap


def test_below_the_cap_the_count_is_exact(mfa_client, casemanager_carla) -> None:
    response = mfa_client(casemanager_carla).get(LIST)

    assert "Pagina 1 van 1 (3 werknemers)" in response.content.decode()


def test_the_employer_filter_offers_the_employers_whose_employees_the_user_reaches(
    mfa_client, casemanager_carla, employer_a, employer_b, employee_of_b
) -> None:
    from arbo.access.models_care import CareRelationship

    empty = f.EmployerFactory(name="Zonder Personeel BV")
    f.join_team(casemanager_carla, empty)
    f.EmployerFactory(name="Niet Bediend BV")
    client = mfa_client(casemanager_carla)
    assert 'id="employer-filter"' not in client.get(LIST).content.decode()  # one employer: no filter
    CareRelationship.objects.create(
        employee=employee_of_b, user=casemanager_carla, kind=CareRelationship.Kind.CASE_HANDLER
    )
    f.join_team(casemanager_carla, employer_b)

    html = client.get(LIST).content.decode()

    assert f'<option value="{employer_a.pk}"' in html
    assert f'<option value="{employer_b.pk}"' in html
    assert "Zonder Personeel" not in html
    assert "Niet Bediend" not in html
