"""Registry pages through real HTTP: visibility, categories, audit, bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arbo.audit.models import AuditEvent
from arbo.registry.models import Employee, Employment
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("registry:employee_list")


def _detail(employee: Employee) -> str:
    return reverse("registry:employee_detail", args=[employee.pk])


def test_casemanager_lists_only_employees_of_served_employers(
    mfa_client, casemanager_carla, employer_a, employer_b
) -> None:
    client = mfa_client(casemanager_carla)

    response = client.get(LIST)

    html = response.content.decode()
    for job in employer_a.employments.select_related("employee"):
        assert job.employee.surname in html
        assert job.employee.bsn_masked in html
    for job in employer_b.employments.select_related("employee"):
        assert f">{job.personnel_number}<" not in html
    listed = AuditEvent.objects.filter(actor=casemanager_carla, event="registry.employee_listed")
    assert sorted(listed.values_list("subject_id", flat=True)) == sorted(
        employer_a.employments.values_list("employee_id", flat=True)
    )
    assert set(listed.values_list("category", flat=True)) == {"AD"}


def test_secretary_sees_names_but_no_bsn(mfa_client, secretary_sara, employee_of_a) -> None:
    client = mfa_client(secretary_sara)

    listing = client.get(LIST).content.decode()
    detail = client.get(_detail(employee_of_a)).content.decode()

    assert employee_of_a.surname in listing
    assert employee_of_a.bsn_masked not in listing
    assert "BSN" not in detail
    assert employee_of_a.bsn_masked not in detail
    assert employee_of_a.bsn not in detail
    assert AuditEvent.objects.get(actor=secretary_sara, event="registry.employee_viewed").category == "D"


def test_other_employers_employee_is_404_for_employer_user(mfa_client, outsider_olaf, employee_of_a) -> None:
    client = mfa_client(outsider_olaf)

    response = client.get(_detail(employee_of_a))

    assert response.status_code == 404
    assert employee_of_a.surname not in response.content.decode()
    assert not AuditEvent.objects.filter(actor=outsider_olaf, event="registry.employee_viewed").exists()


def test_unrelated_staff_member_gets_404(mfa_client, casemanager_carla, employee_of_b) -> None:
    client = mfa_client(casemanager_carla)

    assert client.get(_detail(employee_of_b)).status_code == 404
    assert client.get(reverse("registry:employee_edit", args=[employee_of_b.pk])).status_code == 404


def test_employer_user_sees_own_employee(mfa_client, hr_wim, employee_of_a) -> None:
    client = mfa_client(hr_wim)

    response = client.get(_detail(employee_of_a))

    html = response.content.decode()
    assert response.status_code == 200
    assert employee_of_a.full_name in html
    assert employee_of_a.bsn_masked in html
    assert employee_of_a.bsn not in html


def test_employee_sees_own_data_and_nobody_else(mfa_client, employee_eva, employee_of_a, employer_a) -> None:
    client = mfa_client(employee_eva)
    colleague = employer_a.employments.exclude(employee=employee_of_a).first().employee

    own = client.get(reverse("registry:my_data"))

    assert employee_of_a.full_name in own.content.decode()
    assert client.get(_detail(colleague)).status_code == 404
    assert AuditEvent.objects.get(actor=employee_eva, event="registry.own_data_viewed").basis == "self"


def test_search_by_full_bsn_uses_blind_index(mfa_client, casemanager_carla, employer_a) -> None:
    client = mfa_client(casemanager_carla)
    target = employer_a.employments.first().employee

    exact = client.get(LIST, {"q": target.bsn}).content.decode()
    partial = client.get(LIST, {"q": target.bsn[:5]}).content.decode()

    assert target.full_name.split()[-1] in exact
    assert re.findall(r'href="/registry/employees/(\d+)/"', exact) == [str(target.pk)]
    assert 'href="/registry/employees/' + str(target.pk) not in partial


def test_each_listed_row_links_to_the_employee_file(mfa_client, casemanager_carla, employer_a) -> None:
    """The list builds the rows' links from its own URL (issue 12): each is the file's URL."""
    response = mfa_client(casemanager_carla).get(LIST)

    rows = response.context["rows"]
    assert rows
    html = response.content.decode()
    for employee in rows:
        assert employee.listed_url == employee.get_absolute_url() == _detail(employee)
        assert f'<a href="{_detail(employee)}">{employee.surname},' in html


def test_list_query_count_does_not_grow_with_rows(mfa_client, casemanager_carla, employer_a) -> None:
    client = mfa_client(casemanager_carla)
    client.get(LIST)  # warm up: session and authenticator lookups of a first request
    with CaptureQueriesContext(connection) as three_rows:
        client.get(LIST)
    f.EmploymentFactory.create_batch(20, employer=employer_a)

    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(LIST)

    assert len(re.findall(r'href="/registry/employees/\d+/"', response.content.decode())) == 23
    assert len(many_rows) == len(three_rows)


def _employee_post(employer_id: int, **overrides: str) -> dict[str, str]:
    data = {
        "employer": str(employer_id),
        "initials": "K.",
        "first_names": "Kees",
        "surname": "Kraaijeveld",
        "gender": "m",
        "birth_date": "1980-02-03",
        "street": "Laan",
        "house_number": "4",
        "postcode": "1234ab",
        "city": "Amersfoort",
        "bsn": "111222333",
        "employment-personnel_number": "NEW-1",
        "employment-job_title": "Bakker",
        "employment-starts_on": "2023-01-01",
        "employment-hours_per_week": "32",
        "employment-contract_type": "vast",
    }
    data.update(overrides)
    return data


def test_create_employee_saves_person_employment_and_audit(mfa_client, casemanager_carla, employer_a) -> None:
    client = mfa_client(casemanager_carla)

    response = client.post(reverse("registry:employee_create"), _employee_post(employer_a.pk))

    employee = Employee.objects.get(surname="Kraaijeveld")
    assert response.status_code == 302
    assert response["Location"] == _detail(employee)
    assert employee.bsn == "111222333"
    assert employee.postcode == "1234 AB"
    assert employee.employments.get().personnel_number == "NEW-1"
    event = AuditEvent.objects.get(event="registry.employee_created")
    assert (event.actor, event.subject_id, event.action) == (casemanager_carla, employee.pk, "create")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bsn", "111222334", "elfproef"),
        ("postcode", "12345", "postcode"),
        ("birth_date", "31-02-1980", "geldige datum"),
        ("surname", "", "verplicht"),
        ("employment-ends_on", "2022-01-01", "vóór de datum in dienst"),
        ("employment-hours_per_week", "120", "tussen 0 en 99,9"),
        # Issue 19: the same date rules and messages as the API and the roster (arbo.lib.dates).
        ("birth_date", "0001-01-01", "De datum 1 januari 0001 ligt te ver terug"),
        ("birth_date", "9999-12-31", "De geboortedatum 31 december 9999 ligt in de toekomst."),
        ("employment-starts_on", "9999-12-31", "ligt te ver vooruit"),
        ("employment-personnel_number", "NEW 1", "Een personeelsnummer bevat geen spaties"),
    ],
)
def test_create_employee_with_bad_input_saves_nothing(
    mfa_client, casemanager_carla, employer_a, field, value, message
) -> None:
    client = mfa_client(casemanager_carla)
    before = (
        Employee.objects.count(),
        Employment.objects.count(),
        AuditEvent.objects.exclude(action="read").count(),
    )

    response = client.post(
        reverse("registry:employee_create"), _employee_post(employer_a.pk, **{field: value})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Er is niets opgeslagen" in html
    after = (
        Employee.objects.count(),
        Employment.objects.count(),
        AuditEvent.objects.exclude(action="read").count(),
    )
    assert after == before


def test_duplicate_personnel_number_is_refused(mfa_client, casemanager_carla, employer_a) -> None:
    client = mfa_client(casemanager_carla)
    taken = employer_a.employments.first().personnel_number
    before = Employee.objects.count()

    response = client.post(
        reverse("registry:employee_create"),
        _employee_post(employer_a.pk, **{"employment-personnel_number": taken}),
    )

    assert f"Personeelsnummer {taken} is bij deze werkgever al in gebruik." in response.content.decode()
    assert Employee.objects.count() == before


def test_known_bsn_gets_new_employment_not_a_duplicate_person(
    mfa_client, doctor_bram, employer_a, employee_of_b
) -> None:
    client = mfa_client(doctor_bram)
    before = Employee.objects.count()
    employer_b_id = employee_of_b.employments.get().employer_id
    employee_of_b.phone = ""
    employee_of_b.save()
    data = _employee_post(
        employer_a.pk,
        bsn=employee_of_b.bsn,
        surname=employee_of_b.surname.upper(),
        birth_date=employee_of_b.birth_date.isoformat(),
        first_names="Anders",
        phone="0612345678",
    )

    client.post(reverse("registry:employee_create"), data)

    assert Employee.objects.count() == before
    employee_of_b.refresh_from_db()
    assert employee_of_b.first_names != "Anders"  # a new employer does not overwrite another's record
    assert employee_of_b.phone == "0612345678"  # but may fill in what was blank
    assert set(employee_of_b.employments.values_list("employer_id", flat=True)) == {
        employer_a.pk,
        employer_b_id,
    }


def test_known_bsn_with_other_name_or_birth_date_is_refused(
    mfa_client, doctor_bram, employer_a, employee_of_b
) -> None:
    client = mfa_client(doctor_bram)
    before = (Employee.objects.count(), Employment.objects.count())

    response = client.post(
        reverse("registry:employee_create"),
        _employee_post(employer_a.pk, bsn=employee_of_b.bsn, surname="Anders"),
    )

    html = response.content.decode()
    assert "Dit BSN hoort bij een persoon met een andere achternaam of geboortedatum." in html
    assert employee_of_b.first_names not in html
    assert (Employee.objects.count(), Employment.objects.count()) == before


def test_edit_employee_records_changed_fields(mfa_client, casemanager_carla, employee_of_a) -> None:
    client = mfa_client(casemanager_carla)
    job = employee_of_a.employments.get()
    data = _employee_post(
        job.employer_id,
        bsn=employee_of_a.bsn,
        surname="Nieuwenhuis",
        **{"employment-personnel_number": job.personnel_number},
    )

    client.post(reverse("registry:employee_edit", args=[employee_of_a.pk]), data)

    employee_of_a.refresh_from_db()
    assert employee_of_a.surname == "Nieuwenhuis"
    event = AuditEvent.objects.get(event="registry.employee_updated")
    assert "surname" in event.data["fields"]
    assert "bsn" not in event.data["fields"]


def test_employer_create_by_contract_manager(mfa_client, admin_anna) -> None:
    client = mfa_client(admin_anna)
    data = {
        "name": "Kapsalon Knip BV",
        "kvk_number": "1234 5678",
        "postcode": "",
        "contract-starts_on": "2025-01-01",
        "contract-services": ["verzuimbegeleiding", "pmo"],
    }

    response = client.post(reverse("registry:employer_create"), data)

    from arbo.registry.models import Employer

    employer = Employer.objects.get(name="Kapsalon Knip BV")
    assert response["Location"] == employer.get_absolute_url()
    assert employer.kvk_number == "12345678"
    assert employer.contracts.get().services == ["verzuimbegeleiding", "pmo"]
    assert employer.contracts.get().starts_on == dt.date(2025, 1, 1)


def test_employer_create_rejects_bad_kvk_and_saves_nothing(mfa_client, admin_anna) -> None:
    from arbo.registry.models import Employer

    client = mfa_client(admin_anna)
    before = Employer.objects.count()

    response = client.post(
        reverse("registry:employer_create"),
        {"name": "X", "kvk_number": "123", "contract-starts_on": "2025-01-01"},
    )

    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in response.content.decode()
    assert Employer.objects.count() == before


def test_casemanager_cannot_create_employers(mfa_client, casemanager_carla) -> None:
    client = mfa_client(casemanager_carla)

    assert client.get(reverse("registry:employer_create")).status_code == 404


def test_anonymous_user_is_sent_to_login(client, employee_of_a) -> None:
    response = client.get(_detail(employee_of_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_hidden_characters_never_reach_the_register(mfa_client, casemanager_carla, employer_a) -> None:
    client = mfa_client(casemanager_carla)
    data = _employee_post(
        employer_a.pk, surname="Kraai\u200bjeveld\x00", **{"employment-personnel_number": "\ufeffNEW-1\u200b"}
    )

    response = client.post(reverse("registry:employee_create"), data)

    assert response.status_code == 302
    employee = Employee.objects.get(surname="Kraaijeveld")
    assert employee.employments.get().personnel_number == "NEW-1"
