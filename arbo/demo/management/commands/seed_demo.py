"""Create (or bring up to date) the demo arbodienst: cast, employers, employees.

Idempotent: running it twice changes nothing the second time. Refuses with DEBUG off unless
``--force``, because the demo passwords and TOTP secrets are public.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from arbo.access import care
from arbo.access.models_care import CareRelationship, DoctorTeamMember
from arbo.demo.cast import CAST, DEMO_PASSWORD, EMPLOYERS, DemoPerson, totp_secret
from arbo.demo.cast import person as demo_person
from arbo.demo.seed_absence import seed_absence_demo
from arbo.demo.seed_consent import VISITED_DOCTOR, seed_consent_demo
from arbo.demo.seed_documents import seed_documents_demo
from arbo.demo.seed_medical import seed_medical_demo
from arbo.demo.seed_prevention import seed_prevention_demo
from arbo.demo.seed_privacy import seed_privacy_demo
from arbo.demo.seed_reporting import seed_reporting_demo
from arbo.demo.seed_rights import seed_rights_demo
from arbo.demo.seed_work import seed_work_demo
from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
from arbo.identity.rights import DERIVED_SECRECY_FUNCTIONS
from arbo.journal.domain import add_journal_entry
from arbo.medical.domain import add_medical_note
from arbo.medical.models import MedicalNote
from arbo.registry.models import (
    Contract,
    Department,
    Employee,
    Employer,
    EmployerMembership,
    Employment,
    TeamMembership,
)

EMPLOYEES_PER_EMPLOYER = 55
#: The demo applicatiebeheerder records every staff member's confidentiality declaration.
ADMIN_USERNAME = "anna.beheer"
FIRST_NAMES = [
    "Anne",
    "Bas",
    "Daan",
    "Emma",
    "Fleur",
    "Gijs",
    "Iris",
    "Jesse",
    "Lotte",
    "Milan",
    "Noor",
    "Sanne",
    "Thijs",
    "Julia",
    "Lucas",
    "Sophie",
    "Ruben",
    "Femke",
    "Koen",
    "Yara",
    "Mohammed",
    "Fatima",
    "Priya",
    "Joris",
    "Hanneke",
]
SURNAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("van", "Dijk"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Yilmaz"),
    ("", "El Amrani"),
]
DEPARTMENTS = {
    "bakkerij": ["Bakkerij", "Winkel", "Logistiek", "Kantoor"],
    "bouw": ["Uitvoering", "Werkvoorbereiding", "Materieel", "Kantoor"],
}
STREETS = ["Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg", "Julianalaan"]


def _bsn(rng: random.Random) -> str:
    from stdnum.nl import bsn as stdnum_bsn

    while True:
        candidate = f"{rng.randint(100_000_000, 999_999_999)}"
        if stdnum_bsn.is_valid(candidate):
            return candidate


class Command(BaseCommand):
    help = "Create the demo arbodienst with demo logins (public passwords: development only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with public passwords; refusing with DEBUG off "
                "(use --force on a throw-away database only)."
            )
        with transaction.atomic():
            employers = {key: self._employer(key, spec) for key, spec in EMPLOYERS.items()}
            for key, employer in employers.items():
                self._employees(key, employer)
            admin = self._person(demo_person(ADMIN_USERNAME), employers, recorder=None)
            users = {ADMIN_USERNAME: admin}
            for p in CAST:
                if p.username not in users:
                    users[p.username] = self._person(p, employers, recorder=admin)
            self._file(users, employers["bakkerij"])
            seed_medical_demo(self.stdout)
            seed_absence_demo(users, employers, self.stdout)
            seed_documents_demo(self.stdout)
            seed_prevention_demo(self.stdout)
            seed_reporting_demo(
                {employers["bakkerij"].pk: users["wim.hr"], employers["bouw"].pk: users["hanna.hr"]},
                self.stdout,
                small=employers["bakkerij"],
            )
            seed_privacy_demo(users, employers, self.stdout)
            seed_work_demo(users, self.stdout)
            seed_rights_demo(users, employers, self.stdout)
            # A second doctor (not a persona): the files a quality visitation samples (issue 16).
            users[VISITED_DOCTOR.username] = self._person(VISITED_DOCTOR, employers, recorder=admin)
            seed_consent_demo(users, employers, self.stdout)
        self._print_logins()

    def _employer(self, key: str, spec: dict[str, str]) -> Employer:
        employer, _ = Employer.objects.get_or_create(
            kvk_number=spec["kvk_number"],
            defaults={
                "name": spec["name"],
                "city": spec["city"],
                "street": "Industrieweg",
                "house_number": "12",
                "postcode": "3542 AD" if key == "bakkerij" else "8011 AB",
                "erd_zw": key == "bouw",
            },
        )
        if not employer.contracts.exists():
            Contract.objects.create(
                employer=employer,
                starts_on=dt.date(2024, 1, 1),
                services=["verzuimbegeleiding", "spreekuur", "pmo"],
            )
        for name in DEPARTMENTS[key]:
            Department.objects.get_or_create(employer=employer, name=name)
        return employer

    def _employees(self, key: str, employer: Employer) -> None:
        rng = random.Random(key)  # deterministic: the same demo every time  # noqa: S311
        departments = list(employer.departments.all())
        prefix = "BK" if key == "bakkerij" else "VD"
        for n in range(1, EMPLOYEES_PER_EMPLOYER + 1):
            number = f"{prefix}{n:04d}"
            first, (tussen, surname) = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            bsn = _bsn(rng)
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 40 * 365))
            department = rng.choice(departments)
            if Employment.objects.filter(employer=employer, personnel_number=number).exists():
                continue
            employee = Employee.objects.create(
                initials=f"{first[0]}.",
                first_names=first,
                tussenvoegsel=tussen,
                surname=surname,
                gender=rng.choice("vmx"),
                birth_date=birth,
                street=rng.choice(STREETS),
                house_number=str(rng.randint(1, 200)),
                postcode=f"{rng.randint(1000, 9999)} AB",
                city=EMPLOYERS[key]["city"],
                phone=f"06{rng.randint(10_000_000, 99_999_999)}",
                email=f"{first.lower()}.{surname.lower().replace(' ', '')}{n}@example.nl",
                bsn=bsn,
            )
            Employment.objects.create(
                employee=employee,
                employer=employer,
                department=department,
                personnel_number=number,
                job_title=department.name,
                starts_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3000)),
                hours_per_week=rng.choice([16, 24, 32, 36, 38, 40]),
            )

    def _person(self, person: DemoPerson, employers: dict[str, Employer], recorder: User | None) -> User:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "kind": person.kind,
                "email": f"{person.username}@demo.arbodossier.nl",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for function in person.functions:
            if not FunctionAssignment.objects.filter(user=user, function=function).exists():
                # Approved without a named requester or approver: the demo starts from a granted state.
                FunctionAssignment.objects.create(
                    user=user,
                    function=function,
                    starts_on=dt.date(2024, 1, 1),
                    status=FunctionAssignment.Status.APPROVED,
                    request_reason="Demo-opzet (seed_demo).",
                    decided_at=timezone.now(),
                )
        if person.kind == User.Kind.STAFF and not user.confidentiality_declarations.exists():
            # Recorded by the demo applicatiebeheerder (her own by herself: the first account).
            ConfidentialityDeclaration.objects.create(
                user=user, signed_on=dt.date(2024, 1, 1), version="2024-01", recorded_by=recorder or user
            )
            if set(person.functions) & DERIVED_SECRECY_FUNCTIONS:
                ConfidentialityDeclaration.objects.create(
                    user=user,
                    kind=ConfidentialityDeclaration.Kind.DERIVED_SECRECY,
                    signed_on=dt.date(2024, 1, 1),
                    version="2024-01",
                    recorded_by=recorder or user,
                )
        for key in person.employers:
            if person.kind == User.Kind.STAFF:
                TeamMembership.objects.get_or_create(
                    user=user, employer=employers[key], defaults={"starts_on": dt.date(2024, 1, 1)}
                )
            elif person.kind == User.Kind.EMPLOYER:
                EmployerMembership.objects.get_or_create(user=user, employer=employers[key])
        if person.kind == User.Kind.EMPLOYEE:
            self._portal_employee(user, employers[person.employers[0]])
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, totp_secret(person.username))
            RecoveryCodes.activate(user)
        return user

    def _file(self, users: dict[str, User], employer: Employer) -> None:
        """Bram treats the first ten bakery employees; Tim works under him; a few notes each."""
        bram, carla, tim = users["bram.arts"], users["carla.cm"], users["tim.td"]
        DoctorTeamMember.objects.get_or_create(doctor=bram, member=tim, kind=DoctorTeamMember.Kind.DELEGATE)
        patients = Employee.objects.filter(employments__employer=employer).order_by(
            "employments__personnel_number"
        )
        for employee in patients[:10]:
            if CareRelationship.objects.filter(employee=employee).exists():
                continue
            care.assign_treating_doctor(employee, bram, by=bram)
            add_journal_entry(
                employee,
                category="A",
                by=carla,
                text="Ziekmelding ontvangen van werkgever; contact gelegd met werknemer.",
            )
            add_journal_entry(
                employee,
                category="B",
                by=bram,
                text="Beperkt belastbaar: geen tillen boven 10 kg, 4 uur per dag eigen werk.",
            )
            add_medical_note(
                employee,
                kind=MedicalNote.Kind.ANAMNESIS,
                by=bram,
                body="Klachten lage rug sinds drie weken, fysiotherapie gestart via huisarts.",
            )

    def _portal_employee(self, user: User, employer: Employer) -> None:
        if hasattr(user, "employee"):
            return
        employment = Employment.objects.filter(employer=employer).order_by("personnel_number").first()
        assert employment is not None
        employee = employment.employee
        employee.first_names, employee.initials, employee.tussenvoegsel, employee.surname = (
            "Eva",
            "E.",
            "van",
            "Leeuwen",
        )
        employee.email = "eva.vanleeuwen@example.nl"
        employee.user = user
        employee.save()

    def _print_logins(self) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        )
        self.stdout.write(f"  {'username':<16} {'role':<36} TOTP secret (add to an authenticator app)")
        for person in CAST:
            role = ", ".join(person.functions) or person.kind
            self.stdout.write(f"  {person.username:<16} {role:<36} {totp_secret(person.username)}")
        self.stdout.write("  Current codes: .venv/bin/python manage.py demo_totp <username>")
