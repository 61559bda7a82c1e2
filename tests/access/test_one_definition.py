"""One definition of a user's current functions (issue 9, item 4).

``arbo.identity.rights.staff_functions`` (and ``holders_of``, the same rule as a query) is the only
code that turns function assignments into rights: approved and current, a signed confidentiality
declaration, and for the functions that reach C without being a doctor the derived-secrecy
declaration. ``arbo.access.policy.staff_functions`` *is* that function. A module that computes
functions another way (``user.functions_on()``, ``in_force()``, ``is_in_force``) is refused here,
and every gate is shown to apply the declaration rule by behaviour, not by reading code.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from arbo.access import care, policy
from arbo.access import domain as access_domain
from arbo.identity import domain as identity_domain
from arbo.identity import rights
from arbo.identity.models import ConfidentialityDeclaration, User
from arbo.identity.roles import StaffFunction
from arbo.privacy import reminders as privacy_reminders
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2] / "arbo"

#: Ways to compute a user's functions other than through arbo.identity.rights.
RECOMPUTATIONS = re.compile(r"\.functions_on\(|\bin_force\(|\.is_in_force\b|\bis_in_force\(")

#: Files that may use them: the model (the raw assignments) and the one definition.
ALLOWED = {ROOT / "identity" / "models.py", ROOT / "identity" / "rights.py"}


def test_the_policy_uses_the_one_definition() -> None:
    assert policy.staff_functions is rights.staff_functions
    assert policy.staff_holding is rights.staff_holding
    assert policy.holders_of is rights.holders_of


def test_no_module_computes_functions_another_way() -> None:
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
        for path in sorted(ROOT.rglob("*.py"))
        if path not in ALLOWED and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if RECOMPUTATIONS.search(line)
    ]
    assert offenders == []


def test_the_scan_would_find_a_recomputation() -> None:
    assert RECOMPUTATIONS.search("if StaffFunction.X in request.user.functions_on():")
    assert RECOMPUTATIONS.search("FunctionAssignment.objects.filter(in_force(), function=x)")
    assert not RECOMPUTATIONS.search("staff_functions(user) & DOCTOR_FUNCTIONS")


def _undeclared(function: str, username: str) -> User:
    """A staff member whose ``function`` is approved, but who signed no confidentiality declaration."""
    user = f.UserFactory(username=username, kind=User.Kind.STAFF)
    f.give_function(user, function)
    ConfidentialityDeclaration.objects.filter(user=user).delete()
    user.forget_rights()
    return user


def _tear_up_derived(user: User) -> None:
    """``give_function`` signs the derived-secrecy declaration for such a function: undo that."""
    ConfidentialityDeclaration.objects.filter(user=user, kind="derived").delete()
    user.forget_rights()


def _client(user: User) -> Client:
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_gate_applies_the_declaration_rule() -> None:
    """Without the confidentiality declaration no function counts: not for the policy, nor for the
    administrator's, privacy officer's, board's and doctor's gates, nor in the lists built as queries."""
    admin = _undeclared(StaffFunction.APPLICATIEBEHEERDER, "adm")
    officer = _undeclared(StaffFunction.PRIVACY_OFFICER, "fg")
    director = _undeclared(StaffFunction.DIRECTEUR, "dir")
    doctor = _undeclared(StaffFunction.BEDRIJFSARTS, "doc")

    assert [rights.staff_functions(u) for u in (admin, officer, director, doctor)] == [set()] * 4
    assert admin.is_user_admin is False
    assert identity_domain.can_decide_functions(director) is False
    assert identity_domain.can_review_access(officer) is False
    assert access_domain.can_review_matrix(officer) is False
    assert access_domain.can_decide_matrix_change(director) is False
    assert care.is_doctor(doctor) is False
    assert list(care.doctors()) == []
    assert privacy_reminders.privacy_officers() == []
    assert _client(officer).get(reverse("audit:viewer")).status_code == 404
    assert _client(officer).get(reverse("care:emergency_review")).status_code == 404
    assert _client(admin).get(reverse("identity:user_list")).status_code == 404

    f.sign_declaration(officer)
    officer.forget_rights()
    assert privacy_reminders.privacy_officers() == [officer]
    assert _client(officer).get(reverse("audit:viewer")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("function", "without"),
    [
        (StaffFunction.VERZUIMMEDEWERKER_GEHEIMHOUDING, {StaffFunction.VERZUIMMEDEWERKER}),
        (StaffFunction.CASEMANAGER_TAAKDELEGATIE, {StaffFunction.CASEMANAGER}),
        (StaffFunction.PRAKTIJKONDERSTEUNER, set()),
    ],
)
def test_derived_secrecy_functions_count_only_with_their_declaration(function, without) -> None:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="vm", kind=User.Kind.STAFF)
    f.give_function(user, function)
    _tear_up_derived(user)

    assert rights.staff_functions(user) == without
    assert list(rights.holders_of({function})) == []
    assert rights.lacking_derived_secrecy(user) == {function}

    f.sign_declaration(
        user, kind=ConfidentialityDeclaration.Kind.DERIVED_SECRECY, signed_on=dt.date(2021, 1, 1)
    )
    user.forget_rights()

    assert rights.staff_functions(user) == {function}
    assert list(rights.holders_of({function})) == [user]
    assert rights.lacking_derived_secrecy(user) == set()


@pytest.mark.django_db
def test_without_the_derived_secrecy_declaration_the_verzuimmedewerker_reads_no_c(
    doctor_bram, employer_a, employee_of_a
) -> None:
    from arbo.access.matrix import Action, Category
    from arbo.access.models_care import DoctorTeamMember

    worker = f.UserFactory(username="vera", kind=User.Kind.STAFF)
    f.give_function(worker, StaffFunction.VERZUIMMEDEWERKER_GEHEIMHOUDING)
    _tear_up_derived(worker)
    f.join_team(worker, employer_a)
    DoctorTeamMember.objects.create(doctor=doctor_bram, member=worker, kind=DoctorTeamMember.Kind.DELEGATE)
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)

    assert policy.can(worker, Action.READ, Category.C, employee_of_a) is False
    assert policy.can(worker, Action.CHANGE, Category.B, employee_of_a) is True  # as a verzuimmedewerker

    f.sign_declaration(worker, kind=ConfidentialityDeclaration.Kind.DERIVED_SECRECY)
    worker.forget_rights()

    assert policy.can(worker, Action.READ, Category.C, employee_of_a) is True
