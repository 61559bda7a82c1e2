"""The authorisation suite: every function × category × action × relationship, through real HTTP.

Generated from annex 2 (``arbo.access.matrix.MATRIX``, which the seeded database matrix equals).
Each employee file carries a canary string per category; for every case the suite asserts the
status (404 where the file is invisible), that no canary of a forbidden category appears, that
nothing is written on a denied change, and that the audit records of what was shown exist.

Cases: functions × 4 categories × 2 actions (read, change) × 4 relationships, plus employer users,
employees and employer API clients (see ``test_case_count``).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from arbo.access import care
from arbo.access.matrix import LEVELS, MATRIX
from arbo.access.models_care import DoctorTeamMember
from arbo.api import domain as api_domain
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import DOCTOR_FUNCTIONS, StaffFunction
from arbo.journal.domain import add_journal_entry
from arbo.journal.models import JournalEntry
from arbo.medical.domain import add_medical_note
from arbo.medical.models import MedicalNote
from tests import factories as f
from tests.url_scan import whole_file

pytestmark = pytest.mark.django_db

CATEGORIES = ("A", "B", "C", "D")
RELATIONSHIPS = ("related", "unrelated", "other_employer", "break_the_glass")
ACTIONS = ("read", "change")
#: Functions that share the treating doctor's patients when working under the doctor (seed 003/004).
DELEGATE_FUNCTIONS = {
    StaffFunction.CASEMANAGER_TAAKDELEGATIE,
    StaffFunction.PRAKTIJKONDERSTEUNER,
    StaffFunction.VERZUIMMEDEWERKER_GEHEIMHOUDING,
}
REASON = "Spoedvraag van de huisartsenpost, behandelend arts niet bereikbaar"


@dataclass
class File:
    """An employee of employer A with one canary per category, and the people around it."""

    employee: object
    employer_a: object
    employer_b: object
    doctor: User
    canaries: dict[str, str]


def _canary(category: str) -> str:
    return f"CANARY-{category}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def file() -> File:
    employer_a, employer_b = f.EmployerFactory(), f.EmployerFactory()
    employee = f.EmploymentFactory(employer=employer_a).employee
    f.EmploymentFactory(employer=employer_b)
    doctor = f.UserFactory(username="treating-doctor")
    f.give_function(doctor, StaffFunction.BEDRIJFSARTS)
    f.join_team(doctor, employer_a)
    care.assign_treating_doctor(employee, doctor, by=doctor)
    canaries = {c: _canary(c) for c in CATEGORIES}
    employee.stay_address = canaries["A"]
    employee.city = canaries["D"]
    employee.save()
    add_journal_entry(employee, category="B", text=canaries["B"], by=doctor)
    add_medical_note(employee, kind="diagnose", body=canaries["C"], by=doctor)
    return File(employee, employer_a, employer_b, doctor, canaries)


def _level(function: str, category: str) -> int:
    return LEVELS[MATRIX[function][CATEGORIES.index(category)]]


def _staff_user(function: str, relationship: str, file: File) -> User:
    user = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(user, function)
    f.enrol_totp(user)
    if relationship == "related":
        f.join_team(user, file.employer_a)
        if function in DOCTOR_FUNCTIONS:
            care.assign_treating_doctor(file.employee, user, by=user)
        elif function in DELEGATE_FUNCTIONS:
            DoctorTeamMember.objects.create(doctor=file.doctor, member=user, kind="delegate")
    elif relationship == "other_employer":
        f.join_team(user, file.employer_b)
    elif relationship == "break_the_glass" and function in DOCTOR_FUNCTIONS:
        # On no team of the employer: break-the-glass needs a medical manager's widening (issue 9).
        manager = f.UserFactory(kind=User.Kind.STAFF)
        f.give_function(manager, StaffFunction.MEDISCH_MANAGER)
        care.widen_break_the_glass(
            user, days=1, max_uses=2, reason="Waarneming regio Zuid deze week", by=manager
        )
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _expected_readable(function: str, relationship: str) -> set[str]:
    if relationship in ("unrelated", "other_employer"):
        return set()
    if relationship == "break_the_glass" and function not in DOCTOR_FUNCTIONS:
        return set()
    return {c for c in CATEGORIES if _level(function, c) >= 1}


STAFF_CASES = [
    (function, relationship) for function, relationship in itertools.product(sorted(MATRIX), RELATIONSHIPS)
]


@pytest.mark.parametrize(("function", "relationship"), STAFF_CASES)
def test_staff_read(function: str, relationship: str, file: File) -> None:
    user = _staff_user(function, relationship, file)
    client = _client(user)
    if relationship == "break_the_glass":
        response = client.post(
            reverse("care:break_the_glass"), {"bsn": file.employee.bsn, "reason": REASON, "confirmed": "1"}
        )
        assert response.status_code == (302 if function in DOCTOR_FUNCTIONS else 404)
    expected = _expected_readable(function, relationship)

    status, html = whole_file(client, file.employee)  # issue 18: every tab the reader is offered

    assert status == (200 if expected else 404)
    for category, canary in file.canaries.items():
        assert (canary in html) is (category in expected), (
            f"category {category} for {function}/{relationship}"
        )
        assert html.count(canary) <= 1  # shown once, in the page body
    assert "CANARY" not in html.partition("<title>")[2].partition("</title>")[0]
    viewed = AuditEvent.objects.filter(actor=user, subject_id=file.employee.pk, action="read")
    if expected:
        events = set(viewed.values_list("event", flat=True))
        assert "registry.employee_viewed" in events
        assert ("medical.notes_viewed" in events) is ("C" in expected)
        assert ("journal.entries_viewed" in events) is ("B" in expected)
        basis = {
            "related": "treatment" if "C" in expected else "authorisation",
            "break_the_glass": "emergency",
        }
        assert set(viewed.values_list("basis", flat=True)) == {basis[relationship]}
    else:
        assert viewed.count() == 0


def _post_change(client: Client, file: File, category: str, text: str):  # type: ignore[no-untyped-def]
    if category == "C":
        url = reverse("medical:add_note", args=[file.employee.pk])
        return client.post(url, {"kind": "notitie", "body": text})
    url = reverse("journal:add_entry", args=[file.employee.pk])
    return client.post(url, {"category": category, "text": text})


def _written(category: str, text: str) -> bool:
    if category == "C":
        return MedicalNote.objects.filter(author__username__startswith="user").exists()
    return JournalEntry.objects.filter(category=category, author__username__startswith="user").exists()


@pytest.mark.parametrize(("function", "relationship"), STAFF_CASES)
def test_staff_change(function: str, relationship: str, file: File) -> None:
    user = _staff_user(function, relationship, file)
    client = _client(user)
    if relationship == "break_the_glass" and function in DOCTOR_FUNCTIONS:
        client.post(
            reverse("care:break_the_glass"), {"bsn": file.employee.bsn, "reason": REASON, "confirmed": "1"}
        )
    related = bool(_expected_readable(function, relationship))

    for category in CATEGORIES:
        allowed = related and _level(function, category) >= 2
        before = AuditEvent.objects.filter(actor=user, action="create").count()
        text = _canary(category)

        response = _post_change(client, file, category, text)

        assert response.status_code == (302 if allowed else 404), f"{category} for {function}/{relationship}"
        assert _written(category, text) is allowed
        created = AuditEvent.objects.filter(actor=user, action="create").count() - before
        assert created == (1 if allowed else 0)
        if not allowed:
            assert text not in response.content.decode()


# --- Employer users, employees, API clients ----------------------------------------------------


def _employer_user(employer) -> User:  # type: ignore[no-untyped-def]
    user = f.make_employer_user(employer)
    f.enrol_totp(user)
    return user


@pytest.mark.parametrize("own", [True, False], ids=["own-employer", "other-employer"])
def test_employer_user(own: bool, file: File) -> None:
    user = _employer_user(file.employer_a if own else file.employer_b)
    client = _client(user)
    internal_note = _canary("A")
    add_journal_entry(file.employee, category="A", text=internal_note, by=file.doctor)

    status, html = whole_file(client, file.employee)
    change = _post_change(client, file, "B", "employer tries to write")

    assert status == (200 if own else 404)
    assert (file.canaries["A"] in html, file.canaries["D"] in html) == (own, own)
    assert file.canaries["B"] not in html
    assert file.canaries["C"] not in html
    assert internal_note not in html  # the journal is the arbodienst's working file, not the employer's
    assert change.status_code == 404
    assert not JournalEntry.objects.filter(author=user).exists()


@pytest.mark.parametrize("own", [True, False], ids=["self", "colleague"])
def test_employee(own: bool, file: File) -> None:
    subject = file.employee if own else f.EmploymentFactory(employer=file.employer_a).employee
    user = f.UserFactory(kind=User.Kind.EMPLOYEE)
    subject.user = user
    subject.save(update_fields=["user"])
    f.enrol_totp(user)
    client = _client(user)

    status, html = whole_file(client, file.employee)
    change = _post_change(client, file, "B", "employee tries to write")

    assert status == (200 if own else 404)
    for canary in file.canaries.values():
        assert (canary in html) is own
    assert change.status_code == 404
    if own:
        assert set(AuditEvent.objects.filter(actor=user).values_list("basis", flat=True)) == {"self"}


@pytest.mark.parametrize("own", [True, False], ids=["own-employer", "other-employer"])
def test_api_client(own: bool, file: File) -> None:
    hr = _employer_user(file.employer_a if own else file.employer_b)
    _token, secret = api_domain.create_api_client(hr.employer_memberships.get().employer, name="HR", by=hr)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = api.get(reverse("api:employee_detail", args=[file.employee.pk]))
    patch = api.patch(
        reverse("api:employee_detail", args=[file.employee.pk]), {"city": "Elders"}, format="json"
    )

    body = response.content.decode()
    assert response.status_code == (200 if own else 404)
    assert (file.canaries["D"] in body) is own
    assert (file.employee.bsn_masked in body) is own
    for category in ("B", "C"):
        assert file.canaries[category] not in body
    assert patch.status_code == (200 if own else 404)
    file.employee.refresh_from_db()
    assert (file.employee.city == "Elders") is own


def test_case_count() -> None:
    """The number of authorisation cases this suite runs (quoted in docs/privacy.md)."""
    staff = len(MATRIX) * len(CATEGORIES) * len(ACTIONS) * len(RELATIONSHIPS)
    others = 2 + 2 + 2
    assert (len(MATRIX), staff, others) == (25, 800, 6)
