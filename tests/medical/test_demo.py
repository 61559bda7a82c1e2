"""The medical demo data: made through the domain, and idempotent."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from arbo.access import care
from arbo.audit.models import AuditEvent
from arbo.demo.seed_medical import seed_medical_demo
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.medical.advice.queries import released_for_employer
from arbo.medical.models import (
    Consultation,
    ConsultationAdvice,
    ConsultationSlot,
    FunctionalAbilities,
    IncomingDocument,
    InformationRequest,
    MedicalNote,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

COUNTED = (
    Consultation,
    ConsultationSlot,
    ConsultationAdvice,
    MedicalNote,
    IncomingDocument,
    InformationRequest,
    FunctionalAbilities,
    AuditEvent,
)


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    bakery = f.EmployerFactory(kvk_number="12345678")
    eva, colleague = (f.EmploymentFactory(employer=bakery).employee for _ in range(2))
    eva.user = f.UserFactory(username="eva.werknemer", kind=User.Kind.EMPLOYEE)
    eva.save()
    bram = f.UserFactory(username="bram.arts", first_name="Bram", last_name="de Vries")
    f.give_function(bram, StaffFunction.BEDRIJFSARTS)
    f.join_team(bram, bakery)
    sara = f.UserFactory(username="sara.sec")
    f.give_function(sara, StaffFunction.SECRETARIAAT)
    f.join_team(sara, bakery)
    for employee in (eva, colleague):
        care.assign_treating_doctor(employee, bram, by=bram)
    return bakery, eva, colleague


def test_seed_medical_demo_makes_a_living_file_once(cast) -> None:
    bakery, eva, colleague = cast
    hr = f.make_employer_user(bakery)

    seed_medical_demo(io.StringIO())
    counts = [m.objects.count() for m in COUNTED]
    seed_medical_demo(io.StringIO())

    assert [m.objects.count() for m in COUNTED] == counts
    kinds = set(Consultation.objects.filter(employee=eva).values_list("kind", "status"))
    assert kinds == {("spreekuur", "gehouden"), ("preventief", "gehouden"), ("spreekuur", "gepland")}
    assert Consultation.objects.filter(employee=colleague, status="niet_verschenen").count() == 1
    # Issue 18: the demo doctor has a consultation today, whatever the hour of seeding.
    today = timezone.localdate()
    assert Consultation.objects.filter(employee=colleague, starts_at__date=today).count() == 1
    release = released_for_employer(hr, eva)
    assert len(release.advice) == 1  # the other regular advice waits for Eva's review
    assert len(release.appointments) == 1
    assert released_for_employer(hr, colleague).notices != []
    assert ConsultationSlot.objects.exclude(starts_at__date=today).count() == 12


def test_seed_medical_demo_waits_for_the_cast(db) -> None:
    out = io.StringIO()

    seed_medical_demo(out)

    assert out.getvalue().startswith("medical demo skipped")
    assert Consultation.objects.count() == 0
