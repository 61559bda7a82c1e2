"""After the last of their records goes, the whole person is gone from every table (scan), apart
from the purge log (pseudonyms) and the audit log (purged on its own term)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models

from arbo.identity.models import User
from arbo.retention import destroy, purge, register
from arbo.retention.models import LegalHold, PurgeLog
from tests import factories as f
from tests.retention import builders as b

#: Tables allowed to keep a trace: the purge log (pseudonyms, no ids), the audit log (its own term).
EXEMPT = {"retention.purgelog", "audit.auditevent"}


def _traces(needles: list[str], employee_id: int) -> list[str]:
    """Every row of every table that names the person or refers to the employee row."""
    from arbo.registry.models import Employee

    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in EXEMPT:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Employee:
                if model._base_manager.filter(**{field.attname: employee_id}).exists():
                    found.append(f"{label}.{field.name} -> employee")
            elif isinstance(field, models.CharField | models.TextField | models.JSONField):
                for needle in needles:
                    lookup = f"{field.name}__icontains" if not isinstance(field, models.JSONField) else None
                    if lookup and model._base_manager.filter(**{lookup: needle}).exists():
                        found.append(f"{label}.{field.name} ~ {needle}")
    if Employee.objects.filter(pk=employee_id).exists():
        found.append("registry.employee row")
    return found


def _full_person(employer):  # type: ignore[no-untyped-def]
    user = f.UserFactory(
        username="karel.kwast", first_name="Karel", last_name="Kwastenberg", kind=User.Kind.EMPLOYEE
    )
    employee = b.person(
        employer,
        ends_on=dt.date(2020, 1, 31),
        first_names="Karel",
        surname="Kwastenberg",
        email="karel@kwastenberg.example",
        user=user,
    )
    b.closed_case(employee, employer, dt.date(2019, 6, 30))
    b.medical_file(employee, dt.date(2019, 7, 1))
    b.journal(employee, "Gesprek met Karel Kwastenberg")
    b.letter(employee, user, "Beste Karel Kwastenberg")
    return employee, user


NEEDLES = ["Kwastenberg", "karel@kwastenberg", "karel.kwast"]


@pytest.mark.django_db
def test_the_whole_person_goes_after_the_last_record_and_not_before() -> None:
    from arbo.medical.models import DataKey

    employer = f.EmployerFactory()
    employee, user = _full_person(employer)
    b.exposure(employee, "kankerverwekkend", dt.date(2019, 12, 31))  # kept until 2059-12-31
    DataKey.objects.filter(employee=employee).update(last_changed=dt.date(2019, 7, 1))
    other = b.person(employer, surname="Blijftbestaan")

    purge.run(dt.date(2045, 1, 1))  # the WvP file and the medical file are due, the exposure not
    assert employee.__class__.objects.filter(pk=employee.pk).exists()
    assert _traces(["Kwastenberg"], employee.pk)  # still registered: the exposure needs the person

    result = purge.run(dt.date(2059, 12, 31))

    assert result["exposure_carcinogenic"] == 1
    assert result["people"] == 1
    assert _traces(NEEDLES, employee.pk) == []
    user.refresh_from_db()
    assert not user.is_active
    assert user.username.startswith("gewist-")
    assert not user.has_usable_password()
    assert other.__class__.objects.filter(pk=other.pk).exists()  # nobody else
    subject = register.pseudonym("employee", employee.pk)
    assert PurgeLog.objects.filter(kind="person", subjects__has_key=subject).exists()
    assert all(str(employee.pk) not in log.subjects for log in PurgeLog.objects.all())


@pytest.mark.django_db
def test_a_standing_hold_keeps_the_person() -> None:
    employer = f.EmployerFactory()
    employee, _user = _full_person(employer)
    LegalHold.objects.create(
        employee=employee,
        reason=LegalHold.Reason.OCCUPATIONAL_DISEASE,
        placed_by=b.staff(),
        review_on=dt.date(2030, 1, 1),
    )
    purge.run(dt.date(2060, 1, 1))
    assert _traces(["Kwastenberg"], employee.pk)


@pytest.mark.django_db
def test_erase_employee_is_the_primitive_an_erasure_calls() -> None:
    employer = f.EmployerFactory()
    employee, _user = _full_person(employer)
    destroyed = destroy.erase_employee(employee.pk, rule="erasure", by=b.staff())
    assert destroyed.keys == 1
    assert destroyed.rows > 5
    assert _traces(NEEDLES, employee.pk) == []
    lines = list(register.entries())
    assert {line["op"] for line in lines} == {"key", "subject"}
    assert "Kwastenberg" not in str(lines)
    assert str(employee.pk) not in {line["subject"] for line in lines}


@pytest.mark.django_db
def test_an_applicant_goes_with_the_last_exam() -> None:
    from arbo.registry.models import Applicant

    employer = f.EmployerFactory()
    exam = b.applicant_exam(employer, dt.date(2024, 1, 10), surname="Sollicitantia")
    purge.run(dt.date(2024, 7, 10))
    assert not Applicant.objects.filter(pk=exam.applicant_id).exists()
    assert not Applicant.objects.filter(surname="Sollicitantia").exists()
