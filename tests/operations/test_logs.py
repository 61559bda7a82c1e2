"""The logs of typical requests hold no name, BSN or e-mail address, and every line is JSON with
the request id, the user's id and the view."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arbo.lib.jsonlog import JsonFormatter, RequestContextFilter, redact
from arbo.registry.models import Employee
from tests.identity import flows
from tests.worker import run_tasks

BSN = "111222333"  # passes the 11-test


@pytest.fixture
def log_output():  # type: ignore[no-untyped-def]
    """Everything every logger says, at DEBUG, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_redact_blanks_query_strings_emails_and_bsns() -> None:
    assert (
        redact('"GET /registry/employees/?q=Jansen HTTP/1.1" 200')
        == '"GET /registry/employees/?… HTTP/1.1" 200'
    )
    assert redact("mail to anna.de.vries@example.nl failed") == "mail to [e-mail] failed"
    assert redact(f"duplicate key {BSN}") == "duplicate key [9 cijfers]"


@pytest.mark.django_db(transaction=False)
def test_the_logs_of_typical_requests_hold_no_personal_data(
    client, mfa_client, casemanager_carla, hr_wim, employee_eva, employer_a, log_output
) -> None:
    person = Employee.objects.get(pk=employee_eva.employee.pk) if hasattr(employee_eva, "employee") else None
    people = list(Employee.objects.filter(employments__employer=employer_a))
    secrets = {p.surname for p in people} | {p.first_names for p in people if p.first_names}
    secrets |= {p.email for p in people if p.email} | {p.bsn for p in people if p.bsn}
    secrets |= {BSN, "Zevenbergen", "zeven@example.nl", employee_eva.email or "eva@example.nl"}
    if person is not None:
        secrets.add(person.surname)

    # A failed login with an e-mail address as the user name, then a real login flow's first step.
    flows.password_step(client, "zeven@example.nl", "wrong-password")
    flows.password_step(client, casemanager_carla.username, "wrong-password")

    carla = mfa_client(casemanager_carla)
    subject = people[0]
    pages = [
        reverse("registry:employee_list"),
        reverse("registry:employee_list") + f"?q={subject.surname}",
        reverse("registry:employee_list") + f"?q={subject.bsn}",
        reverse("registry:employee_detail", args=[subject.pk]),
        reverse("registry:employee_detail", args=[999_999]),  # 404
        "/registry/no-such-page/?email=zeven@example.nl",
    ]
    for url in pages:
        carla.get(url)
    # A roster import with a new person: upload, preview, commit in the worker.
    header = "personeelsnummer;bsn;achternaam;geboortedatum;in_dienst;email"
    row = f"Z1;{BSN};Zevenbergen;1980-01-01;2020-01-01;zeven@example.nl"
    upload = SimpleUploadedFile("p.csv", f"{header}\n{row}\n".encode(), content_type="text/csv")
    response = carla.post(reverse("registry:roster_upload", args=[employer_a.pk]), {"file": upload})
    run_tasks()  # the check, in the worker
    carla.get(response.url)
    carla.post(response.url.rstrip("/") + "/commit/")
    run_tasks()
    assert Employee.objects.filter(surname="Zevenbergen").exists()
    carla.get(reverse("registry:employee_list") + "?q=Zevenbergen")
    carla.post(reverse("registry:employee_edit", args=[subject.pk]), {"surname": ""})  # invalid form

    mfa_client(hr_wim).get(reverse("registry:employee_list"))
    mfa_client(employee_eva).get(reverse("registry:my_data"))

    output = log_output.getvalue()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "arbo.request"]
    assert len(requests) >= len(pages) + 4
    assert all(len(line["request_id"]) == 32 for line in requests)
    assert {line.get("view") for line in requests} >= {"registry:employee_list", "registry:employee_detail"}
    assert casemanager_carla.pk in {line.get("user_id") for line in requests}
    leaked = sorted(secret for secret in secrets if secret and secret in output)
    assert leaked == [], f"personal data in the logs: {leaked}"
