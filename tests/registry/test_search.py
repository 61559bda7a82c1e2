"""Issue 18: the global search in the header, over real HTTP: staff only, within what they may see,
audited like any list, paginated, and as cheap for three results as for one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arbo.audit.models import AuditEvent
from arbo.registry import queries as registry_queries
from arbo.registry.models import Employee, Employment
from tests import factories as f

pytestmark = pytest.mark.django_db

SEARCH = reverse("registry:search")


def test_staff_find_an_employee_by_name_number_or_full_bsn(
    mfa_client, casemanager_carla, employee_of_a
) -> None:
    client = mfa_client(casemanager_carla)
    number = employee_of_a.employments.first().personnel_number

    for query in (employee_of_a.surname, number, employee_of_a.bsn):
        page = client.get(SEARCH, {"q": query}).content.decode()
        assert employee_of_a.get_absolute_url() in page, query
    partial_bsn = client.get(SEARCH, {"q": employee_of_a.bsn[:6]}).content.decode()
    assert employee_of_a.get_absolute_url() not in partial_bsn


def test_staff_find_an_employer_by_name_or_kvk(mfa_client, casemanager_carla, employer_a, employer_b) -> None:
    client = mfa_client(casemanager_carla)

    by_name = client.get(SEARCH, {"q": "Aalbers"}).content.decode()
    by_kvk = client.get(SEARCH, {"q": employer_a.kvk_number}).content.decode()
    other = client.get(SEARCH, {"q": employer_b.kvk_number}).content.decode()

    assert employer_a.get_absolute_url() in by_name
    assert employer_a.get_absolute_url() in by_kvk
    assert employer_b.get_absolute_url() not in other  # not served: not found


def test_the_search_finds_nobody_the_user_may_not_see_and_audits_what_it_lists(
    mfa_client, casemanager_carla, employee_of_a, employee_of_b
) -> None:
    client = mfa_client(casemanager_carla)

    page = client.get(SEARCH, {"q": employee_of_b.surname}).content.decode()
    client.get(SEARCH, {"q": employee_of_a.surname})

    assert employee_of_b.get_absolute_url() not in page
    listed = AuditEvent.objects.filter(actor=casemanager_carla, event="registry.employee_listed")
    assert employee_of_b.pk not in set(listed.values_list("subject_id", flat=True))
    assert employee_of_a.pk in set(listed.values_list("subject_id", flat=True))


def test_only_staff_get_the_search(mfa_client, hr_wim, employee_eva, casemanager_carla) -> None:
    for user in (hr_wim, employee_eva):
        client = mfa_client(user)
        assert client.get(SEARCH, {"q": "a"}).status_code == 404
        assert 'role="search" class="site-search"' not in client.get(reverse("portal:work")).content.decode()
        client.logout()
    client = mfa_client(casemanager_carla)
    assert 'role="search" class="site-search"' in client.get(reverse("portal:work")).content.decode()


def test_doctors_are_offered_break_the_glass_from_the_search(
    mfa_client, doctor_bram, casemanager_carla
) -> None:
    link = reverse("care:break_the_glass")
    assert link in mfa_client(doctor_bram).get(SEARCH, {"q": "Onbekend"}).content.decode()
    assert link not in mfa_client(casemanager_carla).get(SEARCH, {"q": "Onbekend"}).content.decode()


def test_the_search_is_paginated_and_costs_the_same_for_three_results(
    mfa_client, casemanager_carla, employer_a
) -> None:
    client = mfa_client(casemanager_carla)
    f.EmploymentFactory(employer=employer_a, employee__surname="Zoekmans")
    url = f"{SEARCH}?q=Zoekmans"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    f.EmploymentFactory(employer=employer_a, employee__surname="Zoekmans")
    f.EmploymentFactory(employer=employer_a, employee__surname="Zoekmans")
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()

    assert len(three.captured_queries) == len(one.captured_queries)
    assert page.count("Zoekmans,") == 3
    for _ in range(20):
        f.EmploymentFactory(employer=employer_a, employee__surname="Zoekmans")
    first = client.get(url).content.decode()
    assert first.count("Zoekmans,") == 20
    assert "Pagina 1 van 2" in first
    assert client.get(url + "&page=2").content.decode().count("Zoekmans,") == 3


@pytest.mark.parametrize("large", [False, True])
def test_the_employer_filter_finds_the_employer_s_employees_in_either_sql_form(
    employer_a, employer_b, monkeypatch, large
) -> None:
    """Issue 12: a small employer's employees are read as a list of ids, a large one's row by row."""
    both = f.EmploymentFactory(employer=employer_b).employee
    f.EmploymentFactory(employer=employer_a, employee=both, personnel_number="TWEE-1")
    if large:
        monkeypatch.setattr(registry_queries, "LARGE_SET", 1)
    found = registry_queries.search_employees(Employee.objects.all(), "", employer=employer_a)

    assert sorted(e.pk for e in found) == sorted(
        Employment.objects.filter(employer=employer_a).values_list("employee_id", flat=True)
    )
    assert len(found) == 4
