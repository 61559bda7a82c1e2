"""Every prevention URL that names an object is closed to users outside its relationships.

The URL list is read from the URLconf, not written down here: every named URL of the
``prevention`` namespace whose route carries an ``<int:...>`` id, each id filled with every object
of its kind in a world built through the domain functions (a PMO and an exposure record of an
employee of A; two applicants of A, one whose exam result the applicant has not heard yet and one
who has, neither released). A new prevention page that forgets the visibility querysets fails
this test without anyone remembering to add it.

Each URL is requested with GET and POST (plausible form data, which the doctor is shown to change
the register with) by users outside the relationship:

- ``other_employer_hr``: an HR user of employer B;
- ``other_employee``: an employee of employer B with a portal account;
- ``other_team_casemanager`` / ``other_team_doctor``: staff on B's team only (the doctor has
  category C in the matrix and examines B's applicants, but not A's);
- ``own_team_casemanager``: a casemanager on A's team (categories A, B, D; no C, no applicants);
- ``own_employer_hr``: an HR user of A (learns nothing of a PMO; of a keuring only its status).

The answer must be 404 or 405, and no row of any prevention table (nor an applicant) may change.
The pages legitimately open to a persona are listed in :data:`ALLOWED` with the reason; there
they must answer and show no canary and no unreleased outcome.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client

from arbo.access import care
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.prevention import domain
from arbo.prevention.models import ExposureRecord, PeriodicExam, PreEmploymentExam
from arbo.registry.models import Applicant
from tests import factories as f
from tests.prevention.conftest import EXAM_DATE, make_applicant
from tests.url_scan import allowed_records, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACE = "prevention"
NAMESPACES = (NAMESPACE,)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)

PERSONAS = (
    "other_employer_hr",
    "other_employee",
    "other_team_casemanager",
    "other_team_doctor",
    "own_team_casemanager",
    "own_employer_hr",
)

#: Pages legitimately open to a persona, and why. Anything else must answer 404 or 405.
ALLOWED: dict[str, dict[str, str]] = {
    "own_employer_hr": {
        # Wet op de medische keuringen: the employer that asked for the keuring sees whether it is
        # done ("afgerond"), and the outcome only after the applicant consented (checked below).
        "outcome": "the employer's own status page of its applicant's keuring",
    },
}

#: Pages that only show something (no form behind them): the control below reads them; every
#: other scanned URL must change the register when the doctor POSTs.
READ_ONLY = {"employee", "applicant", "outcome"}


# --- The scan ------------------------------------------------------------------------------------


def _patterns(namespace: str = NAMESPACE) -> list[tuple[str, str]]:
    return named_id_routes(namespace)


@dataclass
class World:
    ids: dict[str, list[int]]
    doctor: User
    c: list[str] = field(default_factory=list)  # every category C text

    def urls(self) -> Iterator[tuple[str, str]]:
        """(name, url) for every scanned route and every combination of objects for its ids."""
        for name, route in _patterns():
            params = re.findall(r"<int:(\w+)>", route)
            for values in itertools.product(*(self.ids[p] for p in params)):
                chosen = dict(zip(params, values, strict=True))
                yield name, re.sub(r"<int:(\w+)>", lambda m, c=chosen: str(c[m.group(1)]), route)  # type: ignore[misc]


@pytest.fixture
def world(employer_a, employee_of_a) -> World:  # type: ignore[no-untyped-def]
    """A PMO and an exposure of A's employee, and two examined applicants of A, by a doctor of A only."""
    doctor = cast(User, f.UserFactory(username="dora", kind=User.Kind.STAFF))
    f.give_function(doctor, StaffFunction.BEDRIJFSARTS)
    f.join_team(doctor, employer_a)
    care.assign_treating_doctor(employee_of_a, doctor, by=doctor)
    c = [f"SCANC-{what}" for what in ("pmo-results", "pmo-advice", "agent", "source", "details")]
    domain.record_periodic_exam(
        employee_of_a,
        programme=PeriodicExam.Programme.NOISE,
        exam_date=EXAM_DATE,
        results=c[0],
        advice=c[1],
        conclusion=PeriodicExam.Conclusion.REFERRED,
        by=doctor,
    )
    domain.record_exposure(
        employee_of_a,
        kind=ExposureRecord.Kind.CARCINOGENIC,
        agent=c[2],
        source=c[3],
        details=c[4],
        exposure_start=dt.date(2019, 1, 1),
        exposure_end=dt.date(2021, 6, 30),
        by=doctor,
    )
    applicants: list[Applicant] = []
    exams: list[PreEmploymentExam] = []
    for informed in (False, True):  # not yet heard it: "informed" applies; heard it: "release" does
        applicant = make_applicant(employer_a, first_names="Informed" if informed else "Fresh")
        c.append(f"SCANC-keuring-{applicant.first_names}")
        exam = domain.record_pre_employment_exam(
            applicant,
            kind=PreEmploymentExam.Kind.GENERAL,
            exam_date=EXAM_DATE,
            results=c[-1],
            outcome=PreEmploymentExam.Outcome.NOT_SUITABLE,
            by=doctor,
        )
        if informed:
            exam = domain.record_applicant_informed(exam, by=doctor)
        applicants.append(applicant)
        exams.append(exam)
    return World(
        ids={
            "employee_id": [employee_of_a.pk],
            "applicant_id": [a.pk for a in applicants],
            "exam_id": [e.pk for e in exams],
        },
        doctor=doctor,
        c=c,
    )


# --- Requests ------------------------------------------------------------------------------------


def _post_data(name: str) -> dict[str, str]:
    """Form data every prevention POST accepts (``kind`` differs between exposure and keuring)."""
    return {
        "kind": PreEmploymentExam.Kind.GENERAL
        if name == "add_pre_employment_exam"
        else ExposureRecord.Kind.CARCINOGENIC,
        "programme": PeriodicExam.Programme.GENERAL,
        "exam_date": EXAM_DATE.isoformat(),
        "results": "Uitslag van iemand zonder behandelrelatie",
        "conclusion": PeriodicExam.Conclusion.NO_FINDINGS,
        "advice": "Advies van iemand zonder behandelrelatie",
        "agent": "Asbest",
        "exposure_start": "2020-01-01",
        "source": "Sloopwerk",
        "details": "Dosis onbekend",
        "position": "Heftruckchauffeur",
        "outcome": PreEmploymentExam.Outcome.SUITABLE,
        "decision": "release",
        "confirmed": "1",  # issue 18: the second step before the outcome goes to the employer
    }


def _send(client: Client, method: str, name: str, url: str) -> HttpResponse:
    if method == "get":
        return client.get(url)  # type: ignore[return-value]
    return client.post(url, _post_data(name))  # type: ignore[return-value]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row and column of every prevention table, and of the applicants."""
    models: list[type[Model]] = [*apps.get_app_config(NAMESPACE).get_models(), Applicant]
    return {
        model._meta.label: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._default_manager.order_by("pk").values_list()
        ]
        for model in models
    }


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _login(user: User) -> Client:
    if not f.has_totp(user):
        f.enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


# --- Tests ---------------------------------------------------------------------------------------


def test_the_scan_finds_the_prevention_urls(world) -> None:  # type: ignore[no-untyped-def]
    names = {name for name, _route in _patterns()}
    assert {
        "employee",
        "add_periodic_exam",
        "add_exposure",
        "applicant",
        "add_pre_employment_exam",
        "applicant_informed",
        "release_decision",
        "outcome",
    } <= names
    assert {"applicant_list", "outcomes"}.isdisjoint(names)  # no object id: not scanned
    assert len(list(world.urls())) >= 13
    assert set(ALLOWED) <= set(PERSONAS)
    assert {name for allowed in ALLOWED.values() for name in allowed} <= names


def test_the_post_data_changes_the_register_when_the_doctor_sends_it(world, hr_wim) -> None:  # type: ignore[no-untyped-def]
    """The control: the same POSTs by the doctor change the register (and the employer and the
    doctor read their pages, canaries included), so an unchanged snapshot below means refused."""
    clients = {"doctor": _login(world.doctor), "employer": _login(hr_wim)}
    changed_by: dict[str, bool] = {}
    opened: set[str] = set()
    seen = ""
    before = _snapshot()
    for name, url in world.urls():
        client = clients["employer" if name == "outcome" else "doctor"]
        if name in READ_ONLY:
            response = _send(client, "get", name, url)
            if response.status_code == 200:
                opened.add(name)
                seen += response.content.decode()
            continue
        if changed_by.get(name):
            continue
        with transaction.atomic():
            _send(client, "post", name, url)
            changed_by[name] = bool(_changed(before, _snapshot()))
            transaction.set_rollback(True)
    assert [name for name, changed in changed_by.items() if not changed] == []
    assert len(changed_by) >= 5
    assert opened == READ_ONLY  # and their owner reads them: the ids point at real pages
    assert [s for s in world.c if s not in seen] == []  # so the canaries can leak


@pytest.mark.parametrize("who", PERSONAS)
def test_every_prevention_url_is_closed_outside_the_relationship(  # type: ignore[no-untyped-def]
    who, world, employer_a, employer_b
) -> None:
    allowed = ALLOWED.get(who, {})
    # Neither exam has been released: not even the word "geschikt" may reach the employer.
    forbidden = [*world.c, "geschikt"]
    user = persona(who, employer_a, employer_b)
    client = _login(user)
    before = _snapshot()
    answered: set[str] = set()
    closed = 0
    for name, url in world.urls():
        for method in ("get", "post"):
            if method == "post" and name in READ_ONLY and name in answered:
                continue  # its POST renders the same page again: nothing more to learn
            if name not in allowed:
                response = _send(client, method, name, url)
                assert response.status_code in (404, 405), (who, name, url, method, response.status_code)
                closed += 1
                continue
            with transaction.atomic():  # legitimate work: look, then undo it
                response = _send(client, method, name, url)
                transaction.set_rollback(True)
            assert response.status_code in (200, 302, 405), (who, name, url, method, response.status_code)
            if response.status_code != 405:
                answered.add(name)
                text = response.content.decode()
                assert [s for s in forbidden if s in text] == [], (who, name, url, method)
    assert closed >= 18
    assert _changed(before, _snapshot()) == []
    assert allowed_records(user) == []  # nothing of the employee or the applicants was read
    assert answered == set(allowed)  # every ALLOWED entry is still needed
