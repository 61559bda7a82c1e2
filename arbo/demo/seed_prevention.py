"""Demo data for prevention: a PMO, exposure records and two applicants' pre-employment exams.

Called by ``seed_demo`` after the cast, employers, employees and Bram's patients exist. Idempotent:
what already exists is left alone. Everything goes through the domain functions, so it is
encrypted and audited like real work (by Bram, the demo bedrijfsarts).

What a newcomer then sees:
- ``bram.arts``: Eva's night-work PMO and a bouw employee's noise PMO and exposure register
  (quartz dust, asbestos) at /prevention/employees/<id>/; two applicants of the bakery at
  /prevention/applicants/;
- ``wim.hr`` (bakery HR) at /prevention/outcomes/: one applicant "geschikt" (released with
  consent), one only "afgerond" (the applicant has heard the outcome and not allowed it to go);
- ``eva.werknemer``: her own PMO at /prevention/employees/<her id>/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from arbo.access import care
from arbo.demo.cast import EMPLOYERS
from arbo.identity.models import User
from arbo.prevention import domain
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from arbo.registry.models import Applicant, Department, Employee, Employer

DOCTOR = "bram.arts"


def _treated_by(doctor: User, employee: Employee) -> Employee:
    if care.treating_doctor_of(employee) != doctor:
        care.assign_treating_doctor(employee, doctor, by=doctor)
    return employee


def _first_employee(employer: Employer) -> Employee | None:
    return (
        Employee.objects.filter(employments__employer=employer)
        .order_by("employments__personnel_number")
        .first()
    )


def _pmo_for_eva(doctor: User, bakery: Employer) -> None:
    employee = Employee.objects.filter(user__username="eva.werknemer").first() or _first_employee(bakery)
    if employee is None or employee.periodic_exams.exists():
        return
    domain.record_periodic_exam(
        _treated_by(doctor, employee),
        employer=bakery,
        programme=PeriodicExam.Programme.NIGHT_WORK,
        exam_date=dt.date(2025, 10, 6),
        results="Slaapduur gemiddeld 5,5 uur bij nachtdiensten; bloeddruk 128/82; geen maag-darmklachten.",
        conclusion=PeriodicExam.Conclusion.ATTENTION,
        advice="Vaste slaaptijden na de nachtdienst; maximaal drie nachtdiensten achter elkaar.",
        by=doctor,
    )


def _construction_worker(doctor: User, construction: Employer) -> None:
    employee = _first_employee(construction)
    if employee is None:
        return
    _treated_by(doctor, employee)
    site = Department.objects.filter(employer=construction, name="Uitvoering").first()
    if not employee.periodic_exams.exists():
        domain.record_periodic_exam(
            employee,
            employer=construction,
            programme=PeriodicExam.Programme.NOISE,
            exam_date=dt.date(2025, 9, 15),
            results="Audiogram: dip van 35 dB op 4 kHz links, rechts normaal.",
            conclusion=PeriodicExam.Conclusion.REFERRED,
            advice="Gehoorbescherming op maat; controle-audiogram over een jaar.",
            by=doctor,
        )
    if employee.exposure_records.exists():
        return
    domain.record_exposure(
        employee,
        kind=ExposureRecord.Kind.CARCINOGENIC,
        agent="Respirabel kristallijn silica (kwartsstof)",
        source="Slijpen en zagen van kalkzandsteen",
        details="Persoonlijke meting 0,09 mg/m³ (8-uurs TGG); afzuiging aan gereedschap sinds 2021.",
        department=site,
        exposure_start=dt.date(2016, 3, 1),
        exposure_end=dt.date(2023, 12, 31),
        by=doctor,
    )
    domain.record_exposure(
        employee,
        kind=ExposureRecord.Kind.CARCINOGENIC,
        agent="Asbest (chrysotiel), asbestregister",
        source="Renovatie schoolgebouw, verwijderen vloerzeil",
        details="Blootstelling vóór inventarisatie; gemeld bij de Arbeidsinspectie.",
        department=site,
        exposure_start=dt.date(2019, 3, 4),
        exposure_end=dt.date(2019, 3, 22),
        by=doctor,
    )


def _applicant(
    bakery: Employer, first_names: str, surname: str, birth_date: dt.date, position: str
) -> Applicant:
    applicant, _ = Applicant.objects.get_or_create(
        employer=bakery,
        surname=surname,
        birth_date=birth_date,
        defaults={
            "first_names": first_names,
            "position": position,
            "email": f"{first_names.lower()}@example.nl",
        },
    )
    return applicant


def _keuring(doctor: User, applicant: Applicant, *, outcome: str, results: str, release: bool) -> None:
    if applicant.pre_employment_exams.exists():
        return
    exam = domain.record_pre_employment_exam(
        applicant,
        kind=PreEmploymentExam.Kind.SPECIAL_REQUIREMENTS,
        # Recent: a pre-employment exam is kept only six months.
        exam_date=timezone.localdate() - dt.timedelta(days=10),
        results=results,
        outcome=outcome,
        by=doctor,
    )
    domain.record_applicant_informed(exam, by=doctor)
    if release:
        domain.record_release_decision(exam, release=True, by=doctor)


def _applicants(doctor: User, bakery: Employer) -> None:
    released = _applicant(bakery, "Mila", "Kok", dt.date(1998, 6, 12), "Heftruckchauffeur")
    _keuring(
        doctor,
        released,
        outcome=PreEmploymentExam.Outcome.SUITABLE,
        results="Visus beiderzijds 1,0; gehoor normaal; geen evenwichtsstoornissen.",
        release=True,
    )
    withheld = _applicant(bakery, "Ravi", "Sewdien", dt.date(1991, 1, 23), "Heftruckchauffeur")
    _keuring(
        doctor,
        withheld,
        outcome=PreEmploymentExam.Outcome.NOT_SUITABLE,
        results="Visus rechts 0,3 ondanks correctie; diepte zien onvoldoende voor de functie-eisen.",
        release=False,
    )


def seed_prevention_demo(stdout: Any) -> None:
    """Add the prevention demo data (see the module docstring); safe to run again."""
    doctor = User.objects.filter(username=DOCTOR).first()
    employers = {
        key: Employer.objects.filter(kvk_number=spec["kvk_number"]).first() for key, spec in EMPLOYERS.items()
    }
    bakery, construction = employers["bakkerij"], employers["bouw"]
    if doctor is None or bakery is None or construction is None:
        stdout.write("Prevention demo skipped: run seed_demo first (cast and employers missing).\n")
        return
    with transaction.atomic():
        _pmo_for_eva(doctor, bakery)
        _construction_worker(doctor, construction)
        _applicants(doctor, bakery)
    stdout.write("Prevention demo ready: PMOs, exposure register, two pre-employment exams.\n")
