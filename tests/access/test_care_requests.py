"""Treating doctor by request: nobody makes a doctor treating in one POST (seeds 000 §7, 003 §6)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse

from arbo.access import care, care_requests
from arbo.access.matrix import Action, Category
from arbo.access.models_care import CareRelationship, CareRequest
from arbo.access.policy import can
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db

REASON = "Nieuwe bedrijfsarts op het contract"


def _staff(function: str, username: str, *employers) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username=username, kind=User.Kind.STAFF)
    f.give_function(user, function)
    for employer in employers:
        f.join_team(user, employer)
    return user


def _client(user: User) -> Client:
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_a_secretary_or_casemanager_cannot_make_anyone_treating_with_one_post(
    secretary_sara, casemanager_carla, doctor_bram, employee_of_a
) -> None:
    for user in (secretary_sara, casemanager_carla):
        client = _client(user)
        # The old one-step URL is gone, and asking opens nothing.
        assert (
            client.post(
                f"/care/employees/{employee_of_a.pk}/treating-doctor/", {"doctor": doctor_bram.pk}
            ).status_code
            == 404
        )
    response = _client(secretary_sara).post(
        reverse("care:request_treating_doctor", args=[employee_of_a.pk]),
        {"candidate": doctor_bram.pk, "reason": REASON},
    )

    assert response.status_code == 302
    assert care.treating_doctor_of(employee_of_a) is None
    assert can(doctor_bram, Action.READ, Category.C, employee_of_a) is False
    request = CareRequest.objects.get()
    assert (request.status, request.candidate, request.requested_by) == (
        "requested",
        doctor_bram,
        secretary_sara,
    )


def test_the_request_flow_end_to_end(secretary_sara, doctor_bram, employee_of_a) -> None:
    """Asked by the secretariat, accepted by the doctor on the requests page: then C opens."""
    _client(secretary_sara).post(
        reverse("care:request_treating_doctor", args=[employee_of_a.pk]),
        {"candidate": doctor_bram.pk, "reason": REASON},
    )
    doctor = _client(doctor_bram)
    page = doctor.get(reverse("care:requests")).content.decode()
    request = CareRequest.objects.get()
    assert employee_of_a.full_name in page
    assert reverse("care:care_request_approve", args=[request.pk]) in page

    response = doctor.post(reverse("care:care_request_approve", args=[request.pk]), {"note": "Akkoord"})

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("approved", doctor_bram, "Akkoord")
    assert care.treating_doctor_of(employee_of_a) == doctor_bram
    assert can(doctor_bram, Action.READ, Category.C, employee_of_a) is True
    events = list(
        AuditEvent.objects.filter(subject_id=employee_of_a.pk, event__startswith="access.treating_doctor")
        .order_by("seq")
        .values_list("event", "actor__username")
    )
    assert events == [
        ("access.treating_doctor_requested", secretary_sara.username),
        ("access.treating_doctor_request_approved", doctor_bram.username),
        ("access.treating_doctor_assigned", doctor_bram.username),
    ]


def test_the_requester_cannot_approve_and_the_database_holds_four_eyes(doctor_bram, employee_of_a) -> None:
    request = care_requests.request_treating_doctor(employee_of_a, doctor_bram, reason=REASON, by=doctor_bram)

    assert care_requests.may_decide(doctor_bram, request) is False
    with pytest.raises(Http404):
        care_requests.approve_care_request(request, by=doctor_bram)
    with pytest.raises(IntegrityError), transaction.atomic():
        CareRequest.objects.filter(pk=request.pk).update(
            status="approved", decided_by=doctor_bram, decided_at=request.requested_at
        )
    assert care.treating_doctor_of(employee_of_a) is None


def test_a_medical_manager_of_the_team_decides_a_doctors_own_request(
    doctor_bram, employer_a, employee_of_a
) -> None:
    manager = _staff(StaffFunction.MEDISCH_MANAGER, "mia", employer_a)
    outsider = _staff(StaffFunction.MEDISCH_MANAGER, "max")  # on no team: does not reach the employee
    request = care_requests.request_treating_doctor(employee_of_a, doctor_bram, reason=REASON, by=doctor_bram)

    assert care_requests.may_decide(outsider, request) is False
    care_requests.approve_care_request(request, by=manager)

    assert care.treating_doctor_of(employee_of_a) == doctor_bram


def test_the_candidate_must_serve_the_employer(secretary_sara, employer_b, employee_of_a) -> None:
    elsewhere = _staff(StaffFunction.BEDRIJFSARTS, "olga", employer_b)
    not_a_doctor = _staff(StaffFunction.CASEMANAGER, "cas", employee_of_a.employments.first().employer)

    for candidate in (elsewhere, not_a_doctor):
        with pytest.raises(DomainError, match="team van de werkgever"):
            care_requests.request_treating_doctor(employee_of_a, candidate, reason=REASON, by=secretary_sara)
    assert CareRequest.objects.count() == 0
    assert AuditEvent.objects.filter(event="access.treating_doctor_requested").count() == 0


def test_bad_input_changes_nothing_and_says_why(secretary_sara, doctor_bram, employee_of_a) -> None:
    client = _client(secretary_sara)
    response = client.post(
        reverse("care:request_treating_doctor", args=[employee_of_a.pk]),
        {"candidate": doctor_bram.pk, "reason": "kort"},
        follow=True,
    )

    assert "minstens 10 tekens" in response.content.decode()
    assert CareRequest.objects.count() == 0


def test_one_open_request_at_a_time_and_withdraw(
    secretary_sara, doctor_bram, employer_a, employee_of_a
) -> None:
    other = _staff(StaffFunction.BEDRIJFSARTS, "olga", employer_a)
    first = care_requests.request_treating_doctor(
        employee_of_a, doctor_bram, reason=REASON, by=secretary_sara
    )
    with pytest.raises(DomainError, match="loopt al"):
        care_requests.request_treating_doctor(employee_of_a, other, reason=REASON, by=secretary_sara)

    response = _client(secretary_sara).post(reverse("care:care_request_withdraw", args=[first.pk]))

    first.refresh_from_db()
    assert (response.status_code, first.status) == (302, "withdrawn")
    assert care.treating_doctor_of(employee_of_a) is None


def test_who_may_not_ask_or_decide_gets_404(
    hr_wim, outsider_olaf, doctor_bram, secretary_sara, employee_of_a
) -> None:
    request = care_requests.request_treating_doctor(
        employee_of_a, doctor_bram, reason=REASON, by=secretary_sara
    )
    for user in (hr_wim, outsider_olaf):
        client = _client(user)
        assert (
            client.post(
                reverse("care:request_treating_doctor", args=[employee_of_a.pk]),
                {"candidate": doctor_bram.pk, "reason": REASON},
            ).status_code
            == 404
        )
        assert client.post(reverse("care:care_request_approve", args=[request.pk])).status_code == 404
    # The secretary sees the request but cannot decide it.
    assert (
        _client(secretary_sara).post(reverse("care:care_request_approve", args=[request.pk])).status_code
        == 404
    )
    request.refresh_from_db()
    assert request.status == "requested"
    assert CareRelationship.objects.count() == 0


def test_the_requests_page_queries_do_not_grow(  # type: ignore[no-untyped-def]
    doctor_bram, secretary_sara, employer_a, django_assert_max_num_queries
) -> None:
    employees = [e.employee for e in employer_a.employments.all()[:3]]
    client = _client(doctor_bram)
    client.get(reverse("care:requests"))
    counts = []
    for employee in employees:
        care_requests.request_treating_doctor(employee, doctor_bram, reason=REASON, by=secretary_sara)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("care:requests"))
        counts.append(len(queries))
    assert counts[0] == counts[-1]


def test_the_employee_sees_who_their_treating_doctor_is(doctor_bram, employee_eva, employee_of_a) -> None:
    client = _client(employee_eva)
    assert "nog niet toegewezen" in client.get(reverse("medical:mine")).content.decode()

    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)

    assert str(doctor_bram) in client.get(reverse("medical:mine")).content.decode()


# --- A doctor's team (fixed substitute, delegate): four eyes as well (issue 9, item 2) -------------


def test_a_doctors_team_takes_four_eyes_end_to_end(admin_anna, doctor_bram, employee_of_a) -> None:  # type: ignore[no-untyped-def]
    """The functional administrator asks through the account page (after re-authenticating); the
    role opens nothing until the doctor approves on the requests page; every step audited."""
    from arbo.access.models_care import DoctorTeamMember

    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    tim = _staff(StaffFunction.CASEMANAGER_TAAKDELEGATIE, "tim")
    admin = _client(admin_anna)
    url = reverse("identity:doctor_team_add", args=[doctor_bram.pk])
    data = {"member": tim.pk, "kind": "delegate", "reason": REASON}
    assert admin.post(url, data)["Location"].startswith("/accounts/reauthenticate/")
    admin.post("/accounts/reauthenticate/", {"password": f.TEST_PASSWORD})
    assert admin.post(url, data).status_code == 302

    asked = CareRequest.objects.get()
    assert (asked.kind, asked.doctor, asked.candidate, asked.employee) == ("delegate", doctor_bram, tim, None)
    assert not DoctorTeamMember.objects.exists()
    assert not can(tim, Action.READ, Category.C, employee_of_a)
    # Neither the one who asked nor the candidate decides.
    for user in (admin_anna, tim):
        assert not care_requests.may_decide(user, asked)
        assert _client(user).post(reverse("care:care_request_approve", args=[asked.pk])).status_code == 404
    assert DoctorTeamMember.objects.count() == 0

    doctor = _client(doctor_bram)
    assert str(asked.candidate) in doctor.get(reverse("care:requests")).content.decode()
    assert doctor.post(reverse("care:care_request_approve", args=[asked.pk])).status_code == 302

    role = DoctorTeamMember.objects.get()
    assert (role.doctor, role.member, role.kind, role.ends_on) == (doctor_bram, tim, "delegate", None)
    assert can(tim, Action.READ, Category.C, employee_of_a)
    events = list(
        AuditEvent.objects.filter(event__startswith="access.doctor_team")
        .order_by("seq")
        .values_list("event", "actor")
    )
    assert events == [
        ("access.doctor_team_requested", admin_anna.pk),
        ("access.doctor_team_request_approved", doctor_bram.pk),
        ("access.doctor_team_member_added", doctor_bram.pk),
    ]


def test_a_medical_manager_decides_a_doctors_own_team_request(doctor_bram) -> None:  # type: ignore[no-untyped-def]
    olaf = _staff(StaffFunction.BEDRIJFSARTS, "olaf")
    mona = _staff(StaffFunction.MEDISCH_MANAGER, "mona")
    asked = care_requests.request_doctor_team_member(
        doctor_bram, olaf, kind="substitute", reason=REASON, by=doctor_bram
    )
    assert not care_requests.may_decide(doctor_bram, asked)  # asked it himself
    assert care_requests.may_decide(mona, asked)
    care_requests.approve_care_request(asked, by=mona)
    assert doctor_bram.doctor_team.get().member == olaf
    # The database holds four eyes too.
    again = care_requests.request_doctor_team_member(
        doctor_bram, _staff(StaffFunction.BEDRIJFSARTS, "otto"), kind="substitute", reason=REASON, by=mona
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CareRequest.objects.filter(pk=again.pk).update(
            status=CareRequest.Status.APPROVED, decided_by=mona, decided_at=again.requested_at
        )


def test_a_doctors_team_request_refuses_bad_candidates_and_outsiders(  # type: ignore[no-untyped-def]
    admin_anna, doctor_bram, casemanager_carla
) -> None:
    with pytest.raises(DomainError, match="verklaring"):
        care_requests.request_doctor_team_member(
            doctor_bram, casemanager_carla, kind="delegate", reason=REASON, by=admin_anna
        )
    with pytest.raises(DomainError, match="zelf arts"):
        care_requests.request_doctor_team_member(
            doctor_bram, casemanager_carla, kind="substitute", reason=REASON, by=admin_anna
        )
    olaf = _staff(StaffFunction.BEDRIJFSARTS, "olaf")
    with pytest.raises(DomainError, match="reden"):
        care_requests.request_doctor_team_member(
            doctor_bram, olaf, kind="substitute", reason="kort", by=admin_anna
        )
    with pytest.raises(Http404):  # a casemanager may not ask for a doctor's team
        care_requests.request_doctor_team_member(
            doctor_bram, olaf, kind="substitute", reason=REASON, by=casemanager_carla
        )
    care_requests.request_doctor_team_member(
        doctor_bram, olaf, kind="substitute", reason=REASON, by=admin_anna
    )
    with pytest.raises(DomainError, match="loopt al"):
        care_requests.request_doctor_team_member(
            doctor_bram, olaf, kind="substitute", reason=REASON, by=admin_anna
        )
    assert CareRequest.objects.count() == 1
