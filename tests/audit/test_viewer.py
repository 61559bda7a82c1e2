"""The privacy officer's audit viewer."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from arbo.audit import log
from arbo.audit.events import describe
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("audit:viewer")


@pytest.fixture
def officer() -> User:
    user = f.UserFactory(username="piet", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.PRIVACY_OFFICER)
    return user


def test_filters_by_subject_bsn_emergency_and_denied(
    mfa_client, officer, casemanager_carla, employee_of_a, employee_of_b
) -> None:
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    log.record(
        casemanager_carla,
        log.Action.READ,
        "registry.employee_viewed",
        subject=employee_of_b,
        basis=log.Basis.EMERGENCY,
    )
    log.record(None, log.Action.LOGIN, "identity.login_failed", outcome=log.Outcome.DENIED)
    client = mfa_client(officer)

    by_bsn = client.get(URL, {"subject": employee_of_a.bsn}).content.decode()
    emergency = client.get(URL, {"emergency": "on"}).content.decode()
    denied = client.get(URL, {"denied": "on"}).content.decode()

    assert by_bsn.count("bekeek de persoonsgegevens van de werknemer") == 1
    assert escape(str(employee_of_a)) in by_bsn
    assert escape(str(employee_of_b)) in emergency
    assert escape(str(employee_of_a)) not in emergency
    # staff read a label in their own words, not the code and not the employee's sentence
    assert "mislukte inlogpoging" in denied
    assert "identity.login_failed" not in denied
    assert "bekeek de persoonsgegevens" not in denied


def test_only_the_privacy_officer_opens_it(mfa_client, casemanager_carla, admin_anna) -> None:
    assert mfa_client(casemanager_carla).get(URL).status_code == 404
    assert mfa_client(admin_anna).get(URL).status_code == 404


def _rows(user: User, event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, event=event).order_by("seq"))


def test_the_officer_sees_names_and_each_naming_is_itself_logged(
    mfa_client, officer, casemanager_carla, employee_of_a, employee_of_b
) -> None:
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_b)
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_a)

    page = mfa_client(officer).get(URL).content.decode()

    assert escape(str(employee_of_a)) in page
    assert escape(str(employee_of_b)) in page
    named = _rows(officer, "audit.subject_named")
    assert sorted(r.subject_id for r in named) == sorted([employee_of_a.pk, employee_of_b.pk])
    assert {r.category for r in named} == {"D"}
    # the person reads it in "who saw my file", in their own words
    assert describe("audit.subject_named") == "zag je naam in het logboek (controle op de toegang)"


def test_an_id_whose_person_is_gone_is_shown_as_such(mfa_client, officer, casemanager_carla) -> None:
    gone = SimpleNamespace(
        pk=987654, _meta=SimpleNamespace(model_name="employee", label_lower="registry.employee")
    )
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=gone)

    page = mfa_client(officer).get(URL).content.decode()

    assert "987654" in page, page[page.find("<tbody>") : page.find("</tbody>")]
    assert "niet meer in het register" in page
    assert _rows(officer, "audit.subject_named") == []


def test_the_csv_export_holds_the_filtered_rows_with_names_and_is_audited(
    mfa_client, officer, casemanager_carla, employee_of_a, employee_of_b
) -> None:
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=employee_of_b)

    response = mfa_client(officer).get(URL, {"subject": employee_of_a.bsn, "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["seq", "occurred_at", "actor"]
    body = rows[1:]
    assert [r[7] for r in body] == [str(employee_of_a.pk)]
    assert body[0][8] == str(employee_of_a)
    assert body[0][5] == "registry.employee_viewed"
    assert str(employee_of_b) not in response.content.decode()
    exported = _rows(officer, "audit.viewer_exported")
    assert len(exported) == 1
    assert exported[0].action == log.Action.EXPORT
    assert exported[0].data["subject"] == employee_of_a.bsn
    assert [r.subject_id for r in _rows(officer, "audit.subject_exported")] == [employee_of_a.pk]


def test_a_formula_in_a_name_is_not_a_formula_in_the_export(mfa_client, officer, employee_of_a) -> None:
    reader = f.UserFactory(kind=User.Kind.STAFF, first_name="=HYPERLINK(1)", last_name="X")
    log.record(reader, log.Action.READ, "registry.employee_viewed", subject=employee_of_a)

    text = mfa_client(officer).get(URL, {"export": "csv"}).content.decode()

    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


def test_others_get_no_export(mfa_client, casemanager_carla, employee_of_a) -> None:
    response = mfa_client(casemanager_carla).get(URL, {"export": "csv"})

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(
        event__in=["audit.viewer_exported", "audit.subject_exported"]
    ).exists()


def test_the_viewer_costs_the_same_for_three_named_people(mfa_client, officer, casemanager_carla) -> None:
    people = [f.EmployeeFactory() for _ in range(3)]
    client = mfa_client(officer)
    log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=people[0])
    client.get(URL)  # the session's first request writes what later ones do not
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for person in people[1:]:
        log.record(casemanager_carla, log.Action.READ, "registry.employee_viewed", subject=person)
    with CaptureQueriesContext(connection) as three:
        page = client.get(URL).content.decode()

    assert len(three) == len(one)
    assert all(escape(str(p)) in page for p in people)
