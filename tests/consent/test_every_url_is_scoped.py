"""Every consent URL that names an object is closed to everyone but the person who gave the consent
(issue 9's URL scan, for the consent register of issue 16).

The URL list is read from the URLconf (every named URL of ``consent`` with an ``<int:...>`` id),
each id filled with a consent of employer A's employee, and requested with GET and POST as users
outside that relationship: the answer must be 404 or 405, the consent unchanged, and nothing the
persona did audited as allowed. The employee themself withdraws it (the control case).
"""

from __future__ import annotations

import re

import pytest

from arbo.consent import domain
from arbo.consent.models import Consent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f
from tests.url_scan import allowed_records, logged_in, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACES = ("consent",)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)
PERSONAS = (
    "other_employee",
    "other_employer_hr",
    "own_employer_hr",
    "own_team_casemanager",
    "own_team_director",
    "other_team_doctor",
)


@pytest.fixture
def consent(employee_of_a, employer_a) -> Consent:  # type: ignore[no-untyped-def]
    employee_of_a.user = f.UserFactory(username="eva", kind=User.Kind.EMPLOYEE)
    employee_of_a.save(update_fields=["user"])
    doctor = f.UserFactory(username="dokter", kind=User.Kind.STAFF)
    f.give_function(doctor, StaffFunction.BEDRIJFSARTS)
    f.join_team(doctor, employer_a)
    return domain.record_consent(
        Consent.Kind.DISCLOSURE,
        employee=employee_of_a,
        purpose="Re-integratie",
        how=Consent.How.WRITTEN,
        given_by=employee_of_a.full_name,
        category="B",
        by=doctor,
    )


def _urls(consent: Consent) -> list[tuple[str, str]]:
    return [
        (name, re.sub(r"<int:\w+>", str(consent.pk), route))
        for name, route in named_id_routes("consent")
        # The staff compose pages take an employee id and are scoped by the employee, not the consent
        # (tests/consent/test_disclosure.py covers them: 404 outside the relationship).
        if name not in {"compose", "disclosure_consent"}
    ]


def test_the_scan_finds_the_consent_urls(consent) -> None:  # type: ignore[no-untyped-def]
    assert {name for name, _url in _urls(consent)} >= {"withdraw"}


@pytest.mark.parametrize("who", PERSONAS)
def test_every_consent_url_is_closed_outside_the_relationship(who, consent, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    user = persona(who, employer_a, employer_b)
    client = logged_in(user)
    before = list(Consent.objects.values_list())
    for name, url in _urls(consent):
        for method in ("get", "post"):
            data = {"confirm": "on", "confirmed": "1"} if method == "post" else None
            response = getattr(client, method)(url, data)
            assert response.status_code in (404, 405), (who, name, method, response.status_code)
    assert list(Consent.objects.values_list()) == before
    assert allowed_records(user) == []


def test_the_person_who_gave_it_withdraws_it(consent) -> None:  # type: ignore[no-untyped-def]
    client = logged_in(consent.employee.user)
    for _name, url in _urls(consent):
        client.post(url, {"confirm": "on", "confirmed": "1"})  # issue 18: after the second step
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
