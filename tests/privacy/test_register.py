"""The register of processing: coverage of every personal-data field, editing with history, the
public privacy statement in both languages with its versions, exports."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest

from arbo.audit.models import AuditEvent
from arbo.privacy.register.coverage import Scope, classification, register_scopes, uncovered
from arbo.privacy.register.models import ActivityChange, ProcessingActivity, StatementVersion


@pytest.mark.django_db
def test_every_personal_data_field_is_covered_by_the_register() -> None:
    assert uncovered(register_scopes()) == []


@pytest.mark.django_db
def test_the_coverage_check_fails_for_a_field_without_an_entry() -> None:
    scopes = register_scopes()
    classified = classification()
    # A new field of category C on a model whose entries process no C (the inbox: D only).
    with_new_field = {**classified, "portal.inboxmessage": {**classified["portal.inboxmessage"], "body": "C"}}
    assert uncovered(scopes, with_new_field) == [
        "portal.inboxmessage.body: no register entry covers category C of portal.inboxmessage"
    ]
    # A field added to a model without any classification.
    without = {
        **classified,
        "registry.employee": {k: v for k, v in classified["registry.employee"].items() if k != "email"},
    }
    assert uncovered(scopes, without) == ["registry.employee.email: no data category"]
    # A model no entry covers.
    dropped = [Scope([c for c in s.covers if c != "privacy.complaint"], s.categories) for s in scopes]
    assert any(p.startswith("privacy.complaint.description: no register entry") for p in uncovered(dropped))


def _english(client):  # type: ignore[no-untyped-def]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db
def test_the_statement_is_public_in_both_languages_and_changes_with_the_register(client, mfa_client, fg_piet):
    first = StatementVersion.objects.get()
    page = client.get("/privacy/statement/").content.decode()
    assert "Privacyverklaring" in page
    assert "Medisch dossier van de bedrijfsarts" in page
    for section in (
        "Wie wij zijn",
        "Je rechten en hoe je ze gebruikt",
        "Beveiliging",
        "Klachten",
        "Contact met de functionaris",
    ):
        assert section in page
    english = unescape(_english(client).get("/privacy/statement/").content.decode())
    assert "Privacy statement" in english
    assert "The company doctor's medical file" in english
    assert "Your rights and how to use them" in english

    fg = mfa_client(fg_piet)
    activity = ProcessingActivity.objects.get(code="klachten")
    form = {
        name: getattr(activity, name)
        for name in (
            "name",
            "name_en",
            "purpose",
            "purpose_en",
            "legal_ground",
            "legal_basis",
            "legal_basis_en",
            "data_subjects",
            "data_subjects_en",
            "data_description",
            "data_description_en",
            "origin",
            "origin_en",
            "recipients",
            "recipients_en",
            "retention",
            "retention_en",
            "retention_rule",
            "security_measures",
        )
    }
    response = fg.post(
        f"/privacy/register/{activity.code}/",
        {
            **form,
            "categories": activity.categories,
            "retention": "3 jaar na afhandeling.",
            "retention_en": "3 years after the decision.",
            "reason": "Geschilleninstantie vraagt drie jaar.",
        },
    )
    assert response.status_code == 302
    assert ActivityChange.objects.get().changes == {
        "retention": ["2 jaar na afhandeling.", "3 jaar na afhandeling."],
        "retention_en": ["2 years after the decision.", "3 years after the decision."],
    }
    assert StatementVersion.objects.count() == 2
    fg.logout()
    anonymous = client
    anonymous.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    new = anonymous.get("/privacy/statement/").content.decode()
    assert "3 jaar na afhandeling." in new
    assert 'data-version="2"' in new
    old = anonymous.get(f"/privacy/statement/v/{first.number}/").content.decode()
    assert "2 jaar na afhandeling." in old
    assert "3 jaar na afhandeling." not in old
    assert "Dit is een oudere versie." in old
    assert "3 years after the decision." in _english(anonymous).get("/privacy/statement/").content.decode()


@pytest.mark.django_db
def test_an_edit_without_a_reason_changes_nothing(mfa_client, fg_piet):
    activity = ProcessingActivity.objects.get(code="klachten")
    response = mfa_client(fg_piet).post(
        f"/privacy/register/{activity.code}/", {"name": "Iets anders", "categories": ["D"], "reason": ""}
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.name == "Klachten"
    assert not ActivityChange.objects.exists()
    assert StatementVersion.objects.count() == 1


@pytest.mark.django_db
def test_register_exports_for_the_ap_and_only_for_the_fg(mfa_client, fg_piet, casemanager_carla):
    assert mfa_client(casemanager_carla).get("/privacy/register/").status_code == 404
    assert mfa_client(casemanager_carla).get("/privacy/register/export.csv").status_code == 404
    fg = mfa_client(fg_piet)
    rows = list(csv.DictReader(io.StringIO(fg.get("/privacy/register/export.csv").content.decode())))
    assert len(rows) == ProcessingActivity.objects.count()
    assert {"purpose", "legal_ground", "retention", "security_measures"} <= set(rows[0])
    pdf = fg.get("/privacy/register/export.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event="privacy.register_exported").count() == 2
