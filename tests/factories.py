"""factory_boy factories: plain, no surprises. Personas live in conftest.py."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from arbo.identity.models import ConfidentialityDeclaration, FunctionAssignment, User
from arbo.identity.rights import DERIVED_SECRECY_FUNCTIONS
from arbo.registry.models import (
    Contract,
    Department,
    Employee,
    Employer,
    EmployerMembership,
    Employment,
    TeamMembership,
)

TEST_PASSWORD = "correct horse battery staple"


def valid_bsn(n: int) -> str:
    """The n-th valid BSN (11-test) from 100000009 upwards: distinct for distinct n."""
    candidate = 100_000_000 + n * 1_000
    while not stdnum_bsn.is_valid(f"{candidate:09d}"):
        candidate += 1
    return f"{candidate:09d}"


def _plain_surname() -> str:
    """A Dutch surname without an apostrophe ("van 't Erve" reads "van t Erve"): tests look for
    names in HTML, where Django escapes the apostrophe, so such a name made tests fail at random."""
    return str(factory.Faker("last_name", locale="nl_NL").evaluate(None, None, {"locale": "nl_NL"})).replace(
        "'", ""
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.LazyFunction(_plain_surname)
    kind = User.Kind.STAFF
    password = factory.django.Password(TEST_PASSWORD)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Werkgever {n} BV")
    kvk_number = factory.Sequence(lambda n: f"{30000000 + n:08d}")
    street = "Stationsplein"
    house_number = "1"
    postcode = "3511 ED"
    city = "Utrecht"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    employer = factory.SubFactory(EmployerFactory)
    starts_on = dt.date(2024, 1, 1)
    services = factory.LazyFunction(lambda: ["verzuimbegeleiding"])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    initials = "J."
    first_names = factory.Faker("first_name", locale="nl_NL")
    surname = factory.LazyFunction(_plain_surname)
    birth_date = dt.date(1985, 5, 17)
    bsn = factory.Sequence(valid_bsn)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    employee = factory.SubFactory(EmployeeFactory)
    employer = factory.SubFactory(EmployerFactory)
    personnel_number = factory.Sequence(lambda n: f"P{n:05d}")
    job_title = "Medewerker"
    starts_on = dt.date(2020, 1, 1)
    hours_per_week = 36


def give_function(user: User, function: str, **kwargs: object) -> FunctionAssignment:
    """An approved function since 2020-01-01 and, when the user has none, a declaration signed then
    (for a function that needs it, the derived-secrecy declaration too).

    The shortcut for tests about what a function allows; tests/identity/test_lifecycle.py goes
    through the request and approval.
    """
    if not ConfidentialityDeclaration.objects.filter(user=user, kind="general").exists():
        sign_declaration(user)
    if function in DERIVED_SECRECY_FUNCTIONS and not user.has_derived_secrecy_declaration():
        sign_declaration(user, kind=ConfidentialityDeclaration.Kind.DERIVED_SECRECY)
    fields: dict[str, object] = {
        "starts_on": dt.date(2020, 1, 1),
        "status": FunctionAssignment.Status.APPROVED,
        "request_reason": "Testopzet",
        "decided_at": timezone.now(),
        **kwargs,
    }
    assignment = FunctionAssignment.objects.create(user=user, function=function, **fields)
    user.forget_rights()
    return assignment


def sign_declaration(
    user: User, signed_on: dt.date = dt.date(2020, 1, 1), **kwargs: object
) -> ConfidentialityDeclaration:
    fields: dict[str, object] = {"version": "2020-01", "recorded_by": user, **kwargs}
    declaration = ConfidentialityDeclaration.objects.create(user=user, signed_on=signed_on, **fields)
    user.forget_rights()
    return declaration


def join_team(user: User, employer: Employer) -> TeamMembership:
    return TeamMembership.objects.create(user=user, employer=employer, starts_on=dt.date(2020, 1, 1))


def make_employer_user(employer: Employer, **kwargs: object) -> User:
    user = UserFactory(kind=User.Kind.EMPLOYER, **kwargs)
    EmployerMembership.objects.create(user=user, employer=employer)
    return user


def enrol_totp(user: User) -> str:
    """Give ``user`` a TOTP authenticator; returns the base32 secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
