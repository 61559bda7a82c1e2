"""Every registry, portal, audit, privacy, reporting and API URL that names an object is closed to
personas outside their rights (issue 9, item 7), as the access, medical, absence and prevention
scans are for theirs.

The URL list is read from the URLconf: every named URL of :data:`NAMESPACES` with a converter,
each filled with real objects of employer A's employee (a roster import, an inbox letter, a breach
with the employee among the affected, a complaint, a processor with a support window, an absence
case, an API client of A; the register's activity code and the report tables by name). Each URL is
requested with GET and POST as users outside the relationship; the answer must be 404 or 405
(401/403 for the API, which refuses a session user who is not an API client), no row of the
scanned apps' tables may change and nothing the persona did may be audited as allowed. Pages
legitimately open to a persona are listed in :data:`ALLOWED` with the reason.

An API client of employer B is tried on every API URL as well. A new namespace without a scan
fails ``tests/access/test_url_scans_cover_every_url.py``; a new converter without a value here
fails :func:`test_the_scan_fills_every_converter`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from arbo.absence.reports import domain as report_domain
from arbo.api import domain as api_domain
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.portal.inbox import deliver
from arbo.privacy.breaches import domain as breaches
from arbo.privacy.complaints import domain as complaints
from arbo.privacy.processors import domain as processors
from arbo.privacy.register.models import ProcessingActivity, StatementVersion
from arbo.privacy.rights import domain as rights
from arbo.registry.models_roster import RosterImport
from tests import factories as f
from tests.url_scan import all_routes, allowed_records, logged_in, persona

pytestmark = pytest.mark.django_db

NAMESPACES = ("registry", "portal", "audit", "privacy", "reporting", "api")
TABLES = ("registry", "portal", "privacy", "api", "absence", "identity")
CONVERTER = re.compile(r"<(\w+):(\w+)>")

PERSONAS = (
    "other_employer_hr",
    "other_employee",
    "other_team_casemanager",
    "other_team_doctor",
    "own_team_arbeidshygienist",
)

_PUBLIC = "the privacy statement is public (no login)"
_D = "a D function on A's team reads and changes name and address of A's employees (annex 2)"

#: Pages legitimately open to a persona, and why. Anything else must be closed.
ALLOWED: dict[str, dict[str, str]] = {
    **{who: {"privacy:statement_version": _PUBLIC} for who in PERSONAS},
    "own_team_arbeidshygienist": {
        "privacy:statement_version": _PUBLIC,
        "registry:employer_detail": _D,
        "registry:employee_detail": _D,
        # Issue 18: the file's tabs a D reader gets (the journal shows only D notes to them).
        "registry:employee_journal": _D,
        "registry:employee_history": _D,
    },
}

#: The query string a namespace's pages take their object from (the reports pick the employer so).
QUERY = {"reporting": "?employer={employer_id}"}


@dataclass
class World:
    ids: dict[str, list[Any]]

    def urls(self) -> Iterator[tuple[str, str, str]]:
        """(namespace, "namespace:name", url) of every URL of :data:`NAMESPACES` that carries a converter."""
        for namespace, name, route in all_routes():
            if namespace not in NAMESPACES or not name or not CONVERTER.search(route):
                continue
            params = [p for _kind, p in CONVERTER.findall(route)]
            query = QUERY.get(namespace, "").format(employer_id=self.ids["employer_id"][0])
            for values in itertools.product(*(self.ids[p] for p in params)):
                chosen = dict(zip(params, values, strict=True))
                url = CONVERTER.sub(lambda m, c=chosen: str(c[m.group(2)]), route)  # type: ignore[misc]
                yield namespace, f"{namespace}:{name}", url + query


@pytest.fixture
def world(employer_a, employee_of_a) -> World:  # type: ignore[no-untyped-def]
    hr = f.make_employer_user(employer_a, username="hanna")
    fg = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(fg, StaffFunction.PRIVACY_OFFICER)
    employee_of_a.user = f.UserFactory(username="eva", kind=User.Kind.EMPLOYEE)
    employee_of_a.save(update_fields=["user"])
    now = timezone.now()
    batch = RosterImport.objects.create(employer=employer_a, uploaded_by=hr, filename="personeel.csv")
    letter = deliver(
        recipient=employee_of_a.user,
        employee=employee_of_a,
        subject="Uw afspraak",
        body="Een brief",
        source="scan:1",
        sender_label="Arbodienst",
        by=None,
    )
    breach = breaches.report_breach(
        by=fg,
        summary="Lijst gemaild aan verkeerde werkgever",
        description="Verkeerde ontvanger",
        data_description="Namen en verzuimdata",
        data_categories=["D"],
        people_estimate=1,
        aware_at=now - dt.timedelta(hours=1),
        employer=employer_a,
    )
    breaches.link_affected(breach, by=fg, employees=[employee_of_a], data_categories=["D"])
    complaint = complaints.file_complaint(
        by=fg, kind="privacy", description="Mijn gegevens zijn gedeeld.", complainant=employee_of_a
    )
    processor = processors.save_processor(
        None,
        by=fg,
        name="Support BV",
        services="Beheer",
        agreement_signed_on=dt.date(2025, 1, 1),
        locations=["NL"],
        certifications=[],
        active=True,
    )
    window, _password = processors.grant_support_window(
        processor,
        by=fg,
        ticket="T-1",
        reason="Storing verhelpen in de agenda",
        starts_at=now,
        ends_at=now + dt.timedelta(hours=8),
        new_username="eng.piet",
        new_name="Piet Support",
        new_email="eng@example.org",
    )
    period = report_domain.report_sick(
        employee_of_a, by=hr, via="portal", first_sick_day=timezone.localdate() - dt.timedelta(days=3)
    )
    token, _plaintext = api_domain.create_api_client(employer_a, name="HR-systeem A", by=hr)
    # A data-subject request of the employee, decided, with its download link (issue 13).
    rights_request = rights.file_request(by=employee_of_a.user, employee=employee_of_a, kind="access")
    rights.decide(rights_request, by=fg, outcome="granted")
    download_token = rights.issue_download_link(rights_request)
    return World(
        ids={
            "employer_id": [employer_a.pk],
            "employee_id": [employee_of_a.pk],
            "import_id": [batch.pk],
            "message_id": [letter.pk],
            "breach_id": [breach.pk],
            "row_id": [breach.affected.get().pk],
            "complaint_id": [complaint.pk],
            "processor_id": [processor.pk],
            "window_id": [window.pk],
            "case_id": [period.case.pk],
            "token_id": [token.pk],
            "number": list(StatementVersion.objects.values_list("number", flat=True)[:1]),
            "code": list(ProcessingActivity.objects.values_list("code", flat=True)[:1]),
            "table": ["overzicht"],
            "fmt": ["csv", "pdf"],
            "request_id": [rights_request.pk],
            "which": ["received", "decision"],
            "token": [download_token],
        }
    )


def _post_data() -> dict[str, Any]:
    return {
        "reason": "Een reden van ruim twintig tekens lang",
        "surname": "Anders",
        "first_names": "Jan",
        "initials": "J.",
        "handler": "1",
        "decision": "notify",
        "text": "Een tekst van voldoende lengte",
        "measures": "Maatregelen genomen",
        "name": "Nieuwe naam",
        "ticket": "T-2",
        "recovered_on": "2027-01-01",
        "kind": "full",
        "data_categories": "D",
        "employees": "1",
        "new_deadline": "2027-01-01",
    }


def _send(client: Client | APIClient, method: str, url: str) -> HttpResponse:
    return client.get(url) if method == "get" else client.post(url, _post_data())  # type: ignore[return-value]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for app in TABLES
        for model in apps.get_app_config(app).get_models()
    }


def _closed(namespace: str, response: HttpResponse) -> bool:
    """404/405; the API also refuses with 401/403, and its pages for HR send a bearer to log in."""
    if response.status_code in (404, 405):
        return True
    if namespace != "api":
        return False
    return response.status_code in (401, 403) or response.get("Location", "").startswith("/accounts/login/")


def test_the_scan_fills_every_converter(world) -> None:  # type: ignore[no-untyped-def]
    urls = list(world.urls())
    names = {name for _ns, name, _url in urls}
    assert {"registry:employee_edit", "registry:roster_commit", "portal:letter"} <= names
    assert {"privacy:breach_close", "privacy:complaint_decide", "privacy:support_window_revoke"} <= names
    assert {"api:client_revoke", "api:absence_recovery", "reporting:export", "privacy:register_edit"} <= names
    assert {name for allowed in ALLOWED.values() for name in allowed} <= names


@pytest.mark.parametrize("who", PERSONAS)
def test_every_url_is_closed_outside_the_personas_rights(who, world, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    allowed = ALLOWED.get(who, {})
    user = persona(who, employer_a, employer_b)
    client = logged_in(user)
    before = _snapshot()
    answered: set[str] = set()
    closed = 0
    for namespace, name, url in world.urls():
        for method in ("get", "post"):
            if name not in allowed:
                response = _send(client, method, url)
                assert _closed(namespace, response), (who, name, url, method, response.status_code)
                closed += 1
                continue
            with transaction.atomic():
                response = _send(client, method, url)
                transaction.set_rollback(True)
            assert response.status_code in (200, 302, 405), (who, name, url, method, response.status_code)
            if response.status_code != 405:
                answered.add(name)
    assert closed >= 40
    assert [label for label, rows in _snapshot().items() if before[label] != rows] == []
    assert allowed_records(user) == []
    assert answered == set(allowed)


def test_another_employers_api_client_reaches_no_api_url(world, employer_b) -> None:  # type: ignore[no-untyped-def]
    hr_b = f.make_employer_user(employer_b, username="olga")
    token, plaintext = api_domain.create_api_client(employer_b, name="HR-systeem B", by=hr_b)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    # The token records when it was last used; everything else must stay as it was.
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    before = _snapshot()
    checked = 0
    for namespace, name, url in world.urls():
        if namespace != "api":
            continue
        for method in ("get", "post"):
            response = _send(client, method, url)
            assert _closed(namespace, response), (name, url, method, response.status_code)
            checked += 1
    assert checked >= 8
    assert [label for label, rows in _snapshot().items() if before[label] != rows] == []
    assert allowed_records(token.user) == []
