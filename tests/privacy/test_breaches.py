"""The breach register over HTTP: report, assess, decide, notify, letters in the portal, the clock."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.portal.models import InboxMessage
from arbo.privacy.breaches.clock import ClockState, clock
from arbo.privacy.breaches.models import Breach, BreachSignal
from arbo.privacy.reminders import raise_breach_signals
from tests import factories as f

AWARE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _report(client, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "summary": "Verzuimoverzicht naar verkeerde werkgever gemaild",
        "description": "Een overzicht van Bakkerij Aalbers is per ongeluk naar een andere klant gestuurd.",
        "aware_at": _local(AWARE),
        "occurred_at": _local(AWARE - dt.timedelta(hours=2)),
        "data_description": "Namen, personeelsnummers en ziektedagen",
        "data_categories": ["A", "D"],
        "people_estimate": "3",
        **overrides,
    }
    return client.post("/privacy/breaches/report/", data)


@pytest.mark.django_db
def test_casemanager_reports_fg_notifies_and_every_affected_employee_gets_the_letter(
    mfa_client, casemanager_carla, fg_piet, employer_a, portal_employees
):
    with time_machine.travel(AWARE + dt.timedelta(hours=1), tick=False):
        client = mfa_client(casemanager_carla)
        page = client.get("/registry/employees/")
        assert 'href="/privacy/breaches/report/"' in page.content.decode()  # click one
        response = _report(client)  # click two
        breach = Breach.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/privacy/breaches/{breach.pk}/"
        mine = client.get(response["Location"]).content.decode()
        assert breach.reference in mine
        assert "nog 71 u 00 min" in mine  # the clock, also for the reporter

    client.logout()
    client = mfa_client(fg_piet)
    base = f"/privacy/breaches/{breach.pk}"
    with time_machine.travel(AWARE + dt.timedelta(hours=5), tick=False):
        assert "nog 67 u 00 min" in client.get("/privacy/").content.decode()
        client.post(
            f"{base}/assess/",
            {
                "nature": ["confidentiality"],
                "risk": "high",
                "risk_reasoning": "Ziektedagen bij een andere werkgever; kans op schade.",
                "consequences": "Reputatieschade, discriminatie bij sollicitatie.",
            },
        )
        client.post(
            f"{base}/decide/",
            {
                "notify_ap": "yes",
                "notify_ap_reason": "Gezondheidsgegevens bij een derde, risico niet uit te sluiten.",
                "notify_subjects": "yes",
                "notify_subjects_reason": "Hoog risico voor de betrokkenen (art. 34).",
            },
        )
        client.post(
            f"{base}/affected/",
            {"employer": employer_a.pk, "everyone": "on", "data_categories": ["A", "D"], "language": "nl"},
        )
        english = portal_employees[0]
        number = english.employments.get().personnel_number
        client.post(
            f"{base}/affected/",
            {
                "employer": employer_a.pk,
                "personnel_numbers": number,
                "data_categories": ["D"],
                "language": "en",
            },
        )
        client.post(
            f"{base}/measures/", {"measures": "Ontvanger heeft het bestand verwijderd en dat bevestigd."}
        )
        ap = client.get(f"{base}/ap-form.json")
        pdf = client.get(f"{base}/ap-form.pdf")
        client.post(
            f"{base}/notice/",
            {"notified_at": _local(AWARE + dt.timedelta(hours=5)), "reference": "M-2026-1234"},
        )
        client.post(
            f"{base}/letters/",
            {
                "letter_text": "Een overzicht met je naam en ziektedagen is naar een verkeerde klant gestuurd.",
                "letter_text_en": "A list with your name and days of absence was sent to the wrong client.",
            },
        )

    breach.refresh_from_db()
    assert breach.risk == "high"
    assert breach.notify_ap
    assert breach.notify_subjects
    assert breach.ap_reference == "M-2026-1234"
    form = json.loads(ap.content)
    assert form["incident"]["discovered_at"] == AWARE.isoformat()
    assert form["people_concerned"]["minimum"] == 3
    assert form["people_concerned"]["per_category"] == {"A": 2, "D": 3}
    assert form["personal_data"]["special_categories"] is False
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    client.logout()
    for employee in portal_employees:
        portal = mfa_client(employee.user)
        inbox = portal.get("/portal/inbox/").content.decode()
        letter_id = re.search(r'href="/portal/inbox/(\d+)/"', inbox).group(1)
        letter = portal.get(f"/portal/inbox/{letter_id}/").content.decode()
        if employee == english:
            assert "A data breach concerning your data" in letter
            assert "sent to the wrong client" in letter
        else:
            assert "Een datalek dat jouw gegevens betreft" in letter
            assert "naar een verkeerde klant gestuurd" in letter
        assert breach.reference in letter
        portal.logout()
    assert InboxMessage.objects.filter(read_at__isnull=False).count() == 3
    linked = AuditEvent.objects.filter(event="privacy.breach_person_linked").values_list(
        "subject_id", flat=True
    )
    assert {e.pk for e in portal_employees} <= set(linked)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "state", "text"),
    [(71, ClockState.RUNNING, "nog 1 u 00 min"), (73, ClockState.OVERDUE, "1 u 00 min over de 72 uur")],
)
def test_the_clock_at_71_and_73_hours(mfa_client, casemanager_carla, fg_piet, hours, state, text):
    breach = _reported(casemanager_carla)
    with time_machine.travel(AWARE + dt.timedelta(hours=hours), tick=False):
        client = mfa_client(fg_piet)
        for url in ("/privacy/", "/privacy/breaches/", f"/privacy/breaches/{breach.pk}/"):
            page = client.get(url).content.decode()
            assert f'data-clock="{state}"' in page, url
            assert text in page, url


def test_clock_stops_on_a_decision_and_knows_a_late_notice() -> None:
    def at(hours: float, **kw):  # type: ignore[no-untyped-def]
        return clock(aware_at=AWARE, now=AWARE + dt.timedelta(hours=hours), **kw)

    undecided = {"notify_ap": None, "decided_at": None, "ap_notified_at": None}
    assert at(71, **undecided).state == ClockState.RUNNING
    assert at(72, **undecided).state == ClockState.RUNNING
    assert at(72.01, **undecided).state == ClockState.OVERDUE
    decided = AWARE + dt.timedelta(hours=3)
    assert at(80, notify_ap=False, decided_at=decided, ap_notified_at=None).state == ClockState.MET
    assert at(10, notify_ap=True, decided_at=decided, ap_notified_at=None).state == ClockState.AWAITING_NOTICE
    assert at(80, notify_ap=True, decided_at=decided, ap_notified_at=None).state == ClockState.OVERDUE
    late = AWARE + dt.timedelta(hours=75)
    assert at(90, notify_ap=True, decided_at=decided, ap_notified_at=late).state == ClockState.LATE


def _reported(user, **kw) -> Breach:  # type: ignore[no-untyped-def]
    from arbo.privacy.breaches.domain import report_breach

    fields = {
        "summary": "Laptop kwijt",
        "description": "In de trein laten liggen.",
        "data_description": "Verzuimoverzichten",
        "data_categories": ["A"],
        "people_estimate": 12,
        "aware_at": AWARE,
        **kw,
    }
    with time_machine.travel(AWARE + dt.timedelta(minutes=5), tick=False):
        return report_breach(by=user, **fields)


@pytest.mark.django_db
def test_an_empty_data_list_is_refused_and_nothing_is_registered(mfa_client, casemanager_carla):
    client = mfa_client(casemanager_carla)
    audit = AuditEvent.objects.count()
    response = _report(client, data_categories=[])
    assert response.status_code == 200
    assert "Kies welke soorten gegevens het betreft (minstens één)." in response.content.decode()
    later = _report(client, occurred_at=_local(AWARE + dt.timedelta(hours=1)))
    assert "niet later gebeurd zijn dan het moment waarop het is ontdekt" in later.content.decode()
    assert not Breach.objects.exists()
    assert AuditEvent.objects.count() == audit


@pytest.mark.django_db
def test_a_notice_before_the_incident_is_refused_and_changes_nothing(mfa_client, casemanager_carla, fg_piet):
    breach = _reported(casemanager_carla)
    Breach.objects.filter(pk=breach.pk).update(
        risk="risk",
        notify_ap=True,
        decided_at=AWARE + dt.timedelta(hours=1),
        notify_ap_reason="Risico aanwezig",
    )
    client = mfa_client(fg_piet)
    audit = AuditEvent.objects.count()
    response = client.post(
        f"/privacy/breaches/{breach.pk}/notice/",
        {"notified_at": _local(AWARE - dt.timedelta(days=1)), "reference": "M-1"},
        follow=True,
    )
    assert (
        "De melding aan de AP kan niet vóór het ontdekken van het datalek liggen."
        in response.content.decode()
    )
    breach.refresh_from_db()
    assert breach.ap_notified_at is None
    assert breach.ap_reference == ""
    assert AuditEvent.objects.filter(event__startswith="privacy.breach_ap").count() == 0
    assert (
        AuditEvent.objects.filter(event="privacy.breach_viewed").count() == AuditEvent.objects.count() - audit
    )


@pytest.mark.django_db
def test_a_decision_needs_reasons_either_way(mfa_client, casemanager_carla, fg_piet):
    breach = _reported(casemanager_carla)
    Breach.objects.filter(pk=breach.pk).update(risk="none")
    client = mfa_client(fg_piet)
    response = client.post(
        f"/privacy/breaches/{breach.pk}/decide/",
        {
            "notify_ap": "no",
            "notify_ap_reason": "nee",
            "notify_subjects": "no",
            "notify_subjects_reason": "x" * 20,
        },
        follow=True,
    )
    assert "Motiveer het besluit over de melding aan de AP" in response.content.decode()
    breach.refresh_from_db()
    assert breach.decided_at is None


@pytest.mark.django_db
def test_only_the_fg_reads_the_register_and_a_reporter_only_their_own(
    mfa_client, casemanager_carla, secretary_sara, hr_wim, employee_eva, fg_piet
):
    breach = _reported(casemanager_carla)
    url = f"/privacy/breaches/{breach.pk}/"
    assert mfa_client(secretary_sara).get(url).status_code == 404
    assert mfa_client(secretary_sara).get("/privacy/breaches/").status_code == 404
    assert mfa_client(secretary_sara).post(f"{url}close/").status_code == 404
    assert mfa_client(casemanager_carla).get("/privacy/breaches/").status_code == 404
    assert mfa_client(casemanager_carla).get("/privacy/").status_code == 404
    for outsider in (hr_wim, employee_eva):
        client = mfa_client(outsider)
        assert client.get("/privacy/breaches/report/").status_code == 404
        assert client.get(url).status_code == 404
    assert mfa_client(fg_piet).get(url).status_code == 200


@pytest.mark.django_db
def test_signals_at_24_and_48_hours_without_a_decision_once_each(casemanager_carla, fg_piet):
    breach = _reported(casemanager_carla)
    assert raise_breach_signals(AWARE + dt.timedelta(hours=23)) == 0
    assert raise_breach_signals(AWARE + dt.timedelta(hours=25)) == 1
    assert raise_breach_signals(AWARE + dt.timedelta(hours=26)) == 0
    assert raise_breach_signals(AWARE + dt.timedelta(hours=73)) == 2
    assert set(BreachSignal.objects.values_list("kind", flat=True)) == {"24h", "48h", "72h"}
    other = _reported(casemanager_carla)
    Breach.objects.filter(pk=other.pk).update(decided_at=AWARE + dt.timedelta(hours=1), notify_ap=False)
    assert raise_breach_signals(AWARE + dt.timedelta(hours=80)) == 0
    assert AuditEvent.objects.filter(event="privacy.breachsignal_raised").count() == 3
    assert breach.signals.count() == 3


@pytest.mark.django_db
def test_register_and_inbox_lists_take_constant_queries(mfa_client, casemanager_carla, fg_piet, employee_eva):
    from arbo.portal import inbox

    client = mfa_client(fg_piet)
    _reported(casemanager_carla)
    with CaptureQueriesContext(connection) as one:
        client.get("/privacy/breaches/?show=all")
    for _ in range(4):
        _reported(casemanager_carla)
    with CaptureQueriesContext(connection) as five:
        page = client.get("/privacy/breaches/?show=all")
    assert len(five.captured_queries) <= len(one.captured_queries)
    assert page.content.decode().count('href="/privacy/breaches/') >= 5

    portal = mfa_client(employee_eva)
    send = lambda n: inbox.deliver(  # noqa: E731  # a one-line helper
        recipient=employee_eva,
        employee=None,
        subject="s",
        body="b",
        source=f"t:{n}",
        sender_label="x",
        by=None,
    )
    send(0)
    with CaptureQueriesContext(connection) as one:
        portal.get("/portal/inbox/")
    for n in range(1, 5):
        send(n)
    with CaptureQueriesContext(connection) as five:
        page = portal.get("/portal/inbox/")
    assert len(five.captured_queries) <= len(one.captured_queries)
    assert len(re.findall(r'href="/portal/inbox/\d+/"', page.content.decode())) == 5


@pytest.mark.django_db
def test_a_letter_is_only_readable_by_its_recipient(mfa_client, employee_eva, employee_of_b):
    from arbo.portal import inbox

    other = f.UserFactory(username="bob", kind="employee")
    message = inbox.deliver(
        recipient=other,
        employee=None,
        subject="Geheim",
        body="Alleen voor Bob",
        source="t:1",
        sender_label="x",
        by=None,
    )
    assert mfa_client(employee_eva).get(f"/portal/inbox/{message.pk}/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None
