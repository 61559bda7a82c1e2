"""The agenda: slots, booking, rescheduling, cancelling, held and no-show."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.medical import keys
from arbo.medical.consultations import domain as dc
from arbo.medical.models import Consultation, ConsultationSlot, Mode
from tests import factories as f
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)  # a Monday, after the fixtures' real dates


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _slot(doctor, hours: int = 2, **kwargs) -> ConsultationSlot:  # type: ignore[no-untyped-def]
    start = timezone.now() + dt.timedelta(hours=hours)
    return dc.create_slot(
        doctor=doctor,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        by=doctor,
        location="Kamer 2",
        **kwargs,
    )


def test_booking_a_slot_takes_its_doctor_time_and_place(clock, doctor_bram, treated, planner_piet) -> None:
    slot = _slot(doctor_bram)

    consultation = dc.plan_consultation(treated, slot=slot, by=planner_piet, notify=False)

    assert (consultation.doctor, consultation.starts_at, consultation.ends_at) == (
        doctor_bram,
        slot.starts_at,
        slot.ends_at,
    )
    assert consultation.location == "Kamer 2"
    assert consultation.status == Consultation.Status.PLANNED
    assert consultation.reason_encrypted == ""
    event = AuditEvent.objects.get(event="medical.consultation_planned")
    assert (event.subject_id, event.category) == (treated.pk, "B")  # the appointment of a named employee


def test_a_slot_is_booked_once(clock, doctor_bram, treated, planner_piet) -> None:
    slot = _slot(doctor_bram)
    dc.plan_consultation(treated, slot=slot, by=planner_piet, notify=False)

    with pytest.raises(DomainError, match="al geboekt"):
        dc.plan_consultation(treated, slot=slot, by=planner_piet, notify=False)

    assert Consultation.objects.count() == 1


def test_a_cancelled_booking_frees_the_slot(clock, doctor_bram, treated, planner_piet) -> None:
    slot = _slot(doctor_bram)
    first = dc.plan_consultation(treated, slot=slot, by=planner_piet, notify=False)

    dc.cancel_consultation(first, by=planner_piet, notify=False)
    second = dc.plan_consultation(treated, slot=slot, by=planner_piet, notify=False)

    first.refresh_from_db()
    assert first.status == Consultation.Status.CANCELLED
    assert second.slot == slot


def test_the_planner_cannot_record_a_medical_reason(clock, doctor_bram, treated, planner_piet) -> None:
    slot = _slot(doctor_bram)

    with pytest.raises(DomainError) as error:
        dc.plan_consultation(treated, slot=slot, reason="rugklachten", by=planner_piet, notify=False)

    assert error.value.field == "reason"
    assert Consultation.objects.count() == 0


def test_the_doctor_records_the_reason_encrypted(clock, doctor_bram, treated) -> None:
    slot = _slot(doctor_bram)

    consultation = dc.plan_consultation(
        treated, slot=slot, reason="rugklachten", by=doctor_bram, notify=False
    )

    assert "rugklachten" not in consultation.reason_encrypted
    assert keys.decrypt_for(treated, consultation.reason_encrypted) == "rugklachten"


def test_planning_for_an_unreachable_employee_is_a_404(
    clock, doctor_bram, planner_piet, employee_of_b
) -> None:
    slot = _slot(doctor_bram)

    with pytest.raises(Http404):
        dc.plan_consultation(employee_of_b, slot=slot, by=planner_piet, notify=False)


def test_no_planning_in_the_past_or_overlapping(clock, doctor_bram, treated, planner_piet) -> None:
    start = timezone.now() + dt.timedelta(hours=1)
    dc.plan_consultation(
        treated,
        doctor=doctor_bram,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        by=planner_piet,
        notify=False,
    )

    with pytest.raises(DomainError, match="al een afspraak"):
        dc.plan_consultation(
            treated,
            doctor=doctor_bram,
            starts_at=start + dt.timedelta(minutes=15),
            ends_at=start + dt.timedelta(minutes=45),
            by=planner_piet,
            notify=False,
        )
    past = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(DomainError, match="toekomst"):
        dc.plan_consultation(
            treated,
            doctor=doctor_bram,
            starts_at=past,
            ends_at=past + dt.timedelta(minutes=30),
            by=planner_piet,
            notify=False,
        )
    assert Consultation.objects.count() == 1


def test_a_video_consultation_needs_only_a_link(clock, doctor_bram, treated, planner_piet) -> None:
    slot = _slot(doctor_bram, mode=Mode.VIDEO)

    with pytest.raises(DomainError, match="link"):
        dc.plan_consultation(treated, slot=slot, by=planner_piet, notify=False)
    consultation = dc.plan_consultation(
        treated, slot=slot, video_link="https://video.example.nl/kamer/42", by=planner_piet, notify=False
    )

    assert (consultation.mode, consultation.video_link) == (Mode.VIDEO, "https://video.example.nl/kamer/42")


def test_rescheduling_moves_to_the_new_slot_and_bumps_the_sequence(
    clock, doctor_bram, treated, planner_piet
) -> None:
    old, new = _slot(doctor_bram, hours=2), _slot(doctor_bram, hours=26)
    consultation = dc.plan_consultation(treated, slot=old, by=planner_piet, notify=False)

    dc.reschedule_consultation(consultation, slot=new, by=planner_piet, notify=False)

    consultation.refresh_from_db()
    assert (consultation.slot, consultation.starts_at, consultation.sequence) == (new, new.starts_at, 1)
    assert dc._slot_is_free(old) is True


def test_held_and_no_show_only_after_the_start_and_only_by_the_doctors_team(
    clock, doctor_bram, treated, planner_piet
) -> None:
    consultation = dc.plan_consultation(treated, slot=_slot(doctor_bram), by=planner_piet, notify=False)

    with pytest.raises(DomainError, match="nog niet begonnen"):
        dc.record_consultation_held(consultation, by=doctor_bram)
    clock.shift(dt.timedelta(hours=2, minutes=5))
    with pytest.raises(Http404):
        dc.record_no_show(consultation, by=planner_piet)
    dc.record_consultation_held(consultation, by=doctor_bram)

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.HELD
    assert consultation.no_show_notified_at is None


@pytest.mark.parametrize(
    ("kind", "notified"),
    [
        (Consultation.Kind.REGULAR, True),
        (Consultation.Kind.PREVENTIVE, False),
        (Consultation.Kind.OTHER, False),
    ],
)
def test_a_no_show_notifies_the_employer_only_for_a_regular_consultation(
    clock, doctor_bram, treated, kind, notified
) -> None:
    consultation = dc.plan_consultation(
        treated, slot=_slot(doctor_bram), kind=kind, by=doctor_bram, notify=False
    )
    clock.shift(dt.timedelta(hours=3))

    dc.record_no_show(consultation, by=doctor_bram)

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.NO_SHOW
    assert (consultation.no_show_notified_at is not None) is notified


def test_a_booked_slot_cannot_be_deleted(clock, doctor_bram, treated, planner_piet) -> None:
    booked, free = _slot(doctor_bram, hours=2), _slot(doctor_bram, hours=3)
    dc.plan_consultation(treated, slot=booked, by=planner_piet, notify=False)

    with pytest.raises(DomainError):
        dc.delete_slot(booked, by=planner_piet)
    dc.delete_slot(free, by=planner_piet)

    assert list(ConsultationSlot.objects.all()) == [booked]


def test_agenda_page_lists_appointments_and_free_slots(clock, doctor_bram, treated, planner_piet) -> None:
    booked, _free = _slot(doctor_bram, hours=2), _slot(doctor_bram, hours=3)
    dc.plan_consultation(treated, slot=booked, by=planner_piet, notify=False)
    params = {"doctor": doctor_bram.pk, "date": "2027-03-01", "view": "day"}

    doctors_page = login(doctor_bram).get(reverse("medical:agenda"), params).content.decode()
    planners_page = login(planner_piet).get(reverse("medical:agenda"), params).content.decode()

    assert treated.full_name in doctors_page
    assert doctors_page.count("vrij") == 1
    # The planner sees that the time is taken, not by whom (that is category B), and can move it.
    assert treated.full_name not in planners_page
    assert (planners_page.count("bezet"), planners_page.count("vrij")) == (1, 1)
    assert reverse("medical:reschedule", args=[booked.consultations.get().pk]) in planners_page
    assert list(
        AuditEvent.objects.filter(event="medical.agenda_viewed", subject_id=treated.pk).values_list(
            "actor__username", "category"
        )
    ) == [(doctor_bram.username, "B")]


def test_staff_with_category_d_only_see_no_agenda_and_no_appointment(
    clock, doctor_bram, treated, planner_piet, employer_a
) -> None:
    """Financieel medewerker, directeur, arbeidshygiënist, secretariaat on the doctor's team: that
    a named employee sees the doctor is care data (B/C), so no agenda, no appointment list."""
    from arbo.identity.roles import StaffFunction

    consultation = dc.plan_consultation(treated, slot=_slot(doctor_bram), by=planner_piet, notify=False)
    for function in (
        StaffFunction.FINANCIEEL_MEDEWERKER,
        StaffFunction.DIRECTEUR,
        StaffFunction.ARBEIDSHYGIENIST,
        StaffFunction.SECRETARIAAT,
    ):
        user = f.UserFactory(username=f"d-only-{function}", kind=User.Kind.STAFF)
        f.give_function(user, function)
        f.join_team(user, employer_a)
        client = login(user)
        assert client.get(reverse("medical:agenda")).status_code == 404, function
        assert client.get(consultation.get_absolute_url()).status_code == 404, function
        assert client.get(reverse("medical:invitation_pdf", args=[consultation.pk])).status_code == 404
        page = client.get(treated.get_absolute_url())
        assert page.status_code == 200, function  # the employee's D, still
        assert show_date(consultation.starts_at) not in page.content.decode(), function
        assert client.get(reverse("medical:plan", args=[treated.pk])).status_code == 404, function


def test_slots_through_the_agenda_form(clock, doctor_bram) -> None:
    client = login(doctor_bram)

    response = client.post(
        reverse("medical:add_slots"),
        {
            "doctor": doctor_bram.pk,
            "day": "2027-03-02",
            "start": "09:00",
            "end": "10:30",
            "minutes": 30,
            "mode": Mode.IN_PERSON,
            "location": "Utrecht",
        },
    )

    assert response.status_code == 302
    starts = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in ConsultationSlot.objects.all()]
    assert starts == ["09:00", "09:30", "10:00"]


def test_booking_through_http_by_the_planner(
    clock, doctor_bram, treated, planner_piet, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    treated.email = "werknemer@example.nl"
    treated.save()
    slot = _slot(doctor_bram)
    client = login(planner_piet)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("medical:plan", args=[treated.pk]), {"slot": slot.pk, "kind": Consultation.Kind.REGULAR}
        )

    assert Consultation.objects.count() == 1
    assert response.status_code == 302
    # The planner may not read the appointment by name: back to the doctor's agenda of that day.
    assert response["Location"] == f"{reverse('medical:agenda')}?doctor={doctor_bram.pk}&date=2027-03-01"
    assert [m.to for m in mailoutbox] == [["werknemer@example.nl"]]
    form = client.get(reverse("medical:plan", args=[treated.pk])).content.decode()
    assert 'name="reason"' not in form


def test_a_past_consultation_is_recorded_by_the_doctor_only(
    clock, doctor_bram, treated, planner_piet
) -> None:
    start = timezone.now() - dt.timedelta(hours=3)
    end = start + dt.timedelta(minutes=20)

    with pytest.raises(Http404):
        dc.record_past_consultation(treated, starts_at=start, ends_at=end, by=planner_piet)
    with pytest.raises(DomainError, match="verleden"):
        dc.record_past_consultation(
            treated,
            starts_at=start + dt.timedelta(days=1),
            ends_at=end + dt.timedelta(days=1),
            by=doctor_bram,
        )
    no_show = dc.record_past_consultation(
        treated, starts_at=start, ends_at=end, status=Consultation.Status.NO_SHOW, by=doctor_bram
    )

    assert (no_show.status, no_show.doctor) == (Consultation.Status.NO_SHOW, doctor_bram)
    assert no_show.no_show_notified_at == timezone.now()


@pytest.mark.parametrize("viewer", ["doctor", "planner"])
@pytest.mark.parametrize("count", [1, 3])
def test_agenda_queries_do_not_grow_with_the_appointments(
    clock, doctor_bram, employer_a, planner_piet, count, viewer, django_assert_max_num_queries
) -> None:
    from arbo.access import care

    employees = [e.employee for e in employer_a.employments.all()[:count]]
    for hours, employee in enumerate(employees, start=2):
        care.assign_treating_doctor(employee, doctor_bram, by=doctor_bram)
        dc.plan_consultation(employee, slot=_slot(doctor_bram, hours=hours), by=planner_piet, notify=False)
    client = login(doctor_bram if viewer == "doctor" else planner_piet)
    url = reverse("medical:agenda")
    client.get(url)  # warm the session and the matrix cache

    # COPY writes the audit rows on PostgreSQL: one fewer there. Two of these are the access
    # policy's once-per-request reads of the served employers and the size of the reach (issue 12).
    with django_assert_max_num_queries(26):
        response = client.get(url, {"doctor": doctor_bram.pk, "date": "2027-03-01", "view": "day"})

    html = response.content.decode()
    if viewer == "doctor":
        assert html.count("/reschedule/") == 0
        assert html.count("medical/consultations/") == count
    else:
        assert (html.count("bezet"), html.count("/reschedule/")) == (count, count)


def test_only_planners_of_the_doctors_teams_manage_the_doctors_hours(
    clock, doctor_bram, planner_piet, employer_b
) -> None:
    from django.http import Http404

    from arbo.identity.roles import StaffFunction

    start = timezone.now() + dt.timedelta(days=1)
    slot = dc.create_slot(
        doctor=doctor_bram, starts_at=start, ends_at=start + dt.timedelta(minutes=30), by=planner_piet
    )
    stranger = f.UserFactory(username="planner-elsewhere", kind=User.Kind.STAFF)
    f.give_function(stranger, StaffFunction.PLANNER)
    f.join_team(stranger, f.EmployerFactory(name="Elders BV"))  # a team Bram does not serve
    with pytest.raises(Http404):
        dc.create_slot(
            doctor=doctor_bram,
            starts_at=start + dt.timedelta(hours=1),
            ends_at=start + dt.timedelta(hours=2),
            by=stranger,
        )
    with pytest.raises(Http404):
        dc.delete_slot(slot, by=stranger)
    assert ConsultationSlot.objects.filter(pk=slot.pk).exists()
    dc.delete_slot(slot, by=planner_piet)
    assert not ConsultationSlot.objects.filter(pk=slot.pk).exists()
