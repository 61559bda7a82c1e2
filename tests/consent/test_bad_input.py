"""Bad input on the disclosure pages gets a clear message and changes nothing (issue 16, "Done when").

Over HTTP, as the staff member would meet it: an expired consent, a recipient without a profile, a
package for someone the user may not see, and a signed consent form that is expired, missing or not
a scan. Each answer names the problem in Dutch; no disclosure, no consent and no audit record of a
disclosure is written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from arbo.audit.models import AuditEvent
from arbo.consent.models import Consent, Disclosure, RecipientProfile
from arbo.medical import keys
from tests.consent.test_disclosure import SIGNED_FORM
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db


def _nothing_disclosed() -> None:
    assert Disclosure.objects.count() == 0
    assert not AuditEvent.objects.filter(event="consent.disclosed").exists()


def _form(name: str = "toestemming.pdf", content: bytes = SIGNED_FORM) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _record(client, treated, recipient, **changes):  # type: ignore[no-untyped-def]
    data = {
        "recipient": recipient.pk,
        "given_by": treated.full_name,
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "signed_form": _form(),
        **changes,
    }
    data = {k: v for k, v in data.items() if v is not None}
    url = reverse("consent:disclosure_consent", args=[treated.pk])
    return client.post(f"{url}?recipient={recipient.pk}", data, follow=True)


def test_an_expired_consent_is_refused_with_a_message(world, doctor_bram, treated, lawyer) -> None:  # type: ignore[no-untyped-def]
    client = login(doctor_bram)
    assert "De toestemming is vastgelegd." in _record(client, treated, lawyer).content.decode()
    Consent.objects.update(valid_until=timezone.localdate() - dt.timedelta(days=1))

    response = client.post(
        reverse("consent:compose", args=[treated.pk]), {"recipient": lawyer.pk, "items": ["person.name"]}
    )

    assert response.status_code == 422
    assert "geen geldige toestemming (nooit gegeven, verlopen of ingetrokken)" in response.content.decode()
    _nothing_disclosed()


def test_a_recipient_without_a_profile_is_refused_with_a_message(
    world, doctor_bram, treated, reintegrator
) -> None:  # type: ignore[no-untyped-def]
    RecipientProfile.objects.filter(kind=reintegrator.kind).delete()

    response = login(doctor_bram).post(
        reverse("consent:compose", args=[treated.pk]),
        {"recipient": reintegrator.pk, "items": ["person.name"]},
    )

    assert response.status_code == 422
    assert (
        "Voor dit soort ontvanger is geen profiel vastgelegd: er mag niets naartoe."
        in response.content.decode()
    )
    _nothing_disclosed()


def test_a_package_for_someone_the_user_may_not_see_is_404_and_writes_nothing(
    casemanager_carla, employee_of_b, reintegrator
) -> None:  # type: ignore[no-untyped-def]
    client = login(casemanager_carla)
    url = reverse("consent:compose", args=[employee_of_b.pk])

    assert client.get(url, {"recipient": reintegrator.pk}).status_code == 404
    assert client.post(url, {"recipient": reintegrator.pk, "items": ["person.name"]}).status_code == 404
    assert _record(client, employee_of_b, reintegrator).status_code == 404
    _nothing_disclosed()
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_until": "2020-01-01"}, "De toestemming is al verlopen"),
        ({"signed_form": None}, "upload het ondertekende formulier"),
        ({"signed_form": "text"}, "Upload het ondertekende formulier als PDF, JPEG of PNG."),
        ({"given_by": ""}, "Vul in wie toestemming gaf"),
    ],
)
def test_a_bad_consent_form_is_refused_with_a_message(
    changes, message, world, doctor_bram, treated, lawyer
) -> None:  # type: ignore[no-untyped-def]
    if changes.get("signed_form") == "text":
        changes = {"signed_form": _form("formulier.txt", b"dit is geen scan")}
    response = _record(login(doctor_bram), treated, lawyer, **changes)

    assert message in response.content.decode()
    assert Consent.objects.count() == 0
    assert not AuditEvent.objects.filter(event="consent.recorded").exists()


def test_the_signed_form_is_sealed_at_rest_and_reaches_the_persons_package(
    world, doctor_bram, treated, lawyer
) -> None:  # type: ignore[no-untyped-def]
    scan = SIGNED_FORM + b" KANARIE-handtekening"
    _record(login(doctor_bram), treated, lawyer, signed_form=_form(content=scan))

    consent = Consent.objects.get()
    stored = bytes(consent.form_encrypted)
    assert b"KANARIE-handtekening" not in stored
    assert keys.Opener(treated).file(stored) == scan
    assert (consent.how, consent.form_content_type) == (Consent.How.WRITTEN, "application/pdf")

    from arbo.consent.queries import subject_records

    files = [f for r in subject_records(treated, reader=None) for f in r.files]
    assert [f.content for f in files] == [scan]
