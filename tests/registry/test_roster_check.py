"""Issue 11: the roster upload request only keeps the file (encrypted) and queues the check; the
worker reads it into runs of rows, checks them and keeps the preview, in the uploader's language."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from arbo.audit.models import AuditEvent
from arbo.registry import roster
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
from arbo.retention import purge
from arbo.retention.models import RetentionRule
from arbo.retention.terms import Term
from tests import factories as f
from tests.registry.test_roster import batch_url, csv_file, csv_row, upload, upload_url
from tests.worker import run_tasks

pytestmark = pytest.mark.django_db

CANARY = "Kanariepietersen"
BSN = f.valid_bsn(800_101)


def _raw_chunks(batch: RosterImport) -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {RosterImportFile._meta.db_table} WHERE batch_id = %s", [batch.pk])  # noqa: S608 — the model's own table name
        return [bytes(row[0]) for row in cursor.fetchall()]


def test_the_upload_request_keeps_the_file_encrypted_and_reads_no_row(
    mfa_client, casemanager_carla, employer_a
) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    person = {"geboortedatum": "1981-01-01", "in_dienst": "2020-01-01"}
    rows = [csv_row(personeelsnummer="K1", bsn=BSN, achternaam=CANARY, **person)]
    rows += [
        csv_row(personeelsnummer=f"K{n}", achternaam=f"Kok{'x' * 60}", **person) for n in range(2, 30_002)
    ]
    file = csv_file(*rows)
    assert file.size > 2 * roster.FILE_CHUNK

    batch = upload(client, employer_a, file, check=False)

    assert batch.status == RosterImport.Status.CHECKING
    assert batch.row_count == 0
    assert not RosterImportRows.objects.filter(batch=batch).exists()  # nothing parsed in the request
    chunks = _raw_chunks(batch)
    assert len(chunks) == -(-file.size // roster.FILE_CHUNK)
    assert not [chunk for chunk in chunks if CANARY.encode() in chunk or BSN.encode() in chunk]
    task = DBTaskResult.objects.get(task_path="arbo.registry.tasks.check_roster")
    assert task.args_kwargs["args"] == [batch.pk]
    assert not AuditEvent.objects.filter(event="registry.roster_uploaded").exists()
    page = client.get(batch_url("roster_preview", batch)).content.decode()
    assert 'hx-trigger="every 500ms"' in page
    assert "Het bestand is ontvangen en wordt op de achtergrond gelezen en gecontroleerd." in page

    assert run_tasks() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.row_count) == (RosterImport.Status.PREVIEWED, 30_001)
    assert RosterImportRows.objects.filter(batch=batch).count() == 16  # runs of 2,000
    assert not RosterImportFile.objects.filter(batch=batch).exists()
    uploaded = AuditEvent.objects.get(event="registry.roster_uploaded")
    assert (uploaded.actor_id, uploaded.object_id, uploaded.data) == (
        casemanager_carla.pk,
        str(batch.pk),
        {"employer": employer_a.pk, "rows": 30_001},
    )
    assert uploaded.ip_address == "127.0.0.1"  # the uploader's access point, bound in the worker
    # The poll after the check sends the browser to the preview, which shows the stored check.
    polled = client.get(batch_url("roster_progress", batch), HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == batch_url("roster_preview", batch)
    page = client.get(batch_url("roster_preview", batch)).content.decode()
    assert "<dt>Nieuwe dienstverbanden</dt><dd>30001</dd>" in page
    assert "500 van 30001 rijen; rijen met een probleem eerst" in page
    assert BSN not in page


def test_the_check_speaks_the_uploaders_language(mfa_client, casemanager_carla, employer_a) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    file = csv_file(
        csv_row(personeelsnummer="E1", achternaam="", geboortedatum="1981-01-01", in_dienst="2020-01-01")
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher leaves it
    response = client.post(upload_url(employer_a), {"file": file})
    assert response.status_code == 302
    # The worker runs in no request (Dutch by default): the upload's language goes with the task.
    assert run_tasks() == 1

    page = client.get(response["Location"]).content.decode()

    assert "Row 2: achternaam is missing" in page
    assert "<dt>Rows with a problem</dt><dd>1</dd>" in page


def test_an_upload_whose_check_never_finished_expires_with_its_file(employer_a, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    """A batch left "checking" (no worker ever ran the task) keeps the uploaded file: the roster
    upload's retention term destroys it, file and all, as it does a batch never committed."""
    data = csv_file(
        csv_row(personeelsnummer="R1", achternaam="Kok", geboortedatum="1981-01-01", in_dienst="2020-01-01")
    ).read()
    batch = roster.receive_upload(employer_a, io.BytesIO(data), filename="p.csv", by=casemanager_carla)
    RosterImport.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert RosterImportFile.objects.filter(batch=batch).exists()

    term = Term.of(RetentionRule.objects.get(kind="roster_upload"))
    assert purge.purge_kind("roster_upload", term, timezone.localdate()) == 1

    assert not RosterImport.objects.filter(pk=batch.pk).exists()
    assert not RosterImportFile.objects.filter(batch_id=batch.pk).exists()
