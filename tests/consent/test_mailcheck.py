"""The suite-wide mail check (tests/mailcheck.py) finds what no e-mail may carry."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage

from tests import mailcheck
from tests.medical.conftest import dangerously_create_consultation

pytestmark = pytest.mark.django_db


def test_the_check_finds_a_doctor_a_kind_a_video_link_care_text_and_attachments(doctor_bram, treated) -> None:
    consultation = dangerously_create_consultation(treated, doctor_bram)
    consultation.video_link = "https://beeld.example.org/kamer-42"
    consultation.save()
    body = f"{doctor_bram.get_full_name()} preventief spreekuur (arbeidsomstandighedenspreekuur) CANARY-C-x https://beeld.example.org/kamer-42"
    message = EmailMessage("Afspraak", body, to=["a@example.org"])
    message.attach("afspraak.ics", b"x", "text/calendar")

    found = mailcheck.problems(message)

    assert "an attachment" in found
    assert "category B or C text" in found
    assert "a consultation's video link" in found
    assert f"doctor's name {doctor_bram.get_full_name()!r}" in found
    assert any(p.startswith("consultation kind") for p in found)


def test_a_plain_notice_passes(doctor_bram, treated) -> None:
    message = EmailMessage(
        "Er staat een bericht voor je klaar", "Lees het na het inloggen: /portal/inbox/", to=["a@example.org"]
    )

    assert mailcheck.problems(message) == []
