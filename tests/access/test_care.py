"""Treatment relationships, doctor teams, consultation and break-the-glass (category C rules)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from arbo.access import care
from arbo.access.matrix import Action, Category
from arbo.access.models_care import DoctorTeamMember, EmergencyAccess
from arbo.access.policy import access_basis, can, employees_visible_to
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db

REASON = "Acute vraag van de huisartsenpost over werkhervatting"


def _staff(function: str, username: str, *employers) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username=username, kind=User.Kind.STAFF)
    f.give_function(user, function)
    for employer in employers:
        f.join_team(user, employer)
    return user


def test_medical_data_needs_a_treatment_relationship(doctor_bram, employee_of_a) -> None:
    assert can(doctor_bram, Action.READ, Category.C) is True  # the matrix allows it in general
    assert can(doctor_bram, Action.READ, Category.C, employee_of_a) is False  # but not for this person

    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)

    assert can(doctor_bram, Action.READ, Category.C, employee_of_a) is True
    assert can(doctor_bram, Action.CHANGE, Category.C, employee_of_a) is True
    assert access_basis(doctor_bram, employee_of_a) == "treatment"


def test_a_new_treating_doctor_ends_the_previous_relationship(doctor_bram, employer_a, employee_of_a) -> None:
    other = _staff(StaffFunction.BEDRIJFSARTS, "olga", employer_a)
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)

    care.assign_treating_doctor(employee_of_a, other, by=doctor_bram)

    assert care.treating_doctor_of(employee_of_a) == other
    assert can(doctor_bram, Action.READ, Category.C, employee_of_a) is False


def test_only_doctors_can_treat(casemanager_carla, employee_of_a) -> None:
    with pytest.raises(DomainError):
        care.assign_treating_doctor(employee_of_a, casemanager_carla, by=casemanager_carla)


def test_casemanager_never_reads_medical_data(casemanager_carla, doctor_bram, employee_of_a) -> None:
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    DoctorTeamMember.objects.create(doctor=doctor_bram, member=casemanager_carla, kind="delegate")

    assert can(casemanager_carla, Action.READ, Category.A, employee_of_a) is True
    assert can(casemanager_carla, Action.READ, Category.C, employee_of_a) is False


def test_fixed_substitute_and_delegates_share_the_doctors_patients(
    doctor_bram, employee_of_a, employee_of_b
) -> None:
    substitute = _staff(StaffFunction.BEDRIJFSARTS, "sven")  # on no team at all
    delegate = _staff(StaffFunction.CASEMANAGER_TAAKDELEGATIE, "tim")
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    assert can(substitute, Action.READ, Category.C, employee_of_a) is False

    DoctorTeamMember.objects.create(doctor=doctor_bram, member=substitute, kind="substitute")
    DoctorTeamMember.objects.create(doctor=doctor_bram, member=delegate, kind="delegate")

    for user in (substitute, delegate):
        assert can(user, Action.READ, Category.C, employee_of_a) is True
        assert list(employees_visible_to(user)) == [employee_of_a]  # not bram's other employer's staff
        assert can(user, Action.READ, Category.C, employee_of_b) is False


def test_consultation_is_time_limited(doctor_bram, employee_of_a) -> None:
    colleague = _staff(StaffFunction.BEDRIJFSARTS, "cora")
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)

    care.consult_colleague(employee_of_a, colleague, days=7, reason="second opinion", by=doctor_bram)

    assert can(colleague, Action.READ, Category.C, employee_of_a) is True
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert can(colleague, Action.READ, Category.C, employee_of_a) is False
        assert employees_visible_to(colleague).exists() is False


def test_only_the_treating_doctor_consults(doctor_bram, employee_of_a, employer_a) -> None:
    colleague = _staff(StaffFunction.BEDRIJFSARTS, "cora")

    with pytest.raises(DomainError):
        care.consult_colleague(employee_of_a, colleague, days=7, reason="x", by=doctor_bram)
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    with pytest.raises(DomainError):
        care.consult_colleague(employee_of_a, colleague, days=31, reason="x", by=doctor_bram)


def _break(client, employee, reason: str = REASON):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("care:break_the_glass"), {"bsn": employee.bsn, "reason": reason, "confirmed": "1"}
    )


def _widen(doctor: User, uses: int = 1) -> None:
    """A medical manager lets ``doctor`` break the glass outside the doctor's teams."""
    manager = _staff(StaffFunction.MEDISCH_MANAGER, f"mm-{doctor.username}")
    care.widen_break_the_glass(doctor, days=1, max_uses=uses, reason="Waarneming voor regio Zuid", by=manager)


def test_break_the_glass_opens_a_file_for_three_hours(mfa_client, employer_b, employee_of_a) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)  # not on employer A's team
    _widen(doctor)
    client = mfa_client(doctor)
    detail = reverse("registry:employee_detail", args=[employee_of_a.pk])
    assert client.get(detail).status_code == 404

    response = _break(client, employee_of_a)

    assert response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "noodtoegang" in page
    assert employee_of_a.surname in page
    assert can(doctor, Action.READ, Category.C, employee_of_a) is True
    viewed = AuditEvent.objects.get(actor=doctor, event="registry.employee_viewed")
    assert viewed.basis == "emergency"
    assert AuditEvent.objects.get(actor=doctor, event="access.break_the_glass").subject_id == employee_of_a.pk
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3, minutes=1)):
        assert can(doctor, Action.READ, Category.C, employee_of_a) is False
        assert employees_visible_to(doctor).filter(pk=employee_of_a.pk).exists() is False


def test_break_the_glass_needs_a_reason_and_a_doctor(
    mfa_client, casemanager_carla, employer_b, employee_of_a
) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)
    client = mfa_client(doctor)

    response = _break(client, employee_of_a, reason="even kijken")

    assert "Geef een reden van minstens 20 tekens." in response.content.decode()
    assert EmergencyAccess.objects.count() == 0
    assert mfa_client(casemanager_carla).get(reverse("care:break_the_glass")).status_code == 404


def test_unknown_bsn_is_logged_as_denied(mfa_client, employer_b) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)
    client = mfa_client(doctor)

    response = client.post(reverse("care:break_the_glass"), {"bsn": "111222333", "reason": REASON})

    assert "Er is geen werknemer met dit BSN." in response.content.decode()
    assert AuditEvent.objects.get(actor=doctor, event="access.break_the_glass_not_found").outcome == "denied"


def test_privacy_officer_reviews_break_the_glass(mfa_client, employer_b, employee_of_a) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)
    _widen(doctor)
    officer = _staff(StaffFunction.PRIVACY_OFFICER, "piet")
    _break(mfa_client(doctor), employee_of_a)
    access = EmergencyAccess.objects.get()
    from django.test import Client

    officer_client = Client()
    f.enrol_totp(officer)
    officer_client.force_login(officer)

    listing = officer_client.get(reverse("care:emergency_review")).content.decode()
    officer_client.post(reverse("care:emergency_mark_reviewed", args=[access.pk]), {"note": "terecht"})
    access.refresh_from_db()
    assert access.reviewed_at is None  # no verdict chosen: nothing recorded
    officer_client.post(reverse("care:emergency_mark_reviewed", args=[access.pk]), {"verdict": "unjustified"})
    access.refresh_from_db()
    assert access.reviewed_at is None  # "onterecht" needs a note
    officer_client.post(
        reverse("care:emergency_mark_reviewed", args=[access.pk]),
        {"verdict": "unjustified", "note": "Geen spoed; de behandelend arts was bereikbaar."},
    )

    assert REASON in listing
    access.refresh_from_db()
    assert (access.reviewed_by, access.verdict, access.review_note) == (
        officer,
        "unjustified",
        "Geen spoed; de behandelend arts was bereikbaar.",
    )
    event = AuditEvent.objects.get(event="access.emergency_access_reviewed")
    assert (event.subject_id, event.data) == (employee_of_a.pk, {"verdict": "unjustified"})


def test_break_the_glass_only_within_the_doctors_teams_unless_widened(
    mfa_client, doctor_bram, employer_b, employee_of_a, employee_of_b
) -> None:
    nina = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)
    client = mfa_client(nina)

    refused = _break(client, employee_of_a)
    assert "buiten de werkgevers van je teams" in refused.content.decode()
    assert EmergencyAccess.objects.count() == 0
    assert _break(client, employee_of_b).status_code == 302  # her own team's employer: allowed

    _widen(nina, uses=1)
    assert _break(client, employee_of_a).status_code == 302
    other = f.EmploymentFactory(employer=employee_of_a.employments.first().employer).employee
    assert "buiten de werkgevers" in _break(client, other).content.decode()  # the one use is spent
    assert {(a.employee_id, a.widening_id is not None) for a in EmergencyAccess.objects.all()} == {
        (employee_of_a.pk, True),
        (employee_of_b.pk, False),
    }


def test_break_the_glass_at_most_three_times_a_day(mfa_client, employer_a) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_a)
    f.EmploymentFactory(employer=employer_a)
    employees = [e.employee for e in employer_a.employments.all()[:4]]
    client = mfa_client(doctor)

    answers = [_break(client, employee) for employee in employees]

    assert [a.status_code for a in answers] == [302, 302, 302, 200]
    assert "al 3 keer noodtoegang" in answers[-1].content.decode()
    assert EmergencyAccess.objects.count() == 3
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        assert _break(client, employees[3]).status_code == 302


def test_only_a_medical_manager_widens_and_never_for_themself(employer_a) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_a)
    casemanager = _staff(StaffFunction.CASEMANAGER, "cas", employer_a)
    both = _staff(StaffFunction.MEDISCH_MANAGER, "mm")
    f.give_function(both, StaffFunction.BEDRIJFSARTS)

    with pytest.raises(DomainError):
        care.widen_break_the_glass(doctor, days=1, max_uses=1, reason=REASON, by=casemanager)
    with pytest.raises(DomainError):
        care.widen_break_the_glass(both, days=1, max_uses=1, reason=REASON, by=both)
    with pytest.raises(DomainError, match="1 tot 7"):
        care.widen_break_the_glass(doctor, days=8, max_uses=1, reason=REASON, by=both)
    with pytest.raises(DomainError, match="1 tot 5"):
        care.widen_break_the_glass(doctor, days=1, max_uses=6, reason=REASON, by=both)


def test_the_employee_sees_every_break_the_glass_with_reason_and_verdict(
    mfa_client, employer_a, employee_of_a, employee_eva
) -> None:
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_a)
    officer = _staff(StaffFunction.PRIVACY_OFFICER, "piet")
    _break(mfa_client(doctor), employee_of_a)
    eva = mfa_client(employee_eva)
    before = eva.get(reverse("portal:who_saw_my_file")).content.decode()

    care.review_emergency_access(EmergencyAccess.objects.get(), verdict="justified", note="", by=officer)
    after = eva.get(reverse("portal:who_saw_my_file")).content.decode()

    assert REASON in before
    assert "nog niet beoordeeld" in before
    assert REASON in after
    assert "terecht" in after
    assert "nog niet beoordeeld" not in after


def test_break_the_glass_opens_nothing_without_the_confirmation_step(
    mfa_client, employer_b, employee_of_a
) -> None:
    """Issue 18: the first POST shows who will see what; only the confirmed one opens the file."""
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)
    _widen(doctor)
    client = mfa_client(doctor)

    first = client.post(reverse("care:break_the_glass"), {"bsn": employee_of_a.bsn, "reason": REASON})

    page = first.content.decode()
    assert first.status_code == 200
    assert "Noodtoegang openen?" in page
    assert "De privacy officer" in page
    assert "Wie zag mijn dossier" in page
    assert employee_of_a.surname not in page  # the name only once the glass is broken
    assert EmergencyAccess.objects.count() == 0
    assert not AuditEvent.objects.filter(event="access.break_the_glass").exists()
    assert client.get(reverse("registry:employee_detail", args=[employee_of_a.pk])).status_code == 404

    assert _break(client, employee_of_a).status_code == 302
    assert EmergencyAccess.objects.count() == 1


def test_the_review_lists_the_reads_made_under_the_access_and_records_the_verdict(
    mfa_client, employer_a, employer_b, employee_of_a, casemanager_carla
) -> None:
    """Issue 18: the officer sees what the doctor did with the emergency access, then judges it."""
    doctor = _staff(StaffFunction.BEDRIJFSARTS, "nina", employer_b)
    _widen(doctor)
    officer = _staff(StaffFunction.PRIVACY_OFFICER, "piet")
    client = mfa_client(doctor)
    _break(client, employee_of_a)
    client.get(reverse("registry:employee_detail", args=[employee_of_a.pk]))
    # not under the access: another person's read of the same employee, on their own basis
    mfa_client(casemanager_carla).get(reverse("registry:employee_detail", args=[employee_of_a.pk]))
    access = EmergencyAccess.objects.get()
    expected = list(
        AuditEvent.objects.filter(actor=doctor, basis="emergency", subject_id=employee_of_a.pk).values_list(
            "seq", flat=True
        )
    )
    officer_client = mfa_client(officer)

    listing = officer_client.get(reverse("care:emergency_review")).content.decode()
    detail_url = reverse("care:emergency_detail", args=[access.pk])
    detail = officer_client.get(detail_url).content.decode()

    assert len(expected) == 2  # the break-the-glass itself and the read of the file
    assert f'href="{detail_url}"' in listing
    assert "2 logregels bekijken" in listing
    assert "opende een dossier met noodtoegang" in detail
    assert "bekeek de persoonsgegevens van de werknemer" in detail  # staff's words, not the code
    assert "registry.employee_viewed" not in detail
    rows = detail[detail.find("<tbody>") : detail.find("</tbody>")]
    assert rows.count("<tr>") == 2
    assert REASON in detail
    assert AuditEvent.objects.filter(actor=officer, event="audit.viewer_used").exists()

    response = officer_client.post(
        reverse("care:emergency_mark_reviewed", args=[access.pk]),
        {"verdict": "justified", "note": "Spoed bevestigd door de huisartsenpost."},
        follow=True,
    )

    access.refresh_from_db()
    assert (access.verdict, access.review_note, access.reviewed_by) == (
        "justified",
        "Spoed bevestigd door de huisartsenpost.",
        officer,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url
    assert "Spoed bevestigd door de huisartsenpost." in page
    assert 'name="verdict"' not in page  # judged once
    assert mfa_client(doctor).get(detail_url).status_code == 404
