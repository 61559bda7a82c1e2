"""The ID copy is gone from the database and the storage once the check is recorded (issue 13).

Uploaded through the registration page as the privacy officer does it: large enough that Django
spools it to a temporary file (``FILE_UPLOAD_TEMP_DIR``), so the test also sees that no upload
lingers on disk; then every cell of every table is searched, as stored, for the copy's text and
for the ciphertext it was sealed into.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from arbo.privacy.rights.models import IdentityCopy, RightsRequest
from tests.privacy.test_rights_erasure import _raw_cells

pytestmark = pytest.mark.django_db


def _files_holding(root: Path, marker: bytes) -> list[Path]:
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and marker in p.read_bytes()]


def _cells_holding(text: str) -> list[str]:
    return [
        str(c)[:60]
        for c in _raw_cells()
        if text in (c.decode(errors="replace") if isinstance(c, bytes) else str(c))
    ]


def test_the_id_copy_leaves_no_trace_in_any_table_or_file(
    mfa_client, fg_piet, employer_a, employee_of_a, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    marker = f"ID-KOPIE-{uuid.uuid4().hex}".encode()
    # Over Django's in-memory limit (2.5 MB): spooled to a temporary file while the request runs.
    content = b"%PDF-1.4\n" + marker + b"\n" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    spool = tmp_path / "uploads"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    mfa_client(fg_piet)
    piet = Client()
    piet.force_login(fg_piet)
    employment = employee_of_a.employments.first()
    upload = io.BytesIO(content)
    upload.name = "paspoort.pdf"
    response = piet.post(
        "/privacy/rights/new/",
        {
            "person": "employee",
            "employer": employer_a.pk,
            "personnel_number": employment.personnel_number,
            "kind": "access",
            "channel": "letter",
            "received_on": timezone.localdate().isoformat(),
            "language": "nl",
            "id_copy": upload,
        },
    )
    assert response.status_code == 302
    rights_request = RightsRequest.objects.get()
    sealed = IdentityCopy.objects.values_list("content", flat=True).get()  # decrypted by the field
    assert marker.decode() not in "".join(str(c) for c in _raw_cells())  # sealed at rest
    stored = next(
        str(c)
        for c in _raw_cells()
        if isinstance(c, str) and c.startswith("v1:") and len(c) > 4 * 1024 * 1024
    )
    assert sealed  # the copy is there until the check
    assert _files_holding(spool, marker) == []  # the spooled upload went with the request
    assert _files_holding(Path(settings.MEDIA_ROOT), marker) == []

    piet.post(f"/privacy/rights/{rights_request.pk}/identity/", {"document_kind": "passport"})
    rights_request.refresh_from_db()
    assert rights_request.identity_document == "passport"
    assert not IdentityCopy.objects.exists()
    assert _cells_holding(marker.decode()) == []
    assert _cells_holding(stored[:200]) == []  # neither its ciphertext
    assert _files_holding(spool, marker) == []
    assert _files_holding(Path(settings.MEDIA_ROOT), marker) == []
