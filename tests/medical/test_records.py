"""Incoming letters (write-only for the secretariat), information requests under consent, the FML."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from arbo.access.policy import can_file_medical_correspondence
from arbo.audit.models import AuditEvent
from arbo.lib.dates import show_date
from arbo.lib.errors import DomainError
from arbo.medical.domain import add_medical_note
from arbo.medical.models import IncomingDocument, InformationRequest
from arbo.medical.records import domain as dr
from arbo.medical.records.models import Limitation
from arbo.medical.records.queries import document_content, fml_for
from arbo.registry.models import Practitioner
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

LETTER = b"%PDF-1.4\n% Ontslagbrief cardiologie: CANARY-C-letter-content\n%%EOF\n"


def _upload(content: bytes = LETTER, name: str = "ontslagbrief.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def practitioner(db) -> Practitioner:  # type: ignore[no-untyped-def]
    return Practitioner.objects.create(name="Huisartsenpraktijk De Linde", city="Utrecht")


# --- Letters -------------------------------------------------------------------------------------


def test_secretariat_may_file_but_not_read(secretary_sara, treated, doctor_bram) -> None:
    assert can_file_medical_correspondence(secretary_sara, treated) is True

    document = dr.file_incoming_document(
        treated,
        upload=_upload(),
        received_on=timezone.localdate(),
        sender="Cardiologie UMC",
        by=secretary_sara,
    )

    with pytest.raises(Http404):
        document_content(secretary_sara, document)
    assert document_content(doctor_bram, document)[1:] == ("application/pdf", LETTER)
    assert document.scanned_on == timezone.localdate()
    assert document.scanned_on_day_of_receipt is True


def test_other_functions_without_c_may_not_file(
    casemanager_carla, treated, employee_of_b, secretary_sara
) -> None:
    assert can_file_medical_correspondence(casemanager_carla, treated) is False
    assert can_file_medical_correspondence(secretary_sara, employee_of_b) is False  # not on B's team

    with pytest.raises(Http404):
        dr.file_incoming_document(
            treated, upload=_upload(), received_on=timezone.localdate(), by=casemanager_carla
        )

    assert IncomingDocument.objects.count() == 0


def test_only_scans_are_accepted(secretary_sara, treated) -> None:
    with pytest.raises(DomainError, match="PDF"):
        dr.file_incoming_document(
            treated,
            upload=_upload(b"MZ\x90\x00 not a scan", "brief.exe"),
            received_on=timezone.localdate(),
            by=secretary_sara,
        )

    assert IncomingDocument.objects.count() == 0


def test_paper_destruction_is_recorded(secretary_sara, treated) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    document = dr.file_incoming_document(treated, upload=_upload(), received_on=yesterday, by=secretary_sara)
    assert document.scanned_on_day_of_receipt is False

    dr.record_paper_destroyed(document, destroyed_on=timezone.localdate(), by=secretary_sara)

    document.refresh_from_db()
    assert document.paper_destroyed_on == timezone.localdate()
    with pytest.raises(DomainError):
        dr.record_paper_destroyed(document, destroyed_on=timezone.localdate(), by=secretary_sara)


def test_secretariat_files_through_http_and_gets_404_reading_back(
    secretary_sara, treated, doctor_bram
) -> None:
    add_medical_note(treated, kind="anamnese", body="CANARY-C-note-by-bram", by=doctor_bram)
    client = login(secretary_sara)

    response = client.post(
        reverse("medical:file_letter", args=[treated.pk]),
        {
            "file": _upload(),
            "received_on": timezone.localdate().isoformat(),
            "sender": "CANARY-C-sender",
            "description": "CANARY-C-description",
            "paper": "pending",
        },
    )

    document = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert client.get(reverse("medical:letter_download", args=[document.pk])).status_code == 404
    assert client.get(reverse("medical:file", args=[treated.pk])).status_code == 404
    detail = client.get(treated.get_absolute_url()).content.decode()
    pending = client.get(reverse("medical:letters_pending")).content.decode()
    assert treated.full_name in pending
    for page in (detail, pending):
        assert "CANARY-C" not in page
    destroyed = client.post(
        reverse("medical:paper_destroyed", args=[document.pk]),
        {"destroyed_on": timezone.localdate().isoformat()},
    )
    assert destroyed.status_code == 302
    document.refresh_from_db()
    assert document.paper_destroyed_on == timezone.localdate()
    assert (
        AuditEvent.objects.filter(event="medical.document_filed", actor=secretary_sara, category="C").count()
        == 1
    )


def test_the_doctor_downloads_the_letter(doctor_bram, treated, secretary_sara) -> None:
    document = dr.file_incoming_document(
        treated, upload=_upload(), received_on=timezone.localdate(), by=secretary_sara
    )

    response = login(doctor_bram).get(reverse("medical:letter_download", args=[document.pk]))

    assert response.status_code == 200
    assert response.content == LETTER
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(event="medical.document_downloaded", basis="treatment").count() == 1


# --- Information requests ------------------------------------------------------------------------


def test_no_information_request_without_consent(doctor_bram, treated, practitioner) -> None:
    with pytest.raises(DomainError) as error:
        dr.create_information_request(
            treated, practitioner=practitioner, question="Welke medicatie?", by=doctor_bram
        )

    assert error.value.message.startswith("Er is geen toestemming van de werknemer vastgelegd")
    assert InformationRequest.objects.count() == 0


def test_consent_is_per_practitioner_and_withdrawable(doctor_bram, treated, practitioner) -> None:
    other = Practitioner.objects.create(name="Fysiotherapie Oost")
    consent = dr.record_information_consent(
        treated,
        practitioner=practitioner,
        question="Behandelplan rugklachten",
        given_by=treated.full_name,
        given_on=timezone.localdate(),
        by=doctor_bram,
    )

    request = dr.create_information_request(
        treated, practitioner=practitioner, question="Welke behandeling?", by=doctor_bram
    )
    with pytest.raises(DomainError):
        dr.create_information_request(
            treated, practitioner=other, question="Welke behandeling?", by=doctor_bram
        )
    dr.withdraw_information_consent(consent, by=doctor_bram)
    with pytest.raises(DomainError):
        dr.create_information_request(
            treated, practitioner=practitioner, question="Nog een vraag", by=doctor_bram
        )

    assert request.consent == consent
    assert InformationRequest.objects.count() == 1


def test_refusal_through_http_shows_the_dutch_message(doctor_bram, treated, practitioner) -> None:
    client = login(doctor_bram)

    response = client.post(
        reverse("medical:add_information_request", args=[treated.pk]),
        {"practitioner": practitioner.pk, "direction": "uitgaand", "question": "Welke medicatie?"},
        follow=True,
    )

    assert "Er is geen toestemming van de werknemer vastgelegd" in response.content.decode()
    assert InformationRequest.objects.count() == 0


def test_answer_is_recorded_once(doctor_bram, treated, practitioner) -> None:
    dr.record_information_consent(
        treated,
        practitioner=practitioner,
        question="Q",
        given_by="W",
        given_on=timezone.localdate(),
        by=doctor_bram,
    )
    request = dr.create_information_request(
        treated, practitioner=practitioner, question="Welke?", by=doctor_bram
    )

    dr.record_information_answer(request, answer="Fysiotherapie", by=doctor_bram)

    with pytest.raises(DomainError):
        dr.record_information_answer(request, answer="Anders", by=doctor_bram)


def test_casemanager_cannot_record_consent_or_requests(casemanager_carla, treated, practitioner) -> None:
    with pytest.raises(Http404):
        dr.record_information_consent(
            treated,
            practitioner=practitioner,
            question="Q",
            given_by="W",
            given_on=timezone.localdate(),
            by=casemanager_carla,
        )


# --- FML -----------------------------------------------------------------------------------------

RUBRICS = {
    "dynamisch": (Limitation.LIMITED, "Niet tillen boven 10 kg"),
    "werktijden": (Limitation.SEVERELY, "4 uur per dag"),
}


def test_fml_versions_are_kept_and_newest_first(doctor_bram, treated) -> None:
    dr.record_functional_abilities(treated, assessed_on=dt.date(2026, 1, 5), rubrics=RUBRICS, by=doctor_bram)
    dr.record_functional_abilities(
        treated, assessed_on=dt.date(2026, 2, 2), rubrics={}, remarks="Hersteld", by=doctor_bram
    )

    versions = fml_for(doctor_bram, treated)

    assert [v.assessed_on for v in versions] == [dt.date(2026, 2, 2), dt.date(2026, 1, 5)]
    older = {r.key: (r.level, r.note) for r in versions[1].rubrics or []}
    assert older["dynamisch"] == ("beperkt", "Niet tillen boven 10 kg")
    assert older["persoonlijk"] == ("niet_beoordeeld", "")
    assert versions[0].remarks == "Hersteld"


def test_fml_is_read_with_category_b_and_written_by_the_doctor(
    doctor_bram, treated, casemanager_carla, secretary_sara, hr_wim
) -> None:
    dr.record_functional_abilities(treated, assessed_on=dt.date(2026, 1, 5), rubrics=RUBRICS, by=doctor_bram)

    assert len(fml_for(casemanager_carla, treated)) == 1
    assert fml_for(secretary_sara, treated) == []
    assert fml_for(hr_wim, treated) == []
    with pytest.raises(Http404):
        dr.record_functional_abilities(
            treated, assessed_on=dt.date(2026, 1, 6), rubrics=RUBRICS, by=casemanager_carla
        )


def test_fml_form_through_http(doctor_bram, treated) -> None:
    client = login(doctor_bram)
    data = {"assessed_on": "2026-01-05", "remarks": "Opbouw"}
    for key in ("persoonlijk", "sociaal", "omgeving", "dynamisch", "statisch", "werktijden"):
        data[f"{key}_level"] = Limitation.NONE
        data[f"{key}_note"] = ""
    data["statisch_level"] = Limitation.LIMITED

    response = client.post(reverse("medical:add_fml", args=[treated.pk]), data)

    assert response.status_code == 302
    [version] = fml_for(doctor_bram, treated)
    assert {r.key: r.level for r in version.rubrics or []}["statisch"] == "beperkt"


def test_giving_and_withdrawing_information_consent_need_the_second_step(
    doctor_bram, treated, practitioner
) -> None:
    """Issue 18: the doctor first reads who will see what; only the confirmed POST writes."""
    from arbo.consent.models import Consent
    from arbo.medical.models import InformationConsent

    client = login(doctor_bram)
    url = reverse("medical:add_information_consent", args=[treated.pk])
    data = {
        "practitioner": practitioner.pk,
        "question": "Behandelplan rugklachten",
        "given_by": treated.full_name,
        "given_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    }

    first = client.post(url, data)
    page = first.content.decode()

    assert first.status_code == 200
    assert "Toestemming vastleggen: bevestigen" in page
    assert f"{practitioner}: krijgt de vraag, met de naam van {treated.full_name}" in page
    assert "De werkgever ziet niets van deze uitwisseling" in page
    assert "Behandelplan rugklachten" in page
    assert show_date(timezone.localdate() - dt.timedelta(days=1)) in page
    assert f'name="given_on" value="{data["given_on"]}"' in page  # posted again as typed, ISO
    assert not InformationConsent.objects.exists()
    assert not Consent.objects.exists()

    client.post(url, {**data, "confirmed": "1"})
    consent = InformationConsent.objects.get()
    assert consent.is_active

    withdraw = reverse("medical:withdraw_information_consent", args=[consent.pk])
    second = client.post(withdraw).content.decode()
    consent.refresh_from_db()
    consent.register_entry.refresh_from_db()
    assert "Toestemming intrekken: bevestigen" in second
    assert f"{practitioner}: krijgt geen nieuwe vragen meer over {treated.full_name}" in second
    assert consent.is_active

    client.post(withdraw, {"confirmed": "1"})
    consent.register_entry.refresh_from_db()
    assert not consent.is_active
