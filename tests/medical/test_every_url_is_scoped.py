"""Every medical URL that names an object is closed to users outside its relationships.

The URL list is read from the URLconf, not written down here: every named URL of the ``medical``
namespace whose route carries an ``<int:...>`` id, each id filled with every object of its kind
in a file built through the domain functions (consultations planned, held, awaiting review and
preventive; a free slot; a letter; an information consent and request; the FML). A new medical
page that forgets the visibility querysets fails this test without anyone remembering to add it.

Each URL is requested with GET and POST (plausible form data, which the doctor or the employee
is shown to change the file with) by users outside the relationship:

- ``other_employer_hr``: an HR user of employer B;
- ``other_employee``: an employee of employer B with a portal account;
- ``other_team_casemanager`` / ``other_team_doctor``: staff on B's team only (no relationship
  with A's employee; the doctor has category C in the matrix, but not for this person);
- ``own_team_casemanager``: a casemanager on A's team (categories A, B, D; no C);
- ``own_employer_hr``: an HR user of A (categories A and D);
- ``own_team_planner``: the planner on A's team (D only): books, moves and cancels, and manages
  the doctor's free slots, without learning who an appointment is for;
- ``own_team_director``, ``own_team_financieel``, ``own_team_arbeidshygienist``,
  ``own_team_secretariaat``: D only on A's team: that a named employee sees the doctor is B or C,
  so nothing of the medical app opens to them;
- ``applicatiebeheerder``: the functional administrator (organisation-wide, on no team).

The answer must be 404 or 405, and no row of any medical table may change. The few pages that
are legitimately open to a persona are listed in :data:`ALLOWED` with the reason; there they
must answer and show no canary of a category the persona may not read (their POSTs run inside a
savepoint that is rolled back).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from arbo.access import care
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.medical.advice import domain as da
from arbo.medical.consultations import domain as dc
from arbo.medical.domain import add_medical_note
from arbo.medical.models import Consultation
from arbo.medical.records import domain as dr
from arbo.medical.records.models import FML_RUBRICS, Limitation
from arbo.registry.models import Practitioner
from tests import factories as f
from tests.medical.conftest import login
from tests.url_scan import allowed_records, named_id_routes, persona

pytestmark = pytest.mark.django_db

NAMESPACE = "medical"
NAMESPACES = (NAMESPACE,)  # what this scan covers (tests/access/test_url_scans_cover_every_url.py)
TZ_OFFSET = dt.timedelta(hours=1)  # CET in March


def _at(day: int, hour: int) -> dt.datetime:
    """``hour`` o'clock in Amsterdam on ``day`` March 2027."""
    return dt.datetime(2027, 3, day, hour, 0, tzinfo=dt.UTC) - TZ_OFFSET


BUILT_AT = _at(1, 8)  # Monday: the consultations are planned
HELD_AT = _at(3, 9)  # Wednesday morning: three are held, notes and advice written
ASKED_AT = _at(3, 13)  # Wednesday afternoon: the requests; the planned one (10:00) has begun
TODAY = "2027-03-03"

PERSONAS = (
    "other_employer_hr",
    "other_employee",
    "other_team_casemanager",
    "other_team_doctor",
    "own_team_casemanager",
    "own_employer_hr",
    "own_team_planner",
    "own_team_director",
    "own_team_financieel",
    "own_team_arbeidshygienist",
    "own_team_secretariaat",
    "applicatiebeheerder",
)

#: Pages legitimately open to a persona, and why. Anything else must answer 404 or 405.
ALLOWED: dict[str, dict[str, str]] = {
    "own_team_casemanager": {
        # Planning is category D work (policies.may_plan / may_see_appointment): the casemanager
        # changes D of the employees of the employers whose team they are on. These pages show
        # the appointment (time, place, doctor, status) and never the reason, the notes, the
        # kind or the advice of a consultation that does not reach the employer (checked below).
        "consultation_detail": "the appointment is category D; B advice only of regular consultations",
        "plan": "booking a consultation is category D work",
        "reschedule": "moving an appointment is category D work",
        "cancel": "cancelling an appointment is category D work",
        "invitation_pdf": "the invitation carries date, time, place and doctor only (category D)",
        "invitation_ics": "the invitation carries date, time, place and doctor only (category D)",
    },
    "own_team_secretariaat": {
        "file_letter": "seed 004: the secretariat files medical correspondence, write-only",
        "paper_destroyed": "seed 004: the secretariat records that the scanned paper was shredded",
    },
    "own_team_planner": {
        # The planner books for an employee of its team, and moves or cancels bookings with the
        # doctors of its team seeing only "bezet" (never the name: checked below, NAMELESS).
        "plan": "booking a consultation is the planner's work",
        "reschedule": "moving a booking (shown without the employee's name)",
        "cancel": "cancelling a booking (shown without the employee's name)",
        "delete_slot": "managing the free slots of a doctor on the planner's team",
    },
    "own_employer_hr": {
        "employer_released": "the employer's own page: only what the doctor released to it",
    },
}

#: (persona, URL name) that fail today; each is also its own strict xfail test below, so the fix
#: turns that test into an XPASS failure and the entry must then be removed here.
#: Leaks the scan found, each a strict xfail until fixed (empty: ``delete_slot`` of another team's
#: doctor was one, fixed by ``policies.may_manage_slots_of``).
KNOWN_LEAKS: dict[tuple[str, str], str] = {}

#: Pages of ALLOWED where the consultation must not be known to the persona when it is the
#: preventive one (category C: the casemanager reads B only): these answer 404 for it.
PREVENTIVE_CLOSED = {"own_team_casemanager"}

#: Pages of ALLOWED that must not show the employee's name to the persona (the planner's bookings).
NAMELESS: dict[str, set[str]] = {"own_team_planner": {"reschedule", "cancel", "delete_slot"}}

#: How a page could tell that a consultation is preventive (shown to readers of C only).
PREVENTIVE_WORDS = ("preventief", "arbeidsomstandighedenspreekuur")

#: Pages that only show something, even to the treating doctor (no form behind them): the control
#: below reads them; every other scanned URL must change the file when its owner POSTs.
READ_ONLY = {
    "file",
    "consultation_detail",
    "employer_released",
    "invitation_pdf",
    "invitation_ics",
    "letter_download",
}


# --- The scan ------------------------------------------------------------------------------------


def _patterns(namespace: str = NAMESPACE) -> list[tuple[str, str]]:
    return named_id_routes(namespace)


@dataclass
class World:
    ids: dict[str, list[int]]
    doctor: User
    employee_user: User
    practitioner_id: int
    slot_id: int
    preventive_id: int
    employee_name: str
    c: list[str] = field(default_factory=list)  # category C (and the preventive advice)
    b: list[str] = field(default_factory=list)  # category B: advice of regular consultations, FML

    def urls(self) -> Iterator[tuple[str, str]]:
        """(name, url) for every scanned route and every combination of objects for its ids."""
        for name, route in _patterns():
            params = re.findall(r"<int:(\w+)>", route)
            for values in itertools.product(*(self.ids[p] for p in params)):
                chosen = dict(zip(params, values, strict=True))
                yield name, re.sub(r"<int:(\w+)>", lambda m, c=chosen: str(c[m.group(1)]), route)  # type: ignore[misc]


PLANS = {
    "planned": (3, 10, Consultation.Kind.REGULAR),  # still planned: cancel, reschedule, held, no-show
    "held": (1, 10, Consultation.Kind.REGULAR),  # held, advice saved: save and release advice
    "review": (1, 11, Consultation.Kind.REGULAR),  # advice awaits the employee's review
    "preventive": (2, 10, Consultation.Kind.PREVENTIVE),  # advice released to the employee only
}


@pytest.fixture
def world(employer_a, employee_of_a, employee_eva) -> World:  # type: ignore[no-untyped-def]
    """One treated employee of A with something behind every kind of id, by a doctor of A only."""
    doctor = cast(User, f.UserFactory(username="dora", kind=User.Kind.STAFF))
    f.give_function(doctor, StaffFunction.BEDRIJFSARTS)
    f.join_team(doctor, employer_a)
    employee = employee_of_a
    c: list[str] = []
    b: list[str] = []
    with time_machine.travel(BUILT_AT, tick=False) as clock:
        care.assign_treating_doctor(employee, doctor, by=doctor)
        consultations = {}
        for key, (day, hour, kind) in PLANS.items():
            c.append(f"SCANC-reason-{key}")
            consultations[key] = dc.plan_consultation(
                employee,
                doctor=doctor,
                starts_at=_at(day, hour),
                ends_at=_at(day, hour) + dt.timedelta(minutes=30),
                kind=kind,
                location="Spreekkamer Utrecht",
                reason=c[-1],
                by=doctor,
            )
        clock.move_to(HELD_AT)
        for key in ("held", "review", "preventive"):
            consultations[key] = dc.record_consultation_held(consultations[key], by=doctor)
            c.append(f"SCANC-note-{key}")
            add_medical_note(
                employee, kind="anamnese", body=c[-1], consultation=consultations[key], by=doctor
            )
        c += ["SCANC-diagnosis", "X9Z8Y"]
        add_medical_note(employee, kind="diagnose", body=c[-2], cas_code=c[-1], by=doctor)
        advice = {}
        for key, bucket in (("held", b), ("review", b), ("preventive", c)):
            texts = {
                name: f"SCANB-{key}-{name}"
                for name in ("can_do", "cannot_do", "expected_duration", "adjustments", "reintegration")
            }
            bucket.extend(texts.values())
            advice[key] = da.save_advice(
                consultations[key],
                by=doctor,
                employee_review_requested=key == "review",
                **texts,  # type: ignore[arg-type]
            )
        for key in ("review", "preventive"):
            advice[key] = da.release_advice(advice[key], by=doctor)
        slot = dc.create_slot(
            doctor=doctor,
            starts_at=_at(10, 9),
            ends_at=_at(10, 9) + dt.timedelta(minutes=30),
            location="Spreekkamer Utrecht",
            by=doctor,
        )
        c += ["SCANC-letter-sender", "SCANC-letter-description", "SCANC-letter-content"]
        document = dr.file_incoming_document(
            employee,
            upload=SimpleUploadedFile("brief.pdf", f"%PDF-1.4\n{c[-1]}\n%%EOF\n".encode()),
            received_on=HELD_AT.date(),
            sender=c[-3],
            description=c[-2],
            by=doctor,
        )
        practitioner = Practitioner.objects.create(name="Huisartsenpraktijk De Linde")
        c += ["SCANC-consent-question", "SCANC-request-question"]
        consent = dr.record_information_consent(
            employee,
            practitioner=practitioner,
            question=c[-2],
            given_by="De werknemer",
            given_on=HELD_AT.date(),
            by=doctor,
        )
        info_request = dr.create_information_request(
            employee, practitioner=practitioner, question=c[-1], by=doctor
        )
        rubrics = {key: (Limitation.LIMITED, f"SCANB-fml-{key}") for key, _label in FML_RUBRICS}
        b += [note for _level, note in rubrics.values()]
        dr.record_functional_abilities(employee, assessed_on=HELD_AT.date(), rubrics=rubrics, by=doctor)
    return World(
        ids={
            "employee_id": [employee.pk],
            "consultation_id": [consultations[k].pk for k in PLANS],
            "slot_id": [slot.pk],
            "document_id": [document.pk],
            "consent_id": [consent.pk],
            "request_id": [info_request.pk],
            "advice_id": [advice["review"].pk, advice["preventive"].pk],
        },
        doctor=doctor,
        employee_user=employee_eva,
        practitioner_id=practitioner.pk,
        slot_id=slot.pk,
        preventive_id=consultations["preventive"].pk,
        employee_name=employee.full_name,
        c=c,
        b=b,
    )


# --- Requests ------------------------------------------------------------------------------------


def _post_data(name: str, world: World) -> dict[str, Any]:
    """Form data every medical POST accepts (one dictionary; ``plan`` books a consultation kind)."""
    data: dict[str, Any] = {
        "kind": Consultation.Kind.REGULAR if name in ("plan", "record_past") else "anamnese",
        # issue 18: a consultation recorded afterwards (two hours before ASKED_AT, local time)
        "status": Consultation.Status.HELD,
        "mode": "telefoon",
        "starts_at": "2027-03-03T11:00",
        "minutes": "10",
        "body": "Notitie van iemand zonder behandelrelatie",
        "slot": str(world.slot_id),
        "reason": "Reden van iemand zonder behandelrelatie",
        "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\nscan\n%%EOF\n", content_type="application/pdf"),
        "received_on": TODAY,
        "paper": "pending",
        "practitioner": str(world.practitioner_id),
        "question": "Een vraag aan de huisarts",
        "given_by": "De werknemer",
        "given_on": TODAY,
        "direction": "uitgaand",
        "assessed_on": TODAY,
        "remarks": "Toelichting",
        "can_do": "Overgenomen advies",
        "reintegration": "Overgenomen re-integratie",
        "how": "schriftelijk",
        "destroyed_on": TODAY,
        "answer": "Het antwoord van de huisarts",
        "response": "Gezien",
        "confirm": "yes",
        "confirmed": "1",  # issue 18: the second step before a release
        "accept_medical_terms": "1",
    }
    for key, _label in FML_RUBRICS:
        data[f"{key}_level"] = Limitation.SEVERELY
        data[f"{key}_note"] = "Overgenomen"
    return data


def _send(client: Client, method: str, name: str, url: str, world: World) -> HttpResponse:
    if method == "get":
        return client.get(url)  # type: ignore[return-value]
    return client.post(url, _post_data(name, world))  # type: ignore[return-value]


def _text(response: HttpResponse) -> str:
    """The body as text; a rendered PDF (the invitation letter) also as its extracted text."""
    content = response.content
    text = content.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/pdf") and b"/Page" in content:
        text += "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row and column of every table of the medical app (and the consent register it writes)."""
    return {
        model._meta.label: [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._default_manager.order_by("pk").values_list()
        ]
        for app in (NAMESPACE, "consent")
        for model in apps.get_app_config(app).get_models()
    }


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# --- Tests ---------------------------------------------------------------------------------------


def test_the_scan_finds_the_medical_urls(world) -> None:  # type: ignore[no-untyped-def]
    names = {name for name, _route in _patterns()}
    assert {
        "file",
        "add_note",
        "plan",
        "file_letter",
        "add_information_consent",
        "add_information_request",
        "add_fml",
        "employer_released",
        "consultation_detail",
        "reschedule",
        "cancel",
        "held",
        "no_show",
        "set_reason",
        "invitation_pdf",
        "invitation_ics",
        "save_advice",
        "release_advice",
        "record_report_consent",
        "delete_slot",
        "letter_download",
        "paper_destroyed",
        "withdraw_information_consent",
        "answer_information_request",
        "mine_advice_seen",
        "mine_advice_consent",
    } <= names
    assert {"agenda", "mine", "letters_pending"}.isdisjoint(names)  # no object id: not scanned
    assert len(list(world.urls())) >= 50  # every consultation and both advice ids
    assert set(ALLOWED) <= set(PERSONAS)
    assert {name for allowed in ALLOWED.values() for name in allowed} <= names
    assert {name for _who, name in KNOWN_LEAKS} <= names


def _owner(name: str) -> str:
    """Who the page is for: the employee (``mine_*``), the employer, or the treating doctor."""
    return "employee" if name.startswith("mine_") else "employer" if name == "employer_released" else "doctor"


def test_the_post_data_changes_the_file_when_the_doctor_or_the_employee_sends_it(world, hr_wim) -> None:  # type: ignore[no-untyped-def]
    """The control: the same POSTs by the treating doctor (``mine_*``: by the employee) change
    the file, so an unchanged snapshot below means refused, not ignored."""
    with time_machine.travel(ASKED_AT, tick=False):
        clients = {
            "doctor": login(world.doctor),
            "employee": login(world.employee_user),
            "employer": login(hr_wim),
        }
        changed_by: dict[str, bool] = {}
        opened: set[str] = set()
        seen = preventive_pages = ""
        before = _snapshot()
        for name, url in world.urls():
            client = clients[_owner(name)]
            if name in READ_ONLY:
                response = _send(client, "get", name, url, world)
                if response.status_code == 200:
                    opened.add(name)
                    seen += _text(response)
                    if f"/consultations/{world.preventive_id}/" in url:
                        preventive_pages += _text(response).lower()
                continue
            if changed_by.get(name):
                continue
            with transaction.atomic():
                _send(client, "post", name, url, world)  # a 404 for some ids: no advice yet
                changed_by[name] = bool(_changed(before, _snapshot()))
                transaction.set_rollback(True)
    assert [name for name, changed in changed_by.items() if not changed] == []
    assert len(changed_by) >= 20
    assert opened == READ_ONLY  # and their owner reads them: the ids point at real pages
    assert [s for s in world.c + world.b if s not in seen] == []  # so the canaries can leak
    assert all(word in preventive_pages for word in PREVENTIVE_WORDS)  # and so can the kind


@pytest.mark.parametrize("who", PERSONAS)
def test_every_medical_url_is_closed_outside_the_relationship(  # type: ignore[no-untyped-def]
    who, world, employer_a, employer_b
) -> None:
    allowed = ALLOWED.get(who, {})
    # The casemanager reads B of regular consultations and the FML; the rest reads neither B nor C.
    forbidden = world.c if who == "own_team_casemanager" else world.c + world.b
    with time_machine.travel(ASKED_AT, tick=False):
        user = persona(who, employer_a, employer_b)
        client = login(user)
        before = _snapshot()
        answered: set[str] = set()
        closed = 0
        for name, url in world.urls():
            if (who, name) in KNOWN_LEAKS:
                continue
            for method in ("get", "post"):
                if method == "post" and name in READ_ONLY and name in answered:
                    continue  # its POST renders the same page again: nothing more to learn
                if name not in allowed:
                    response = _send(client, method, name, url, world)
                    assert response.status_code in (404, 405), (who, name, url, method, response.status_code)
                    closed += 1
                    continue
                with transaction.atomic():  # legitimate work: look, then undo it
                    response = _send(client, method, name, url, world)
                    transaction.set_rollback(True)
                if who in PREVENTIVE_CLOSED and f"/consultations/{world.preventive_id}/" in url:
                    assert response.status_code in (404, 405), (who, name, url, method, response.status_code)
                    closed += 1
                    continue
                assert response.status_code in (200, 302, 405), (who, name, url, method, response.status_code)
                if response.status_code != 405:
                    answered.add(name)
                    text = _text(response)
                    leaked = [s for s in forbidden if s in text]
                    if name in NAMELESS.get(who, set()):
                        leaked += [s for s in (world.employee_name,) if s in text]
                    if f"/consultations/{world.preventive_id}/" in url:  # its kind is medical too
                        leaked += [s for s in PREVENTIVE_WORDS if s in text.lower()]
                    assert leaked == [], (who, name, url, method)
        after = _snapshot()
        reads = allowed_records(user)
    assert closed >= (40 if who != "own_team_planner" else 20)
    assert _changed(before, after) == []
    assert reads == []  # no page read or changed anything of the employee's file
    assert answered == set(allowed)  # every ALLOWED entry is still needed


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_doctor_and_a_planner_of_the_doctors_team_open_consultation_hours(  # type: ignore[no-untyped-def]
    who, world, employer_a, employer_b
) -> None:
    """``add_slots`` names no object (the scan above does not reach it): open hours as everyone."""
    with time_machine.travel(ASKED_AT, tick=False):
        client = login(persona(who, employer_a, employer_b))
        before = _snapshot()
        response = client.post(
            reverse("medical:add_slots"),
            {
                "doctor": world.doctor.pk,
                "day": "2027-03-11",
                "start": "09:00",
                "end": "10:00",
                "minutes": 30,
                "mode": "spreekkamer",
                "location": "Utrecht",
            },
        )
        opened = _changed(before, _snapshot())
    assert response.status_code in (302, 404)
    assert opened == (["medical.ConsultationSlot"] if who == "own_team_planner" else [])


@pytest.mark.parametrize(
    ("who", "name"),
    [
        pytest.param(who, name, marks=pytest.mark.xfail(strict=True, reason=why))
        for (who, name), why in KNOWN_LEAKS.items()
    ],
)
def test_known_leak(who, name, world, employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(ASKED_AT, tick=False):
        client = login(persona(who, employer_a, employer_b))
        before = _snapshot()
        statuses = [
            (url, method, _send(client, method, name, url, world).status_code)
            for candidate, url in world.urls()
            if candidate == name
            for method in ("get", "post")
        ]
        after = _snapshot()
    assert ([s for s in statuses if s[2] not in (404, 405)], _changed(before, after)) == ([], [])
