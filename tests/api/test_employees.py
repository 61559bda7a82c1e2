"""/api/v1/employees/: one employer's employees, categories A and D, over real HTTP with a token."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from arbo.audit.models import AuditEvent
from arbo.registry.models import Employee, Employment
from tests import factories as f

LIST_URL = "/api/v1/employees/"

#: Every key an employee in the API may have; each maps to a category A or D field.
EMPLOYEE_KEYS = {
    "id",
    "initials",
    "first_names",
    "tussenvoegsel",
    "surname",
    "gender",
    "birth_date",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "mobile",
    "email",
    "bsn",
    "employments",
}
EMPLOYMENT_KEYS = {
    "id",
    "personnel_number",
    "job_title",
    "department",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "contract_type",
}


def detail_url(employee: Employee) -> str:
    return f"/api/v1/employees/{employee.pk}/"


def new_employee(**overrides: object) -> dict:
    body = {
        "initials": "A.B.",
        "first_names": "Anna Berendina",
        "tussenvoegsel": "van",
        "surname": "Dijk",
        "gender": "v",
        "birth_date": "1990-03-14",
        "street": "Kerkstraat",
        "house_number": "12a",
        "postcode": "1234ab",
        "city": "Utrecht",
        "email": "anna@example.nl",
        "bsn": f.valid_bsn(9000),
        "employment": {
            "personnel_number": "NEW-001",
            "job_title": "Bakker",
            "starts_on": "2025-02-01",
            "hours_per_week": "32.0",
            "contract_type": "tijdelijk",
        },
    }
    body.update(overrides)
    return body


# --- List -------------------------------------------------------------------------------------


def test_list_returns_exactly_employer_a_employees(api_a, employer_a, employer_b):
    # Canary names: a random surname of B's could also be a substring of one of A's.
    for n, employee in enumerate(Employee.objects.filter(employments__employer=employer_b)):
        Employee.objects.filter(pk=employee.pk).update(surname=f"Kanarie{n}qx", first_names=f"Vogel{n}qx")
    response = api_a.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    expected = set(Employee.objects.filter(employments__employer=employer_a).values_list("pk", flat=True))
    assert len(expected) == 3
    assert {row["id"] for row in body["results"]} == expected
    assert body["next"] is None
    text = response.content.decode()
    for employee in Employee.objects.filter(employments__employer=employer_b):
        assert employee.surname not in text
        assert employee.first_names not in text
    assert employer_b.name not in text


def test_list_rows_hold_only_category_a_and_d_keys_and_a_masked_bsn(api_a, employee_of_a):
    row = next(r for r in api_a.get(LIST_URL).json()["results"] if r["id"] == employee_of_a.pk)

    assert set(row) == EMPLOYEE_KEYS
    assert row["bsn"] == "••••••" + employee_of_a.bsn[-3:]
    assert employee_of_a.bsn not in str(row)
    assert [set(e) for e in row["employments"]] == [EMPLOYMENT_KEYS]


def test_list_writes_one_read_audit_record_per_listed_employee(api_a, token_a, employer_a):
    response = api_a.get(LIST_URL, {"limit": 2})

    listed = [row["id"] for row in response.json()["results"]]
    assert len(listed) == 2
    events = AuditEvent.objects.filter(event="api.employees_listed")
    assert sorted(events.values_list("subject_id", flat=True)) == sorted(listed)
    assert {(e.actor_id, e.action, e.category, e.subject_kind) for e in events} == {
        (token_a[0].user_id, AuditEvent.Action.READ, "AD", "employee")
    }


def test_list_is_paginated_by_cursor_in_the_order_of_registration(api_a, employer_a):
    first = api_a.get(LIST_URL, {"limit": 2}).json()
    second = api_a.get(first["next"]).json()

    assert set(first) == {"next", "previous", "results"}  # no count of the whole list (issue 12)
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == sorted(set(ids))


def test_person_employed_at_both_shows_only_own_employer_employment(api_a, employer_b, employee_of_a):
    f.EmploymentFactory(employee=employee_of_a, employer=employer_b, personnel_number="SECRET-B-77")

    response = api_a.get(detail_url(employee_of_a))

    employments = response.json()["employments"]
    own = Employment.objects.get(employee=employee_of_a, employer=employee_of_a.employments.first().employer)
    assert [e["id"] for e in employments] == [own.pk]
    assert "SECRET-B-77" not in response.content.decode()


# --- Detail -----------------------------------------------------------------------------------


def test_detail_of_own_employee_is_returned_and_audited(api_a, token_a, employee_of_a):
    response = api_a.get(detail_url(employee_of_a))

    assert response.status_code == 200
    assert response.json()["surname"] == employee_of_a.surname
    event = AuditEvent.objects.get(event="api.employee_viewed")
    assert (event.actor_id, event.subject_id, event.action, event.category) == (
        token_a[0].user_id,
        employee_of_a.pk,
        AuditEvent.Action.READ,
        "AD",
    )


def test_detail_of_other_employers_employee_is_404(api_a, employee_of_b):
    response = api_a.get(detail_url(employee_of_b))

    assert response.status_code == 404
    assert response.json() == {"detail": "Werknemer niet gevonden."}
    assert employee_of_b.surname not in response.content.decode()
    assert not AuditEvent.objects.filter(subject_id=employee_of_b.pk).exists()


def test_detail_of_nonexistent_employee_is_404(api_a, employer_a):
    response = api_a.get("/api/v1/employees/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Werknemer niet gevonden."}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_writing_other_employers_employee_is_404_and_changes_nothing(api_a, employee_of_b, method):
    before = employee_of_b.surname

    response = getattr(api_a, method)(detail_url(employee_of_b), new_employee(), format="json")

    assert response.status_code == 404
    employee_of_b.refresh_from_db()
    assert employee_of_b.surname == before


# --- Create -----------------------------------------------------------------------------------


def test_create_with_bad_bsn_is_400_in_dutch_and_creates_nothing(api_a, employer_a):
    employees, employments = Employee.objects.count(), Employment.objects.count()

    response = api_a.post(LIST_URL, new_employee(bsn="123456789"), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "bsn": ["123456789 is geen geldig BSN (9 cijfers die aan de elfproef voldoen)."]
    }
    assert (Employee.objects.count(), Employment.objects.count()) == (employees, employments)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, subject_kind="employee").exists()


def test_create_with_bad_postcode_is_400_in_dutch(api_a, employer_a):
    count = Employee.objects.count()

    response = api_a.post(LIST_URL, new_employee(postcode="12345"), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "postcode": ["12345 is geen geldige Nederlandse postcode (bijvoorbeeld 1234 AB)."]
    }
    assert Employee.objects.count() == count


def test_create_without_employment_is_400(api_a, employer_a):
    body = new_employee()
    del body["employment"]

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"employment": ["Geef het dienstverband bij de werkgever op."]}


def test_create_with_duplicate_personnel_number_is_400(api_a, employer_a):
    taken = employer_a.employments.first().personnel_number
    count = Employee.objects.count()
    body = new_employee()
    body["employment"]["personnel_number"] = taken

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "employment": {"personnel_number": [f"Personeelsnummer {taken} is bij deze werkgever al in gebruik."]}
    }
    assert Employee.objects.count() == count


def test_personnel_number_of_another_employer_may_be_reused(api_a, employer_b):
    body = new_employee()
    body["employment"]["personnel_number"] = employer_b.employments.first().personnel_number

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 201


def test_create_with_unknown_or_foreign_department_is_400(api_a, employer_a, employer_b):
    f.DepartmentFactory(employer=employer_b, name="Uitvoering")
    body = new_employee()
    body["employment"]["department"] = "Uitvoering"

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "employment": {"department": ["Afdeling 'Uitvoering' bestaat niet bij deze werkgever."]}
    }


def test_create_with_end_before_start_is_400(api_a, employer_a):
    body = new_employee()
    body["employment"]["ends_on"] = "2025-01-01"

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "employment": {"ends_on": ["De datum uit dienst ligt vóór de datum in dienst."]}
    }


def test_create_of_an_existing_own_employee_is_400(api_a, employee_of_a):
    count = Employment.objects.count()

    response = api_a.post(LIST_URL, new_employee(bsn=employee_of_a.bsn), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "bsn": [
            f"Deze persoon is al werknemer van deze werkgever (id {employee_of_a.pk}); wijzig die werknemer."
        ]
    }
    assert Employment.objects.count() == count


def test_create_stores_employee_and_employment_and_audits(api_a, token_a, employer_a, department_a):
    body = new_employee()
    body["employment"]["department"] = "Bakkerij"

    response = api_a.post(LIST_URL, body, format="json")

    assert response.status_code == 201
    data = response.json()
    employee = Employee.objects.get(pk=data["id"])
    assert response["Location"] == detail_url(employee)
    assert (employee.surname, employee.tussenvoegsel, employee.bsn) == ("Dijk", "van", body["bsn"])
    assert employee.postcode == "1234 AB"
    assert employee.birth_date == dt.date(1990, 3, 14)
    employment = employee.employments.get()
    assert (employment.employer, employment.personnel_number, employment.department) == (
        employer_a,
        "NEW-001",
        department_a,
    )
    assert (employment.hours_per_week, employment.contract_type) == (Decimal("32.0"), "tijdelijk")
    assert data["bsn"] == "••••••" + body["bsn"][-3:]
    assert data["employments"][0]["department"] == "Bakkerij"
    event = AuditEvent.objects.get(event="registry.employee_created")
    assert (event.actor_id, event.subject_id, event.action) == (
        token_a[0].user_id,
        employee.pk,
        AuditEvent.Action.CREATE,
    )
    assert event.data == {"employer": employer_a.pk}


def test_created_employee_is_visible_to_the_client_and_not_to_the_other(api_a, api_b, employer_a):
    employee_id = api_a.post(LIST_URL, new_employee(), format="json").json()["id"]

    assert api_a.get(f"/api/v1/employees/{employee_id}/").status_code == 200
    assert api_b.get(f"/api/v1/employees/{employee_id}/").status_code == 404
    assert employee_id not in {r["id"] for r in api_b.get(LIST_URL).json()["results"]}


def test_create_for_a_person_known_elsewhere_adds_an_employment(api_a, employer_a, employee_of_b):
    persons = Employee.objects.count()

    payload = new_employee(
        bsn=employee_of_b.bsn, surname=employee_of_b.surname, birth_date=employee_of_b.birth_date.isoformat()
    )

    response = api_a.post(LIST_URL, payload, format="json")

    assert response.status_code == 201
    assert response.json()["id"] == employee_of_b.pk
    assert Employee.objects.count() == persons
    assert set(employee_of_b.employments.values_list("employer", flat=True)) == {
        employer_a.pk,
        employee_of_b.employments.exclude(employer=employer_a).get().employer_id,
    }
    assert len(response.json()["employments"]) == 1


def test_create_with_known_bsn_but_other_identity_is_refused(api_a, employee_of_b):
    before = (Employee.objects.count(), employee_of_b.employments.count())

    response = api_a.post(LIST_URL, new_employee(bsn=employee_of_b.bsn, surname="Onbekend"), format="json")

    assert response.status_code == 400
    assert response.json()["bsn"] == [
        "Dit BSN hoort bij een persoon met een andere achternaam of geboortedatum. Controleer de gegevens."
    ]
    assert employee_of_b.surname not in response.content.decode()
    assert (Employee.objects.count(), employee_of_b.employments.count()) == before


# --- Update -----------------------------------------------------------------------------------


def test_patch_changes_only_given_fields_and_audits(api_a, token_a, employee_of_a):
    first_names = employee_of_a.first_names

    response = api_a.patch(
        detail_url(employee_of_a), {"city": "Zeist", "employment": {"job_title": "Chef"}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["city"] == "Zeist"
    assert response.json()["employments"][0]["job_title"] == "Chef"
    employee_of_a.refresh_from_db()
    assert (employee_of_a.city, employee_of_a.first_names) == ("Zeist", first_names)
    assert employee_of_a.employments.get().job_title == "Chef"
    event = AuditEvent.objects.get(event="registry.employee_updated")
    assert (event.actor_id, event.subject_id) == (token_a[0].user_id, employee_of_a.pk)
    assert event.data == {"fields": ["city", "employment.job_title"]}


def test_patch_bsn_is_normalised_and_stays_masked(api_a, employee_of_a):
    new_bsn = f.valid_bsn(9100)

    response = api_a.patch(
        detail_url(employee_of_a), {"bsn": f"{new_bsn[:4]}.{new_bsn[4:6]}.{new_bsn[6:]}"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["bsn"] == "••••••" + new_bsn[-3:]
    employee_of_a.refresh_from_db()
    assert employee_of_a.bsn == new_bsn


def test_patch_with_anothers_bsn_is_400(api_a, employee_of_a, employee_of_b):
    before = employee_of_a.bsn

    response = api_a.patch(detail_url(employee_of_a), {"bsn": employee_of_b.bsn}, format="json")

    assert response.status_code == 400
    assert response.json() == {"bsn": ["Dit BSN hoort bij een andere werknemer."]}
    employee_of_a.refresh_from_db()
    assert employee_of_a.bsn == before


def test_patch_may_keep_own_personnel_number(api_a, employee_of_a):
    number = employee_of_a.employments.get().personnel_number

    response = api_a.patch(
        detail_url(employee_of_a), {"employment": {"personnel_number": number}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["employments"][0]["personnel_number"] == number


def test_patch_with_bad_input_changes_nothing(api_a, employee_of_a):
    before = (employee_of_a.city, employee_of_a.postcode)

    response = api_a.patch(detail_url(employee_of_a), {"city": "Zeist", "postcode": "ABCD"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"postcode"}
    employee_of_a.refresh_from_db()
    assert (employee_of_a.city, employee_of_a.postcode) == before
    assert not AuditEvent.objects.filter(event="registry.employee_updated").exists()


def test_put_requires_surname_and_birth_date(api_a, employee_of_a):
    response = api_a.put(detail_url(employee_of_a), {"city": "Zeist"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"surname": ["Dit veld is vereist."], "birth_date": ["Dit veld is vereist."]}


def test_put_updates_person_and_employment(api_a, employee_of_a):
    body = new_employee(bsn=employee_of_a.bsn, surname="Jansen")
    body["employment"]["personnel_number"] = "A-1"

    response = api_a.put(detail_url(employee_of_a), body, format="json")

    assert response.status_code == 200
    employee_of_a.refresh_from_db()
    assert employee_of_a.surname == "Jansen"
    employment = employee_of_a.employments.get()
    assert (employment.personnel_number, employment.starts_on) == ("A-1", dt.date(2025, 2, 1))


def test_category_b_and_c_fields_in_a_request_are_ignored(api_a, employee_of_a):
    response = api_a.patch(
        detail_url(employee_of_a), {"diagnosis": "griep", "stay_address": "Ziekenhuis"}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()) == EMPLOYEE_KEYS
    employee_of_a.refresh_from_db()
    assert employee_of_a.stay_address == ""
