"""Data-subject requests (arbo.privacy.rights): intake, identity check, extension, restriction."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from arbo.access import care
from arbo.access.matrix import Action, Category
from arbo.access.policy import can, exclude_restricted, is_restricted
from arbo.audit.models import AuditEvent
from arbo.lib.errors import DomainError
from arbo.portal.models import InboxMessage
from arbo.privacy.rights import domain
from arbo.privacy.rights.models import IdentityCopy, RightsRequest
from arbo.registry.models import Employee
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

ID_COPY = b"%PDF-1.4 ID-KOPIE-KANARIE"


def _by_letter(fg, employee, **kwargs):  # type: ignore[no-untyped-def]
    return domain.file_request(
        by=fg,
        employee=employee,
        kind=kwargs.pop("kind", RightsRequest.Kind.ACCESS),
        channel=RightsRequest.Channel.LETTER,
        id_copy=ID_COPY,
        id_copy_type="application/pdf",
        **kwargs,
    )


def test_a_portal_request_is_verified_by_the_login_and_acknowledged(employee_of_a, employee_eva) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC), tick=False):
        request = domain.file_request(by=employee_eva, employee=employee_of_a, kind=RightsRequest.Kind.ACCESS)
    assert request.status == RightsRequest.Status.IN_PROGRESS
    assert request.identity_document == RightsRequest.DocumentKind.PORTAL_MFA
    assert request.due_on == dt.date(2026, 3, 2)
    assert request.decider == RightsRequest.Decider.PRIVACY_OFFICER
    letter = InboxMessage.objects.get(recipient=employee_eva)
    assert "2 maart 2026" in letter.body


def test_the_id_copy_is_sealed_and_destroyed_when_the_check_is_recorded(fg_piet, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    request = _by_letter(fg_piet, employee_of_a)
    assert request.status == RightsRequest.Status.IDENTITY
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM privacy_identitycopy")
        (stored,) = cursor.fetchone()
    assert "ID-KOPIE" not in stored
    assert stored.startswith("v1:")

    domain.record_identity_check(request, by=fg_piet, document_kind=RightsRequest.DocumentKind.PASSPORT)

    assert not IdentityCopy.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM privacy_identitycopy")
        assert cursor.fetchone() == (0,)
    request.refresh_from_db()
    assert (request.identity_verified_by, request.identity_document) == (fg_piet, "passport")
    assert request.status == RightsRequest.Status.IN_PROGRESS


def test_a_medical_request_goes_to_the_treating_doctor(fg_piet, employee_of_a, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    from arbo.access import care

    care.assign_treating_doctor(employee_of_a, doctor_bram, by=fg_piet)
    request = _by_letter(
        fg_piet,
        employee_of_a,
        kind=RightsRequest.Kind.RECTIFICATION,
        medical=True,
        description="De diagnose in mijn dossier klopt niet.",
    )
    assert (request.decider, request.doctor) == (RightsRequest.Decider.DOCTOR, doctor_bram)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "forget-me"}, "kind"),
        ({"received_on": dt.date(2999, 1, 1)}, "received_on"),
        ({"channel": "pigeon"}, "channel"),
        ({"id_copy": None}, "id_copy"),
        ({"id_copy_type": "text/html"}, "id_copy"),
        ({"representative": "Mr. Jansen, advocaat"}, "authorisation"),
        ({"kind": "erasure", "description": "weg"}, "description"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(fg_piet, employee_of_a, changes, field) -> None:  # type: ignore[no-untyped-def]
    arguments = {
        "by": fg_piet,
        "employee": employee_of_a,
        "kind": "access",
        "channel": "letter",
        "id_copy": ID_COPY,
        "id_copy_type": "application/pdf",
        **changes,
    }
    with pytest.raises(DomainError) as raised:
        domain.file_request(**arguments)
    assert raised.value.field == field
    assert not RightsRequest.objects.exists()
    assert not IdentityCopy.objects.exists()


def test_staff_cannot_file_for_someone_they_may_not_see(casemanager_carla, employee_of_b) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="niet gevonden"):
        _by_letter(casemanager_carla, employee_of_b)
    assert not RightsRequest.objects.exists()


def test_an_employee_cannot_file_for_someone_else(employee_eva, employee_of_b) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        domain.file_request(by=employee_eva, employee=employee_of_b, kind="access")
    assert not RightsRequest.objects.exists()


def test_one_extension_only_while_the_first_month_runs(fg_piet, employee_of_a, employee_eva) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC), tick=False):
        request = domain.file_request(by=employee_eva, employee=employee_of_a, kind="access")
    with (
        time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(DomainError, match="eerste maand"),
    ):
        domain.extend(request, by=fg_piet, reason="Veel gegevens uit het archief nodig.")
    request.refresh_from_db()
    assert request.extended_on is None
    assert request.due_on == dt.date(2026, 3, 2)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        domain.extend(request, by=fg_piet, reason="Veel gegevens uit het archief nodig.")
        with pytest.raises(DomainError, match="één keer"):
            domain.extend(request, by=fg_piet, reason="Nog meer tijd nodig voor het archief.")
    request.refresh_from_db()
    assert request.due_on == dt.date(2026, 4, 30)
    assert InboxMessage.objects.filter(source=f"privacy.rights:{request.pk}:extension").exists()


def test_a_restriction_stops_every_change_until_it_is_lifted(
    fg_piet, employee_of_a, casemanager_carla, mfa_client
) -> None:  # type: ignore[no-untyped-def]
    assert can(casemanager_carla, Action.CHANGE, Category.A, employee_of_a)
    domain.restrict(employee_of_a, by=fg_piet, reason="Betwist de juistheid van de gegevens.")

    assert is_restricted(employee_of_a)
    assert not can(casemanager_carla, Action.CHANGE, Category.A, employee_of_a)
    assert can(casemanager_carla, Action.READ, Category.A, employee_of_a)  # kept, readable
    assert employee_of_a.pk not in exclude_restricted(Employee.objects.all()).values_list("pk", flat=True)
    response = mfa_client(casemanager_carla).post(
        f"/journal/employees/{employee_of_a.pk}/entries/", {"category": "A", "text": "Gebeld met werknemer."}
    )
    assert response.status_code == 404
    assert not employee_of_a.journal_entries.exists()

    domain.lift_restriction(employee_of_a, by=fg_piet)
    assert not is_restricted(employee_of_a)
    assert can(casemanager_carla, Action.CHANGE, Category.A, employee_of_a)
    response = mfa_client(casemanager_carla).post(
        f"/journal/employees/{employee_of_a.pk}/entries/", {"category": "A", "text": "Gebeld met werknemer."}
    )
    assert response.status_code in (200, 302)
    assert employee_of_a.journal_entries.exists()


def test_an_objection_is_recorded_and_answered(fg_piet, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    assert not domain.is_objecting(employee_of_a, "visitation")
    domain.record_objection(employee_of_a, by=fg_piet, purpose="visitation")
    assert domain.is_objecting(employee_of_a, "visitation")
    with pytest.raises(DomainError):
        domain.record_objection(employee_of_a, by=fg_piet, purpose="everything")


def test_a_granted_withdrawal_withdraws_every_consent_in_the_register(
    fg_piet, employee_of_a, employee_eva, doctor_bram
) -> None:  # type: ignore[no-untyped-def]
    from arbo.consent import domain as consent_domain
    from arbo.consent.models import Consent

    consent = consent_domain.record_consent(
        Consent.Kind.DISCLOSURE,
        employee=employee_of_a,
        purpose="Re-integratie",
        how=Consent.How.WRITTEN,
        given_by=employee_of_a.full_name,
        category="B",
        by=doctor_bram,
        employer=employee_of_a.employments.first().employer,
    )
    request = domain.file_request(by=employee_eva, employee=employee_of_a, kind="withdrawal")
    domain.decide(request, by=fg_piet, outcome="granted")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_the_doctor_finds_a_medical_request_routed_to_them_on_their_home_page(  # type: ignore[no-untyped-def]
    fg_piet, employee_of_a, doctor_bram
) -> None:
    client = login(doctor_bram)
    before = client.get(reverse("portal:work")).content.decode()
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=fg_piet)
    request = _by_letter(fg_piet, employee_of_a, kind=RightsRequest.Kind.ACCESS, medical=True)

    after = client.get(reverse("portal:work")).content.decode()

    assert "Geen verzoeken over een medisch dossier die op jou wachten." in before
    assert request.reference not in before
    assert request.reference in after
    assert reverse("privacy:rights_detail", args=[request.pk]) in after
    assert AuditEvent.objects.filter(
        actor=doctor_bram, event="portal.work_viewed", subject_id=employee_of_a.pk, category="B"
    ).exists()
