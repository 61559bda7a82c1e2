"""Issue 12: constant-query tests for the lists that had none (one object and three, the same count)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from arbo.access.models_care import EmergencyAccess
from arbo.api import domain as api_domain
from arbo.audit import log
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.dates import show_moment
from tests import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.get(url)  # the session's first request writes what later ones do not
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_employer_list_costs_the_same_for_three_employers(casemanager_carla, mfa_client) -> None:
    client = mfa_client(casemanager_carla)
    one, _ = _queries(client, reverse("registry:employer_list"))
    for name in ("Bakkerij Drie BV", "Bouw Vier BV"):
        f.join_team(casemanager_carla, f.EmployerFactory(name=name))
    three, page = _queries(client, reverse("registry:employer_list"))

    assert three == one
    assert "Bakkerij Drie BV" in page
    assert "Bouw Vier BV" in page


def test_the_audit_viewer_costs_the_same_for_three_more_actors(mfa_client, employee_of_a) -> None:
    officer = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(officer)
    readers = [f.UserFactory(kind=User.Kind.STAFF, username="lezer-1")]
    log.record(readers[0], log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    one, _ = _queries(client, reverse("audit:viewer"))
    for n in (2, 3, 4):
        readers.append(f.UserFactory(kind=User.Kind.STAFF, username=f"lezer-{n}"))
        log.record(readers[-1], log.Action.READ, "registry.employee_viewed", subject=employee_of_a)
    three, page = _queries(client, reverse("audit:viewer"))

    assert three == one
    assert all(escape(str(reader)) in page for reader in readers)


def test_the_api_client_list_costs_the_same_for_three_clients(employer_a, hr_wim, mfa_client) -> None:
    client = mfa_client(hr_wim)
    api_domain.create_api_client(employer_a, name="Systeem 1", by=hr_wim)
    one, _ = _queries(client, reverse("api:client_list"))
    for n in (2, 3):
        api_domain.create_api_client(employer_a, name=f"Systeem {n}", by=hr_wim)
    three, page = _queries(client, reverse("api:client_list"))

    assert three == one
    assert "Systeem 3" in page


def test_the_login_attempts_cost_the_same_for_three(casemanager_carla, admin_anna, mfa_client) -> None:
    def refused() -> None:
        data = {"username": casemanager_carla.username}
        log.record(None, log.Action.LOGIN, "identity.login_failed", outcome=log.Outcome.DENIED, data=data)

    own_url = reverse("identity:my_login_attempts")
    admin_url = reverse("identity:user_login_attempts", args=[casemanager_carla.pk])
    refused()
    own_one, _ = _queries(mfa_client(casemanager_carla), own_url)
    admin_one, before = _queries(mfa_client(admin_anna), admin_url)
    refused()
    refused()
    admin_three, page = _queries(mfa_client(admin_anna), admin_url)
    own_three, _ = _queries(mfa_client(casemanager_carla), own_url)

    assert (own_three, admin_three) == (own_one, admin_one)
    assert page.count("verkeerd wachtwoord") == before.count("verkeerd wachtwoord") + 2


def test_the_emergency_review_costs_the_same_for_three_accesses(mfa_client, employee_of_a) -> None:
    officer = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(officer)

    def broke_the_glass(n: int) -> None:
        doctor = f.UserFactory(kind=User.Kind.STAFF, username=f"arts-{n}")
        EmergencyAccess.objects.create(
            user=doctor,
            employee=employee_of_a,
            reason=f"Spoed {n}",
            expires_at=timezone.now() + dt.timedelta(hours=3),
        )

    broke_the_glass(1)
    one, _ = _queries(client, reverse("care:emergency_review"))
    broke_the_glass(2)
    broke_the_glass(3)
    three, page = _queries(client, reverse("care:emergency_review"))

    assert three == one
    assert all(f"Spoed {n}" in page for n in (1, 2, 3))


def test_the_emergency_access_page_costs_the_same_for_three_reads(mfa_client, employee_of_a) -> None:
    """Issue 18: one access's page lists the records made under it, at the same cost for more."""
    from arbo.audit import log

    officer = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    doctor = f.UserFactory(kind=User.Kind.STAFF, username="arts-spoed")
    access = EmergencyAccess.objects.create(
        user=doctor, employee=employee_of_a, reason="Spoed", expires_at=timezone.now() + dt.timedelta(hours=3)
    )
    client = mfa_client(officer)
    url = reverse("care:emergency_detail", args=[access.pk])

    def read(event: str) -> None:
        log.record(doctor, log.Action.READ, event, subject=employee_of_a, basis=log.Basis.EMERGENCY)

    read("registry.employee_viewed")
    one, _ = _queries(client, url)
    read("medical.file_viewed")
    read("absence.case_viewed")
    three, page = _queries(client, url)

    assert three == one
    assert all(label in page for label in ("las het medisch dossier", "bekeek een verzuimdossier"))


def test_the_emergency_widenings_cost_the_same_for_three(mfa_client, employer_a) -> None:
    from arbo.access import care

    manager = f.UserFactory(kind=User.Kind.STAFF, username="medisch-manager")
    f.give_function(manager, StaffFunction.MEDISCH_MANAGER)
    client = mfa_client(manager)

    def widen(n: int) -> None:
        doctor = f.UserFactory(kind=User.Kind.STAFF, username=f"arts-{n}", last_name=f"Arts{n}")
        f.give_function(doctor, StaffFunction.BEDRIJFSARTS)
        care.widen_break_the_glass(
            doctor, days=2, max_uses=3, reason=f"Waarneming in de regio nummer {n}", by=manager
        )

    widen(1)
    one, _ = _queries(client, reverse("care:emergency_widenings"))
    widen(2)
    widen(3)
    three, page = _queries(client, reverse("care:emergency_widenings"))

    assert three == one
    assert all(f"Waarneming in de regio nummer {n}" in page for n in (1, 2, 3))


def test_the_letters_awaiting_paper_destruction_cost_the_same_for_three(
    mfa_client, secretary_sara, doctor_bram, employer_a
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from arbo.access import care
    from arbo.medical.records import domain as domain_records

    def file_letter() -> None:
        employee = f.EmploymentFactory(employer=employer_a).employee
        care.assign_treating_doctor(employee, doctor_bram, by=doctor_bram)
        scan = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n% brief\n%%EOF\n", content_type="application/pdf")
        domain_records.file_incoming_document(
            employee, upload=scan, received_on=timezone.localdate(), by=secretary_sara
        )

    client = mfa_client(secretary_sara)
    file_letter()
    one, _ = _queries(client, reverse("medical:letters_pending"))
    file_letter()
    file_letter()
    three, page = _queries(client, reverse("medical:letters_pending"))

    assert three == one
    assert page.count("/paper-destroyed/") == 3


def test_my_complaints_cost_the_same_for_three(mfa_client, employee_eva, employee_of_a) -> None:
    from arbo.privacy.complaints import domain as complaints

    officer = f.UserFactory(kind=User.Kind.STAFF, username="fg")
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(employee_eva)

    def complain(n: int) -> None:
        complaints.file_complaint(
            by=officer,
            kind="privacy",
            description=f"Klacht nummer {n} over mijn gegevens.",
            complainant=employee_of_a,
        )

    complain(1)
    one, _ = _queries(client, reverse("privacy:complaint_mine"))
    complain(2)
    complain(3)
    three, page = _queries(client, reverse("privacy:complaint_mine"))

    assert three == one
    assert len(re.findall(r'href="/privacy/complaints/\d+/"', page)) == 3


def test_the_processing_register_costs_the_same_for_three_activities(mfa_client) -> None:
    from arbo.privacy.register.models import ProcessingActivity

    officer = f.UserFactory(kind=User.Kind.STAFF, username="fg")
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(officer)
    first = ProcessingActivity.objects.order_by("order", "pk").first()
    if first is None:  # the migrations seed the register; make one if they stop doing so
        first = ProcessingActivity.objects.create(
            code="activiteit-0", name="Activiteit 0", purpose="Doel", legal_ground="legal_obligation"
        )
    ProcessingActivity.objects.exclude(pk=first.pk).delete()
    one, _ = _queries(client, reverse("privacy:register"))
    for n in (1, 2):
        first.pk, first.code, first.name = None, f"activiteit-{n}", f"Verwerking nummer {n}"
        first.save()
    three, page = _queries(client, reverse("privacy:register"))

    assert three == one
    assert "Verwerking nummer 1" in page
    assert "Verwerking nummer 2" in page


def test_the_retention_schedule_costs_the_same_for_three_rules_and_changes(mfa_client) -> None:
    from arbo.retention import domain as retention
    from arbo.retention.models import RetentionRule

    officer = f.UserFactory(kind=User.Kind.STAFF, username="fg")
    f.give_function(officer, StaffFunction.PRIVACY_OFFICER)
    client = mfa_client(officer)
    proposal = {"label": "Nieuwe soort", "years": 5, "runs_from": "last_change"}

    def add(n: int) -> None:
        RetentionRule.objects.create(kind=f"soort_{n}", label=f"Soort {n}", years=n, runs_from="last_change")
        retention.request_rule_change(f"voorstel_{n}", proposal, reason=f"Reden {n}", by=officer)

    add(1)
    one, _ = _queries(client, reverse("retention:schedule"))
    add(2)
    add(3)
    three, page = _queries(client, reverse("retention:schedule"))

    assert three == one
    assert all(f"voorstel_{n}" in page and f"Soort {n}" in page for n in (1, 2, 3))


def test_the_user_list_costs_the_same_for_three_more_users(admin_anna, mfa_client) -> None:
    client = mfa_client(admin_anna)

    def staff(n: int) -> None:
        user = f.UserFactory(kind=User.Kind.STAFF, username=f"medewerker-{n}")
        f.give_function(user, StaffFunction.CASEMANAGER)
        f.give_function(user, StaffFunction.PLANNER)

    staff(1)
    one, _ = _queries(client, reverse("identity:user_list"))
    staff(2)
    staff(3)
    three, page = _queries(client, reverse("identity:user_list"))

    assert three == one
    assert all(f"medewerker-{n}" in page for n in (1, 2, 3))


def test_my_rights_requests_cost_the_same_for_three(mfa_client, employee_eva, employee_of_a) -> None:
    from arbo.privacy.rights import domain as rights

    client = mfa_client(employee_eva)
    rights.file_request(by=employee_eva, employee=employee_of_a, kind="access")
    one, _ = _queries(client, reverse("privacy:rights_mine"))
    rights.file_request(
        by=employee_eva,
        employee=employee_of_a,
        kind="rectification",
        description="Mijn adres klopt niet meer.",
    )
    rights.file_request(
        by=employee_eva,
        employee=employee_of_a,
        kind="portability",
        description="Graag mijn gegevens als bestand.",
    )
    three, page = _queries(client, reverse("privacy:rights_mine"))

    assert three == one
    assert len(re.findall(r'href="/privacy/rights/\d+/"', page)) == 3


def test_my_medical_overview_costs_the_same_for_three_appointments(
    mfa_client, employee_eva, employee_of_a, doctor_bram
) -> None:
    from arbo.access import care
    from arbo.medical.consultations import domain as consultations

    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    client = mfa_client(employee_eva)
    starts: list[dt.datetime] = []

    def plan(hours: int) -> None:
        start = timezone.now() + dt.timedelta(hours=hours)
        starts.append(timezone.localtime(start))
        slot = consultations.create_slot(
            doctor=doctor_bram, starts_at=start, ends_at=start + dt.timedelta(minutes=30), by=doctor_bram
        )
        consultations.plan_consultation(employee_of_a, slot=slot, by=doctor_bram, notify=False)

    plan(2)
    one, _ = _queries(client, reverse("medical:mine"))
    plan(4)
    plan(6)
    three, page = _queries(client, reverse("medical:mine"))

    assert three == one
    assert all(show_moment(start) in page for start in starts)
