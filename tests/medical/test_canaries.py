"""Canaries: a string in every category C (and B) field and file of one employee's medical file.

The file is built through the domain functions (planning, holding, notes, advice, letters,
information requests, FML), then every page, download, mail, API answer and log line that a user
without category C on that person can reach is searched for them:

- C canaries never reach anyone without category C on the person (every staff function without
  C, a doctor without the treatment relationship, a delegate of another doctor, employer users,
  API clients);
- B canaries reach staff with B only for consultations that reach the employer (never those of
  the preventive consultation), and the employer only the advice released to it;
- a preventive consultation leaves no trace for the employer: not its day, not its kind.

And at rest: no table (every column, through a raw cursor) and no uploaded file holds a canary.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from arbo.access import care
from arbo.access.matrix import LEVELS, MATRIX
from arbo.access.models_care import DoctorTeamMember
from arbo.api import domain as api_domain
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.medical.advice import domain as da
from arbo.medical.consultations import domain as dc
from arbo.medical.domain import add_medical_note
from arbo.medical.models import Consultation, ConsultationAdvice
from arbo.medical.records import domain as dr
from arbo.medical.records.models import Limitation
from arbo.registry.models import Employee, Practitioner
from tests import factories as f
from tests.medical.conftest import login
from tests.url_scan import whole_file

pytestmark = pytest.mark.django_db

TZ_OFFSET = dt.timedelta(hours=1)  # CET in March
MONDAY = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
#: Days: Mon 1 March regular consultations, Tue 2 the preventive one, Wed 3 holding and advice,
#: Thu 4 a planned regular one, Fri 5 a planned preventive one.
PREVENTIVE_DAYS = ("2 maart 2027", "5 maart 2027", "02-03-2027", "05-03-2027", "2027-03-02", "2027-03-05")


def canary(kind: str, what: str) -> str:
    return f"CANARY-{kind}-{what}-{uuid.uuid4().hex[:8]}"


@dataclass
class World:
    employee: Employee
    doctor: User
    consultations: dict[str, Consultation]
    c: list[str] = field(default_factory=list)  # category C canaries
    b_released: list[str] = field(default_factory=list)  # advice released to the employer
    b_regular: list[str] = field(default_factory=list)  # other B of regular consultations, FML
    b_preventive: list[str] = field(default_factory=list)  # advice of the preventive consultation
    document_id: int = 0
    mails: list = field(default_factory=list)  # type: ignore[type-arg]

    def c_and(self, *groups: list[str]) -> list[str]:
        return self.c + [s for g in groups for s in g]


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, 0, tzinfo=dt.UTC) - TZ_OFFSET


def _advice(world: World, key: str, bucket: list[str], **kwargs: object) -> ConsultationAdvice:
    texts = {
        name: canary("B", f"{key}-{name}")
        for name in ("can_do", "cannot_do", "expected_duration", "adjustments", "reintegration")
    }
    bucket.extend(texts.values())
    advice = da.save_advice(world.consultations[key], by=world.doctor, **texts, **kwargs)  # type: ignore[arg-type]
    return da.release_advice(advice, by=world.doctor)


@pytest.fixture
def world(  # type: ignore[no-untyped-def]
    doctor_bram,
    employee_of_a,
    secretary_sara,
    employee_eva,
    hr_wim,
    settings,
    tmp_path,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    employee = employee_of_a
    employee.email = "eva@example.nl"
    employee.save()
    hr_wim.email = "hr@example.nl"
    hr_wim.save()
    care.assign_treating_doctor(employee, doctor_bram, by=doctor_bram)
    world = World(employee, doctor_bram, {})
    plans = {
        "regular": (1, 10, Consultation.Kind.REGULAR),
        "no_show": (1, 11, Consultation.Kind.REGULAR),
        "review": (1, 12, Consultation.Kind.REGULAR),
        "preventive": (2, 10, Consultation.Kind.PREVENTIVE),
        "planned": (4, 10, Consultation.Kind.REGULAR),
        "planned_preventive": (5, 14, Consultation.Kind.PREVENTIVE),
    }
    with time_machine.travel(MONDAY, tick=False) as clock, django_capture_on_commit_callbacks(execute=True):
        for key, (day, hour, kind) in plans.items():
            reason = canary("C", f"reason-{key}")
            world.c.append(reason)
            world.consultations[key] = dc.plan_consultation(
                employee,
                doctor=doctor_bram,
                starts_at=_at(day, hour),
                ends_at=_at(day, hour) + dt.timedelta(minutes=30),
                kind=kind,
                location="Spreekkamer Utrecht",
                reason=reason,
                by=doctor_bram,
            )
        clock.move_to(_at(3, 9))
        for key in ("regular", "review", "preventive"):
            world.consultations[key] = dc.record_consultation_held(world.consultations[key], by=doctor_bram)
        world.consultations["no_show"] = dc.record_no_show(world.consultations["no_show"], by=doctor_bram)
        for key in ("regular", "preventive"):
            for kind in ("anamnese", "bevindingen", "medicatie", "behandeling", "voorgeschiedenis"):
                body = canary("C", f"note-{key}-{kind}")
                world.c.append(body)
                add_medical_note(
                    employee, kind=kind, body=body, consultation=world.consultations[key], by=doctor_bram
                )
        diagnosis = canary("C", "diagnosis")
        world.c += [diagnosis, "X9Z8Y", "Y98.ZQ7"]
        add_medical_note(
            employee, kind="diagnose", body=diagnosis, cas_code="X9Z8Y", icd10_code="Y98.ZQ7", by=doctor_bram
        )
        dc.set_consultation_reason(world.consultations["regular"], reason=world.c[0], by=doctor_bram)
        _advice(world, "regular", world.b_released)
        review = _advice(world, "review", world.b_regular, employee_review_requested=True)
        response = canary("B", "response")
        world.b_regular.append(response)
        da.mark_advice_seen(review, by=employee_eva, response=response, correction_requested=True)
        _advice(world, "preventive", world.b_preventive)
        letter = [canary("C", f"letter-{p}") for p in ("sender", "description", "filename", "content")]
        world.c += letter
        document = dr.file_incoming_document(
            employee,
            upload=SimpleUploadedFile(f"{letter[2]}.pdf", f"%PDF-1.4\n{letter[3]}\n%%EOF\n".encode()),
            received_on=_at(3, 9).date(),
            sender=letter[0],
            description=letter[1],
            by=secretary_sara,
        )
        world.document_id = document.pk
        practitioner = Practitioner.objects.create(name="Huisartsenpraktijk De Linde")
        question, asked, answer = (canary("C", w) for w in ("consent-question", "request-question", "answer"))
        world.c += [question, asked, answer]
        dr.record_information_consent(
            employee,
            practitioner=practitioner,
            question=question,
            given_by="Eva",
            given_on=_at(3, 9).date(),
            by=doctor_bram,
        )
        request = dr.create_information_request(
            employee, practitioner=practitioner, question=asked, by=doctor_bram
        )
        dr.record_information_answer(request, answer=answer, by=doctor_bram)
        notes = {key: (Limitation.LIMITED, canary("B", f"fml-{key}")) for key in ("dynamisch", "werktijden")}
        remarks = canary("B", "fml-remarks")
        world.b_regular += [n for _level, n in notes.values()] + [remarks]
        dr.record_functional_abilities(
            employee, assessed_on=_at(3, 9).date(), rubrics=notes, remarks=remarks, by=doctor_bram
        )
    world.mails = list(mailoutbox)
    return world


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _staff_pages(client: Client, world: World) -> dict[str, tuple[int, str]]:
    """Every page, download and partial a staff member could reach about this file."""
    employee = world.employee
    urls = {
        "employee_list": reverse("registry:employee_list"),
        "employee_detail": employee.get_absolute_url(),
        "agenda": f"{reverse('medical:agenda')}?doctor={world.doctor.pk}&date=2027-03-01&view=week",
        "file": reverse("medical:file", args=[employee.pk]),
        "letter": reverse("medical:letter_download", args=[world.document_id]),
        "letters_pending": reverse("medical:letters_pending"),
        "released": reverse("medical:employer_released", args=[employee.pk]),
        "mine": reverse("medical:mine"),
        "fml_form": reverse("medical:add_fml", args=[employee.pk]),
        "plan": reverse("medical:plan", args=[employee.pk]),
        # Issue 18: every tab of the employee file, opened directly (404 when not offered).
        **{
            f"tab-{tab}": reverse(f"registry:employee_{tab}", args=[employee.pk])
            for tab in ("absence", "documents", "medical", "prevention", "journal", "history")
        },
    }
    for key, consultation in world.consultations.items():
        urls[f"consultation-{key}"] = reverse("medical:consultation_detail", args=[consultation.pk])
        urls[f"ics-{key}"] = reverse("medical:invitation_ics", args=[consultation.pk])
        if key in ("regular", "preventive"):  # the letter is the same for every kind; rendering costs
            urls[f"pdf-{key}"] = reverse("medical:invitation_pdf", args=[consultation.pk])
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        body = response.content
        text = body.decode("latin-1")
        if response.status_code == 200 and name.startswith("pdf-"):
            text += _pdf_text(body)
        pages[name] = (response.status_code, text)
    pages["employee_detail"] = whole_file(client, employee)  # the overview and every tab offered
    return pages


def _assert_absent(pages: dict[str, tuple[int, str]], forbidden: list[str]) -> None:
    leaks = [
        (name, s) for (name, (_status, text)), s in itertools.product(pages.items(), forbidden) if s in text
    ]
    assert leaks == []


def _b_level(function: str) -> int:
    return LEVELS[MATRIX[function][1]]


WITHOUT_C = sorted(function for function, cells in MATRIX.items() if cells[2] == "-")


@pytest.mark.parametrize("function", WITHOUT_C)
def test_staff_without_category_c_never_see_a_c_canary(world, employer_a, function, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    user = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(user, function)
    f.join_team(user, employer_a)

    pages = _staff_pages(login(user), world)

    forbidden = (
        world.c_and(world.b_preventive)
        if _b_level(function)
        else world.c_and(world.b_released, world.b_regular, world.b_preventive)
    )
    _assert_absent(pages, forbidden)
    _assert_absent(
        {"log": (0, caplog.text)}, world.c_and(world.b_released, world.b_regular, world.b_preventive)
    )
    # Not even the kind: a preventive consultation is "consult" to them (the booking form lists kinds).
    _assert_absent({k: v for k, v in pages.items() if k != "plan"}, ["arbeidsomstandighedenspreekuur"])
    assert pages["file"][0] == pages["letter"][0] == 404
    if _b_level(function):
        # The advice of the regular consultation is there: the canaries could have leaked.
        assert world.b_released[0] in pages["employee_detail"][1]


@pytest.mark.parametrize(
    "function",
    [StaffFunction.BEDRIJFSARTS, StaffFunction.CASEMANAGER_TAAKDELEGATIE, StaffFunction.PRAKTIJKONDERSTEUNER],
)
def test_functions_with_c_but_without_the_treatment_relationship_see_no_c(
    world, employer_a, function
) -> None:
    user = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(user, function)
    f.join_team(user, employer_a)
    if function != StaffFunction.BEDRIJFSARTS:
        other_doctor = f.UserFactory(kind=User.Kind.STAFF)
        f.give_function(other_doctor, StaffFunction.BEDRIJFSARTS)
        DoctorTeamMember.objects.create(doctor=other_doctor, member=user, kind="delegate")

    pages = _staff_pages(login(user), world)

    _assert_absent(pages, world.c_and(world.b_preventive))
    assert pages["file"][0] == 404


def test_the_treating_team_sees_the_canaries(world, employer_a) -> None:
    # The positive control: the same pages do show the canaries to whom they belong.
    delegate = f.UserFactory(kind=User.Kind.STAFF)
    f.give_function(delegate, StaffFunction.CASEMANAGER_TAAKDELEGATIE)
    f.join_team(delegate, employer_a)
    DoctorTeamMember.objects.create(doctor=world.doctor, member=delegate, kind="delegate")

    pages = _staff_pages(login(delegate), world)

    assert "arbeidsomstandighedenspreekuur" in pages["agenda"][1]
    everything = "".join(text for _status, text in pages.values())
    missing = [
        s for s in world.c_and(world.b_released, world.b_regular, world.b_preventive) if s not in everything
    ]
    assert missing == []


def test_employer_users_and_api_clients_see_only_the_released_advice(world, hr_wim, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    employee = world.employee
    _token, plaintext = api_domain.create_api_client(
        hr_wim.employer_memberships.get().employer, name="HR", by=hr_wim
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    pages = _staff_pages(login(hr_wim), world)
    for name, url in {
        "api_list": "/api/v1/employees/",
        "api_detail": f"/api/v1/employees/{employee.pk}/",
        "api_absences": "/api/v1/absences/",
    }.items():
        response = api.get(url)
        pages[name] = (response.status_code, response.content.decode())

    _assert_absent(pages, world.c_and(world.b_regular, world.b_preventive))
    _assert_absent(pages, [*PREVENTIVE_DAYS, "preventie", "Preventie", "arbeidsomstandigheden"])
    _assert_absent(
        {"log": (0, caplog.text)}, world.c_and(world.b_released, world.b_regular, world.b_preventive)
    )
    released = pages["released"][1]
    assert all(s in released for s in world.b_released)
    assert "Niet verschenen op het spreekuur van 1 maart 2027" in released
    assert "4 maart 2027 10:00" in released  # the planned regular appointment
    assert pages["api_list"][0] == 200
    for name in ("file", "letter", "agenda", "consultation-regular", "pdf-regular", "ics-preventive", "mine"):
        assert pages[name][0] == 404, name


def test_mails_hold_no_canary_and_preventive_ones_reach_only_the_employee(world) -> None:
    texts = [m.subject + m.body + "".join(str(a[1]) for a in m.attachments) for m in world.mails]

    assert texts != []
    _assert_absent(
        {"mails": (0, "".join(texts))}, world.c_and(world.b_released, world.b_regular, world.b_preventive)
    )
    for message in world.mails:
        if message.to == ["hr@example.nl"]:
            _assert_absent({"mail": (0, message.body + message.subject)}, list(PREVENTIVE_DAYS))
    employer_mails = [m for m in world.mails if m.to == ["hr@example.nl"]]
    assert len(employer_mails) == 4  # the four regular consultations, none of the two preventive ones


def test_no_table_or_file_holds_a_canary(world, settings) -> None:
    forbidden = world.c_and(world.b_released, world.b_regular, world.b_preventive)
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes | bytearray):
                        text = bytes(value).decode("latin-1")
                    else:
                        text = str(value)
                    found += [(table, s) for s in forbidden if s in text]
    media = Path(settings.MEDIA_ROOT)
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    for path in files:
        found += [(str(path), s) for s in forbidden if s.encode() in path.read_bytes()]

    assert found == []
    # The scan itself works: the employee's name is plain (category D) and found.
    with connection.cursor() as cursor:
        cursor.execute("SELECT surname FROM registry_employee WHERE id = %s", [world.employee.pk])
        assert cursor.fetchone()[0] == world.employee.surname


def test_every_medical_audit_event_about_a_person_can_be_told_to_that_person(world, employer_a) -> None:
    from arbo.audit.events import EVENT_LABELS
    from arbo.audit.models import AuditEvent

    _staff_pages(login(world.doctor), world)
    events = set(
        AuditEvent.objects.filter(event__startswith="medical.", subject_id=world.employee.pk).values_list(
            "event", flat=True
        )
    )

    assert len(events) > 20
    assert events - set(EVENT_LABELS) == set()
