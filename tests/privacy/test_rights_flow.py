"""The whole journey through HTTP: an employee asks for access in the portal, the privacy officer and
the treating doctor handle it, the employee downloads PDF, JSON and FHIR with every canary of theirs."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from arbo.access import care
from arbo.portal.models import InboxMessage
from arbo.privacy.rights import fhir
from arbo.privacy.rights.models import RightsRequest
from tests.privacy.canaries import write_canaries
from tests.privacy.test_rights_package import bundle_text, json_text, pdf_text

pytestmark = pytest.mark.django_db


def _client(mfa_client, user) -> Client:  # type: ignore[no-untyped-def]
    mfa_client(user)
    client = Client()
    client.force_login(user)
    return client


def test_access_request_from_portal_to_download(
    mfa_client, fg_piet, doctor_bram, employee_of_a, employee_of_b, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=fg_piet)
    mine = write_canaries(employee_of_a, doctor_bram)
    theirs = write_canaries(employee_of_b, doctor_bram)
    eva, piet, bram = (_client(mfa_client, u) for u in (employee_eva, fg_piet, doctor_bram))

    response = eva.post("/privacy/rights/file/", {"kind": "access", "description": ""})
    assert response.status_code == 302
    rights_request = RightsRequest.objects.get()
    assert "Mijn verzoeken" in eva.get("/privacy/rights/mine/").content.decode()
    assert rights_request.reference in piet.get("/privacy/rights/").content.decode()

    # Releasing before the doctor reviewed the medical part is refused, nothing changes.
    piet.post(f"/privacy/rights/{rights_request.pk}/decide/", {"outcome": "granted"})
    rights_request.refresh_from_db()
    assert rights_request.is_open

    assert piet.post(f"/privacy/rights/{rights_request.pk}/send-for-review/").status_code == 302
    assert eva.get(f"/privacy/rights/{rights_request.pk}/review/").status_code == 404
    page = bram.get(f"/privacy/rights/{rights_request.pk}/review/")
    assert page.status_code == 200
    assert mine["note"] in page.content.decode()
    # The doctor reads the records by their human titles, not by model name.
    assert "Medische aantekening (" in page.content.decode()
    assert "medical note (" not in page.content.decode()
    assert bram.post(f"/privacy/rights/{rights_request.pk}/review/", {}).status_code == 302

    assert (
        piet.post(f"/privacy/rights/{rights_request.pk}/decide/", {"outcome": "granted"}).status_code == 302
    )
    rights_request.refresh_from_db()
    assert rights_request.status == RightsRequest.Status.DECIDED
    letter = InboxMessage.objects.get(source=f"privacy.rights:{rights_request.pk}:decision")
    # The letter in the portal carries a working link (not text) to the download page ...
    page = eva.get(f"/portal/inbox/{letter.pk}/").content.decode()
    link = re.search(r'<a href="(/privacy/rights/\d+/download/[^/"]+/)">http://testserver/privacy/', page)
    assert link is not None, page
    # ... and leads on to the list of the person's requests, not back to the letter.
    assert 'href="/privacy/rights/mine/"' in page
    download_page = eva.get(link.group(1)).content.decode()
    for fmt in ("pdf", "json", "fhir"):
        assert f'href="{link.group(1)}{fmt}/"' in download_page
    assert 'href="/privacy/rights/mine/"' in download_page
    detail = eva.get(f"/privacy/rights/{rights_request.pk}/").content.decode()
    assert f'href="/portal/inbox/{letter.pk}/"' in detail
    assert 'href="/privacy/rights/mine/"' in detail

    texts = {}
    pdf = eva.get(link.group(1) + "pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")  # a copy to keep
    texts["pdf"] = pdf_text(pdf.content)
    texts["json"] = json_text(json.loads(eva.get(link.group(1) + "json/").content))
    bundle = json.loads(eva.get(link.group(1) + "fhir/").content)
    fhir.validate(bundle)
    texts["fhir"] = bundle_text(bundle)
    for form, text in texts.items():
        assert [w for w, c in mine.items() if c not in text] == [], form
        assert [w for w, c in theirs.items() if c in text] == [], form

    # Only the person, only with the token, only in the known formats.
    assert piet.get(link.group(1) + "pdf/").status_code == 404
    assert eva.get(f"/privacy/rights/{rights_request.pk}/download/wrong-token/pdf/").status_code == 404
    assert eva.get(link.group(1) + "docx/").status_code == 404
    assert (
        eva.get(f"/privacy/rights/{rights_request.pk}/letters/decision.pdf")["Content-Type"]
        == "application/pdf"
    )


def test_the_link_expires(mfa_client, fg_piet, employee_of_a, employee_eva) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    from arbo.privacy.rights import domain

    rights_request = domain.file_request(by=employee_eva, employee=employee_of_a, kind="access")
    domain.decide(rights_request, by=fg_piet, outcome="granted", download_url=lambda t: t)
    token = InboxMessage.objects.get(source=f"privacy.rights:{rights_request.pk}:decision").body
    token = next(
        line.strip() for line in token.splitlines() if len(line.strip()) > 30 and " " not in line.strip()
    )
    eva = _client(mfa_client, employee_eva)
    url = f"/privacy/rights/{rights_request.pk}/download/{token}/json/"
    assert eva.get(url).status_code == 200
    RightsRequest.objects.filter(pk=rights_request.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert eva.get(url).status_code == 404


def test_the_register_costs_the_same_queries_for_one_or_three_requests(
    mfa_client, fg_piet, employer_a, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from arbo.privacy.rights import domain

    people = [e.employee for e in employer_a.employments.select_related("employee")]
    piet = _client(mfa_client, fg_piet)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert piet.get("/privacy/rights/").status_code == 200
        return len(queries)

    domain.file_request(by=employee_eva, employee=people[0], kind="access")
    count()  # the first page of a session loads what later pages reuse
    one = count()
    for person in people[1:3]:
        domain.file_request(
            by=fg_piet,
            employee=person,
            kind="access",
            channel="letter",
            id_copy=b"%PDF",
            id_copy_type="application/pdf",
        )
    assert count() == one
