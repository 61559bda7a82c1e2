"""The privacy officer keeps the recipients: create and edit with contact and delivery details, each
kind with its profile shown; bad input refused with a clear message and nothing written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.audit.models import AuditEvent
from arbo.consent.models import RecipientProfile
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.registry.models import Organisation
from tests import factories as f
from tests.medical.conftest import login

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "re_integratie",
    "name": "Werkfit Re-integratie BV",
    "contact_name": "J. de Vries",
    "email": "Intake@Werkfit.example",
    "phone": "030 123 45 67",
    "street": "Stationsplein",
    "house_number": "1",
    "postcode": "3511ed",
    "city": "Utrecht",
    "country": "Nederland",
    "delivery": "link",
    "active": "on",
}


@pytest.fixture
def fg(db) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="fg", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.PRIVACY_OFFICER)
    return user


def test_the_privacy_officer_creates_and_edits_a_recipient(fg) -> None:  # type: ignore[no-untyped-def]
    client = login(fg)
    page = client.get("/recipients/new/").content.decode()
    assert "re-integratiebedrijf" in page  # the kind's profile is shown
    assert "BSN" in page

    response = client.post("/recipients/new/", GOOD, follow=True)
    assert "Ontvanger Werkfit Re-integratie BV is opgeslagen." in response.content.decode()
    org = Organisation.objects.get()
    assert (org.postcode, org.email, org.delivery) == ("3511 ED", "intake@werkfit.example", "link")

    response = client.post(f"/recipients/{org.pk}/edit/", {**GOOD, "contact_name": "A. Bakker"}, follow=True)
    org.refresh_from_db()
    assert org.contact_name == "A. Bakker"
    assert "Werkfit Re-integratie BV" in client.get("/recipients/").content.decode()
    assert AuditEvent.objects.filter(actor=fg, event="consent.recipient_saved").count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "Vul de naam van de organisatie in."),
        ({"email": ""}, "Bij aflevering per link zijn een e-mailadres"),
        ({"phone": ""}, "Bij aflevering per link zijn een e-mailadres"),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in."),
        ({"postcode": "12345"}, "geen geldige Nederlandse postcode"),
        ({"delivery": "inbox"}, "Deze ontvanger heeft geen account voor de inbox"),
        ({"kind": "ondernemingsraad"}, "Kies de werkgever van deze ondernemingsraad."),
        ({"kind": "koerier"}, "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(change, message, fg) -> None:  # type: ignore[no-untyped-def]
    response = login(fg).post("/recipients/new/", {**GOOD, **change})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Organisation.objects.count() == 0
    assert not AuditEvent.objects.filter(event="consent.recipient_saved").exists()


def test_a_kind_without_a_profile_is_refused(fg) -> None:  # type: ignore[no-untyped-def]
    RecipientProfile.objects.filter(kind="re_integratie").delete()
    response = login(fg).post("/recipients/new/", GOOD)
    assert response.status_code == 422
    assert "Voor dit soort ontvanger is geen profiel vastgelegd" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_a_second_recipient_with_the_same_name_is_refused(fg) -> None:  # type: ignore[no-untyped-def]
    client = login(fg)
    client.post("/recipients/new/", GOOD)
    response = client.post("/recipients/new/", {**GOOD, "name": GOOD["name"].upper()})
    assert "Er is al een ontvanger van dit soort met deze naam." in response.content.decode()
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_recipient_list_has_constant_queries(count, fg, employer_a) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        Organisation.objects.create(kind="ondernemingsraad", name=f"OR {i}", employer=employer_a)
    client = login(fg)
    client.get("/recipients/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/recipients/")
    assert len(queries) == 7
