"""Complaints over HTTP: filed from the portal or by staff, the Wkkgz terms, letters, visibility."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.portal.models import InboxMessage
from arbo.privacy.complaints import domain
from arbo.privacy.complaints.models import Complaint, ComplaintSignal
from arbo.privacy.complaints.terms import add_months, initial_due, latest_extension
from arbo.privacy.reminders import raise_complaint_signals
from tests import factories as f

RECEIVED = dt.date(2026, 3, 2)


def test_terms() -> None:
    assert initial_due("wkkgz", RECEIVED) == dt.date(2026, 4, 13)  # six weeks
    assert latest_extension("wkkgz", RECEIVED) == dt.date(2026, 5, 11)  # plus four
    assert initial_due("privacy", RECEIVED) == dt.date(2026, 4, 2)  # one month
    assert latest_extension("privacy", RECEIVED) == dt.date(2026, 6, 2)  # plus two
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


@pytest.fixture
def medical_manager(employer_a) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="mm", kind=User.Kind.STAFF, email="mm@example.org")
    f.give_function(user, StaffFunction.MEDISCH_MANAGER)
    return user


@pytest.fixture
def colleague_doctor(employer_a) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="dokter2", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.BEDRIJFSARTS)
    f.join_team(user, employer_a)
    return user


@pytest.mark.django_db
def test_wkkgz_complaint_from_the_portal_to_the_outcome_letter(
    mfa_client, employee_eva, doctor_bram, colleague_doctor, fg_piet, medical_manager, mailoutbox
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        portal = mfa_client(employee_eva)
        response = portal.post(
            "/privacy/complaints/file/",
            {
                "kind": "wkkgz",
                "description": "De bedrijfsarts luisterde niet en gaf een advies zonder onderzoek.",
            },
        )
        complaint = Complaint.objects.get()
        assert response["Location"] == f"/privacy/complaints/{complaint.pk}/"
        page = portal.get(response["Location"]).content.decode()
        assert "13 april 2026" in page  # six weeks
        portal.logout()

        fg = mfa_client(fg_piet)
        assert complaint.reference in fg.get("/privacy/").content.decode()  # no handler yet
        fg.post(
            f"/privacy/complaints/{complaint.pk}/assign/",
            {"handler": medical_manager.pk, "about": doctor_bram.pk},
        )
        fg.logout()
    assert mailoutbox[-1].to == ["mm@example.org"]
    assert "luisterde" not in mailoutbox[-1].body  # the e-mail says only that a complaint waits

    with time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        handler = mfa_client(medical_manager)
        handler.post(f"/privacy/complaints/{complaint.pk}/acknowledge/")
        handler.post(
            f"/privacy/complaints/{complaint.pk}/extend/",
            {"new_due_on": "2026-05-11", "reason": "We horen eerst de bedrijfsarts en een tweede arts."},
        )
        handler.post(
            f"/privacy/complaints/{complaint.pk}/decide/",
            {"upheld": "yes", "outcome": "Gegrond: het advies wordt opnieuw gegeven na een consult."},
        )
        handler.logout()

    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.DECIDED
    assert complaint.upheld
    assert complaint.due_on == dt.date(2026, 5, 11)
    subjects = list(InboxMessage.objects.filter(recipient=employee_eva).values_list("subject", flat=True))
    assert len(subjects) == 3
    portal = mfa_client(employee_eva)
    inbox = portal.get("/portal/inbox/").content.decode()
    ids = re.findall(r'href="/portal/inbox/(\d+)/"', inbox)
    letters = [portal.get(f"/portal/inbox/{i}/").content.decode() for i in ids]
    assert any("Gegrond: het advies wordt opnieuw gegeven" in letter for letter in letters)
    assert any("11 mei 2026" in letter and "tweede arts" in letter for letter in letters)
    portal.logout()

    # The doctor complained about and a colleague see nothing; the handler and the FG do.
    for outsider in (doctor_bram, colleague_doctor):
        client = mfa_client(outsider)
        assert client.get(f"/privacy/complaints/{complaint.pk}/").status_code == 404
        assert complaint.reference not in client.get("/privacy/complaints/?show=all").content.decode()
        client.logout()
    assert mfa_client(medical_manager).get(f"/privacy/complaints/{complaint.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_person_complained_about_cannot_handle_it(mfa_client, employee_of_a, doctor_bram, fg_piet):
    complaint = domain.file_complaint(
        by=fg_piet,
        kind="wkkgz",
        description="Klacht over de zorg van dokter Bram.",
        complainant=employee_of_a,
        about=doctor_bram,
    )
    audit = AuditEvent.objects.count()
    response = mfa_client(fg_piet).post(
        f"/privacy/complaints/{complaint.pk}/assign/", {"handler": doctor_bram.pk}, follow=True
    )
    assert "Wie de klacht betreft, kan haar niet zelf behandelen." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.handler is None
    assert not AuditEvent.objects.filter(pk__gt=audit, event="privacy.complaint_assigned").exists()


@pytest.mark.django_db
def test_an_extension_is_refused_beyond_four_weeks_after_the_term_or_twice(
    mfa_client, employee_of_a, fg_piet
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        complaint = domain.file_complaint(
            by=fg_piet,
            kind="wkkgz",
            description="Lange wachttijd voor een spreekuur.",
            complainant=employee_of_a,
            received_on=RECEIVED,
        )
    url = f"/privacy/complaints/{complaint.pk}/extend/"
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        client = mfa_client(fg_piet)
        page = client.post(
            url,
            {"new_due_on": "2026-05-12", "reason": "Meer tijd nodig voor hoor en wederhoor."},
            follow=True,
        )
        assert "uiterlijk op 11 mei 2026" in page.content.decode()
        complaint.refresh_from_db()
        assert complaint.due_on == dt.date(2026, 4, 13)
        assert complaint.extended_on is None
    with time_machine.travel(dt.datetime(2026, 4, 14, 10, tzinfo=dt.UTC), tick=False):
        client = mfa_client(fg_piet)
        page = client.post(
            url,
            {"new_due_on": "2026-05-01", "reason": "Meer tijd nodig voor hoor en wederhoor."},
            follow=True,
        )
        assert "De termijn is al verstreken" in page.content.decode()
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        client = mfa_client(fg_piet)
        client.post(url, {"new_due_on": "2026-05-01", "reason": "Meer tijd nodig voor hoor en wederhoor."})
        page = client.post(
            url, {"new_due_on": "2026-05-08", "reason": "Nog meer tijd nodig, sorry daarvoor."}, follow=True
        )
        assert "dat kan maar één keer" in page.content.decode()
    complaint.refresh_from_db()
    assert complaint.due_on == dt.date(2026, 5, 1)


@pytest.mark.django_db
def test_staff_register_a_complaint_and_bad_input_changes_nothing(mfa_client, casemanager_carla, employer_a):
    client = mfa_client(casemanager_carla)
    response = client.post(
        "/privacy/complaints/new/",
        {
            "kind": "privacy",
            "received_on": "2026-03-02",
            "description": "kort",
            "language": "nl",
            "complainant_name": "",
        },
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    number = employer_a.employments.first().personnel_number
    response = client.post(
        "/privacy/complaints/new/",
        {
            "kind": "privacy",
            "received_on": "2026-03-02",
            "description": "Mijn verzuimgegevens zijn met een collega gedeeld.",
            "language": "en",
            "employer": employer_a.pk,
            "personnel_number": number,
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "staff"
    assert complaint.language == "en"
    # The registering casemanager is not the handler and does not see it afterwards.
    assert client.get(f"/privacy/complaints/{complaint.pk}/").status_code == 404


@pytest.mark.django_db
def test_complaint_signals_once_per_term(employee_of_a, fg_piet):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        complaint = domain.file_complaint(
            by=fg_piet, kind="wkkgz", description="Klacht over de bejegening.", complainant=employee_of_a
        )
    assert raise_complaint_signals(dt.date(2026, 4, 1)) == 0
    assert raise_complaint_signals(dt.date(2026, 4, 7)) == 1
    assert raise_complaint_signals(dt.date(2026, 4, 8)) == 0
    assert raise_complaint_signals(dt.date(2026, 4, 14)) == 1
    assert raise_complaint_signals(dt.date(2026, 4, 15)) == 0
    assert set(ComplaintSignal.objects.values_list("kind", flat=True)) == {"due_soon", "overdue"}
    Complaint.objects.filter(pk=complaint.pk).update(due_on=dt.date(2026, 5, 11))
    assert raise_complaint_signals(dt.date(2026, 5, 5)) == 1  # a new term, a new signal


@pytest.mark.django_db
def test_complaint_list_takes_constant_queries(mfa_client, employer_a, fg_piet):
    employees = [e.employee for e in employer_a.employments.select_related("employee")]

    def file(n: int) -> None:
        for employee in employees[:n]:
            domain.file_complaint(
                by=fg_piet, kind="privacy", description="Een klacht over mijn gegevens.", complainant=employee
            )

    client = mfa_client(fg_piet)
    file(1)
    with CaptureQueriesContext(connection) as one:
        client.get("/privacy/complaints/")
    file(3)
    with CaptureQueriesContext(connection) as four:
        page = client.get("/privacy/complaints/")
    assert len(four.captured_queries) <= len(one.captured_queries)
    assert len(re.findall(r'href="/privacy/complaints/\d+/"', page.content.decode())) == 4
