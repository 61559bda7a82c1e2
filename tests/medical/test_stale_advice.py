"""Optimistic concurrency on advice (issue 19): a save based on an older version changes nothing."""

from __future__ import annotations

import pytest

from arbo.lib.concurrency import StaleEdit
from arbo.medical.advice import domain as da
from arbo.medical.models import ConsultationAdvice
from tests.medical.conftest import dangerously_create_consultation, login
from tests.medical.test_advice import ADVICE

pytestmark = pytest.mark.django_db

STALE = "Dit is gewijzigd door iemand anders sinds je het opende."


def test_a_save_on_a_stale_advice_changes_nothing(doctor_bram, treated) -> None:
    consultation = dangerously_create_consultation(treated, doctor_bram)
    first = da.save_advice(consultation, by=doctor_bram, based_on=da.NEW_ADVICE, **ADVICE)
    opened = da.advice_version(first.updated_at)
    da.save_advice(consultation, by=doctor_bram, based_on=opened, **{**ADVICE, "can_do": "Tweede versie"})

    with pytest.raises(StaleEdit):
        da.save_advice(consultation, by=doctor_bram, based_on=opened, **{**ADVICE, "can_do": "Derde versie"})
    with pytest.raises(StaleEdit):  # written by someone else while this form still showed "no advice"
        da.save_advice(consultation, by=doctor_bram, based_on=da.NEW_ADVICE, **ADVICE)

    html = login(doctor_bram).get(consultation.get_absolute_url()).content.decode()
    assert "Tweede versie" in html
    assert "Derde versie" not in html


def test_the_advice_form_carries_its_version_and_a_stale_post_is_refused(doctor_bram, treated) -> None:
    consultation = dangerously_create_consultation(treated, doctor_bram)
    client = login(doctor_bram)
    page = client.get(consultation.get_absolute_url())
    based_on = page.context["advice_form"].initial["based_on"]
    assert based_on == da.NEW_ADVICE
    url = f"/medical/consultations/{consultation.pk}/advice/"

    assert client.post(url, {**ADVICE, "based_on": based_on}).status_code == 302
    refused = client.post(url, {**ADVICE, "can_do": "Over de eerste heen", "based_on": based_on}, follow=True)

    assert STALE in refused.content.decode()
    assert ConsultationAdvice.objects.filter(consultation=consultation).count() == 1
    assert "Over de eerste heen" not in client.get(consultation.get_absolute_url()).content.decode()
