"""The register of processors (EEA only) and supplier support windows that end by themselves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.privacy.processors.models import Processor, SupportWindow
from arbo.privacy.register.models import StatementVersion

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


PROCESSOR = {
    "name": "Hosting BV",
    "services": "Hosting van de applicatie en back-ups",
    "agreement_signed_on": "2025-01-01",
    "certifications": ["ISO 27001", "NEN 7510"],
    "locations": "NL, DE",
    "active": "on",
}


@pytest.mark.django_db
def test_a_processor_outside_the_eea_is_refused_and_nothing_changes(mfa_client, fg_piet):
    client = mfa_client(fg_piet)
    audit = AuditEvent.objects.filter(event__startswith="privacy.processor").count()
    response = client.post("/privacy/processors/new/", {**PROCESSOR, "locations": "NL, US"})
    assert "Verwerking buiten de EER is niet toegestaan (US)." in response.content.decode()
    assert not Processor.objects.exists()
    assert AuditEvent.objects.filter(event__startswith="privacy.processor").count() == audit
    response = client.post("/privacy/processors/new/", PROCESSOR)
    processor = Processor.objects.get()
    assert response["Location"] == f"/privacy/processors/{processor.pk}/"
    assert processor.locations == ["NL", "DE"]
    # The statement names the processor from the next version on.
    assert "Hosting BV" in client.get("/privacy/statement/").content.decode()
    assert StatementVersion.objects.count() == 2


@pytest.mark.django_db
def test_a_supplier_account_works_only_inside_its_window_and_is_audited(
    client, mfa_client, fg_piet, employer_a
):
    with time_machine.travel(NOW, tick=False):
        fg = mfa_client(fg_piet)
        fg.post("/privacy/processors/new/", PROCESSOR)
        processor = Processor.objects.get()
        response = fg.post(
            f"/privacy/processors/{processor.pk}/windows/",
            {
                "new_username": "eng.jan",
                "new_name": "Jan Leverancier",
                "new_email": "jan@hosting.example",
                "ticket": "T-4711",
                "reason": "Back-up herstellen na een storing",
                "starts_at": _local(NOW),
                "ends_at": _local(NOW + dt.timedelta(hours=2)),
            },
            follow=True,
        )
        assert "Eenmalig wachtwoord voor eng.jan" in response.content.decode()
        fg.logout()
    engineer = User.objects.get(username="eng.jan")
    assert engineer.kind == User.Kind.SUPPLIER

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        supplier = mfa_client(engineer)
        home = supplier.get("/", follow=True)
        assert home.redirect_chain[-1][0] == "/privacy/support/"
        assert "T-4711" in home.content.decode()
        # No function, no personal data.
        employees = supplier.get("/registry/employees/")
        assert employees.status_code in (200, 404)
        for employment in employer_a.employments.select_related("employee"):
            assert employment.employee.surname not in employees.content.decode()
    requests = AuditEvent.objects.filter(event="privacy.support_request", actor=engineer)
    assert {e.data["path"] for e in requests} >= {"/", "/privacy/support/", "/registry/employees/"}
    assert all(e.object_type == "privacy.supportwindow" for e in requests)

    with time_machine.travel(NOW + dt.timedelta(hours=2, minutes=1), tick=False):
        supplier = mfa_client(engineer)
        response = supplier.get("/privacy/support/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in supplier.session
        assert supplier.get("/privacy/support/").status_code == 302
    assert AuditEvent.objects.filter(event="privacy.support_window_closed", actor=engineer).exists()


@pytest.mark.django_db
def test_a_revoked_window_ends_at_once_and_windows_are_bounded(mfa_client, fg_piet):
    from arbo.privacy.processors import domain

    with time_machine.travel(NOW, tick=False):
        processor = domain.save_processor(
            None,
            by=fg_piet,
            name="Support BV",
            services="Beheer",
            agreement_signed_on=dt.date(2025, 1, 1),
            locations=["NL"],
            certifications=[],
            active=True,
        )
        window, _password = domain.grant_support_window(
            processor,
            by=fg_piet,
            ticket="T-1",
            reason="Storing verhelpen in de agenda",
            starts_at=NOW,
            ends_at=NOW + dt.timedelta(hours=8),
            new_username="eng.piet",
            new_name="Piet Support",
        )
        fg = mfa_client(fg_piet)
        too_long = fg.post(
            f"/privacy/processors/{processor.pk}/windows/",
            {
                "engineer": window.engineer.pk,
                "ticket": "T-2",
                "reason": "Nog een storing verhelpen",
                "starts_at": _local(NOW),
                "ends_at": _local(NOW + dt.timedelta(hours=9)),
            },
            follow=True,
        )
        assert "Een venster duurt hooguit acht uur." in too_long.content.decode()
        assert SupportWindow.objects.count() == 1
        fg.post(f"/privacy/support/windows/{window.pk}/revoke/")
        fg.logout()
        supplier = mfa_client(window.engineer.user)
        assert supplier.get("/privacy/support/").status_code == 302


@pytest.mark.django_db
def test_processor_list_takes_constant_queries(mfa_client, fg_piet):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from arbo.privacy.processors import domain

    def add(n: int) -> None:
        for i in range(n):
            domain.save_processor(
                None,
                by=fg_piet,
                name=f"P{i}",
                services="x",
                agreement_signed_on=dt.date(2025, 1, 1),
                locations=["NL"],
                certifications=[],
                active=True,
            )

    client = mfa_client(fg_piet)
    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get("/privacy/processors/")
    add(3)
    with CaptureQueriesContext(connection) as four:
        page = client.get("/privacy/processors/")
    assert len(four.captured_queries) <= len(one.captured_queries)
    assert len(re.findall(r'href="/privacy/processors/\d+/"', page.content.decode())) == 4
