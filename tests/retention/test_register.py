"""The register outside the database: write-ahead lines, and replay after a restore."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from arbo.audit.verify import verify_chain
from arbo.medical.models import DataKey, MedicalNote
from arbo.registry.models import Employee
from arbo.retention import destroy, purge, register
from arbo.retention.models import RetentionRule
from arbo.retention.terms import Term
from tests import factories as f
from tests.retention import builders as b


@pytest.mark.django_db
def test_replay_destroys_again_what_a_restore_brought_back() -> None:
    """Simulated restore: the destructions roll back (as if the database were an older backup),
    the register outside it stays, and replay makes them again."""
    employer = f.EmployerFactory()
    gone = b.person(employer, surname="Weggeweest")
    b.medical_file(gone, dt.date(2020, 1, 1))
    shredded = b.person(employer, surname="Versnipperd")
    b.medical_file(shredded, dt.date(2020, 1, 1))
    case = b.closed_case(b.person(employer), employer, dt.date(2020, 1, 1))
    before = timezone.now()

    class Rollback(Exception):
        pass

    def destroy_then_restore() -> None:
        with transaction.atomic():
            destroy.erase_employee(gone.pk)
            destroy.destroy_employee_key(shredded.pk)
            wvp = Term.of(RetentionRule.objects.get(kind="wvp_file"))
            purge.purge_kind("wvp_file", wvp, dt.date(2030, 1, 1))
            raise Rollback

    with pytest.raises(Rollback):
        destroy_then_restore()
    assert Employee.objects.filter(pk=gone.pk).exists()  # "restored"
    assert DataKey.objects.get(employee=shredded).wrapped_key

    applied = destroy.replay_since(before)

    assert applied == 4  # erasure: key + subject; a key; a batch of rows
    assert not Employee.objects.filter(pk=gone.pk).exists()
    assert not MedicalNote.objects.filter(employee_id=gone.pk).exists()
    assert DataKey.objects.get(employee=shredded).wrapped_key == ""
    assert not type(case).objects.filter(pk=case.pk).exists()
    assert destroy.replay_since(before) == 4  # idempotent
    assert "Weggeweest" not in register._path().read_text()


@pytest.mark.django_db
def test_the_audit_log_is_purged_from_its_oldest_end_and_still_verifies() -> None:
    from arbo.audit import log
    from arbo.audit.models import AuditEvent

    for n in range(12):
        log.record(None, log.Action.READ, "test.read", data={"n": n})
    term = Term.of(RetentionRule.objects.get(kind="audit_log"))
    today = timezone.localdate()

    assert purge.purge_audit(term, today) == 0  # nothing is five years old
    deleted = purge.purge_audit(term, today + dt.timedelta(days=5 * 366), batch=5)

    assert deleted >= 11
    assert AuditEvent.objects.filter(event="test.read").count() == 1  # the chain keeps its last row
    assert verify_chain().ok
