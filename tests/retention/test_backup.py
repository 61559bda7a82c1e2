"""A restored backup, after the documented procedure, holds none of what was destroyed after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from arbo.operations import backup as backups
from arbo.retention import destroy, purge
from tests import factories as f
from tests.operations.test_backup import _manage
from tests.retention import builders as b
from tests.retention.conftest import seed_schedule

CHECK = """
from arbo.registry.models import Employee
from arbo.medical.models import DataKey
from arbo.prevention.models import PreEmploymentExam
print("employees", sorted(Employee.objects.values_list("surname", flat=True)))
print("live keys", DataKey.objects.exclude(wrapped_key="").count())
print("exams", PreEmploymentExam.objects.count())
"""


@pytest.mark.django_db(transaction=True)
def test_a_restore_destroys_again_what_was_destroyed_after_the_backup(
    tmp_path, restore_target, monkeypatch
) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    seed_schedule()
    employer = f.EmployerFactory()
    erased = b.person(employer, surname="Gewist")
    b.medical_file(erased, dt.date(2024, 1, 1))
    kept = b.person(employer, surname="Blijft")
    b.medical_file(kept, dt.date(2024, 1, 1))
    b.applicant_exam(employer, dt.date(2020, 1, 1))
    target = tmp_path / "backup"
    backups.backup(target)

    destroy.erase_employee(erased.pk)  # an erasure request …
    purge.run(dt.date(2021, 1, 1))  # … and the nightly purge (the exam is due)

    monkeypatch.setenv("RETENTION_REGISTER_PATH", settings.RETENTION_REGISTER_PATH)
    restored = _manage("restore", str(target), database_url=restore_target)
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "destructions replayed" in restored.stdout or "replayed" in restored.stdout

    check = _manage("shell", "-c", CHECK, database_url=restore_target)
    assert check.returncode == 0, check.stderr[-2000:]
    assert "employees ['Blijft']" in check.stdout
    assert "live keys 1" in check.stdout
    assert "exams 0" in check.stdout
