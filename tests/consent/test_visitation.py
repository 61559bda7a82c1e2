"""Quality visitation (issue 16, item 4): the privacy officer opens it, a visiting doctor reads a
sample of one doctor's files, read only, until the end; objectors are never in the sample; every
read is audited with basis "visitation" and shows in the employee's "who saw my file"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from arbo.access import care
from arbo.access.matrix import Action, Category
from arbo.access.policy import access_basis, can, employees_visible_to
from arbo.audit.models import AuditEvent
from arbo.consent import visitation
from arbo.consent.models import Visitation, VisitationObjection
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction
from arbo.lib.errors import DomainError
from arbo.medical.models import MedicalNote
from arbo.registry.models import Employee
from tests import factories as f
from tests.medical.conftest import dangerously_create_consultation, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def fg(db) -> User:  # type: ignore[no-untyped-def]
    user = f.UserFactory(username="fg", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.PRIVACY_OFFICER)
    return user


@pytest.fixture
def visitor(db) -> User:  # type: ignore[no-untyped-def]
    """A doctor on no team of the visited doctor's employers: reaches no one but by visitation."""
    user = f.UserFactory(username="vincent", kind=User.Kind.STAFF)
    f.give_function(user, StaffFunction.BEDRIJFSARTS)
    return user


@pytest.fixture
def files(doctor_bram, employer_a, employer_b) -> list[Employee]:  # type: ignore[no-untyped-def]
    """Every employee of A and B, treated by Bram, each with a consultation in the file."""
    people = list(Employee.objects.filter(employments__employer__in=[employer_a, employer_b]).distinct())
    for employee in people:
        care.assign_treating_doctor(employee, doctor_bram, by=doctor_bram)
        dangerously_create_consultation(employee, doctor_bram, reason=f"REDEN-{employee.pk}")
    return people


def _open(fg: User, visitor: User, bram: User, *, size: int = 50, hours: int = 24) -> Visitation:
    now = timezone.now()
    return visitation.open_visitation(
        fg,
        visiting_doctor=visitor,
        visited_doctor=bram,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(hours=hours),
        sample_size=size,
    )


def test_an_objector_is_never_in_the_sample(fg, visitor, doctor_bram, files, employee_eva) -> None:  # type: ignore[no-untyped-def]
    eva = Employee.objects.get(user=employee_eva)
    visitation.object_to_visitation(eva, by=employee_eva)
    for _ in range(5):
        opened = _open(fg, visitor, doctor_bram, size=50)
        sample = set(opened.sample.values_list("pk", flat=True))
        assert eva.pk not in sample
        assert sample == {e.pk for e in files} - {eva.pk}
    # Small samples, drawn at random, never hit her either.
    for _ in range(10):
        assert eva.pk not in set(_open(fg, visitor, doctor_bram, size=1).sample.values_list("pk", flat=True))


def test_an_objection_after_the_draw_closes_the_file_at_once(
    fg, visitor, doctor_bram, files, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    eva = Employee.objects.get(user=employee_eva)
    opened = _open(fg, visitor, doctor_bram)
    assert eva in opened.sample.all()
    client = login(visitor)
    assert client.get(f"/visitation/{opened.pk}/files/{eva.pk}/").status_code == 200

    response = login(employee_eva).post("/consent/mine/visitation/", {"choice": "object"}, follow=True)
    assert "Je bezwaar is vastgelegd" in response.content.decode()
    assert eva not in opened.sample.all()
    assert not can(visitor, Action.READ, Category.C, eva)
    assert client.get(f"/visitation/{opened.pk}/files/{eva.pk}/").status_code == 404
    assert eva.full_name not in client.get(f"/visitation/{opened.pk}/").content.decode()

    # She withdraws the objection: the next visitation may draw her again.
    response = login(employee_eva).post("/consent/mine/visitation/", {"choice": "withdraw"}, follow=True)
    assert "Je bezwaar is ingetrokken" in response.content.decode()
    assert not VisitationObjection.objects.filter(employee=eva).exists()
    assert eva in _open(fg, visitor, doctor_bram).sample.all()


def test_the_portal_refuses_a_second_objection_and_a_withdrawal_without_one(employee_eva) -> None:  # type: ignore[no-untyped-def]
    client = login(employee_eva)
    response = client.post("/consent/mine/visitation/", {"choice": "withdraw"}, follow=True)
    assert "Je hebt geen bezwaar gemaakt tegen visitatie." in response.content.decode()
    client.post("/consent/mine/visitation/", {"choice": "object"})
    response = client.post("/consent/mine/visitation/", {"choice": "object"}, follow=True)
    assert "Je hebt al bezwaar gemaakt tegen visitatie." in response.content.decode()
    assert VisitationObjection.objects.count() == 1


def test_the_access_ends_by_itself_at_the_end(fg, visitor, doctor_bram, files) -> None:  # type: ignore[no-untyped-def]
    opened = _open(fg, visitor, doctor_bram, hours=2)
    someone = opened.sample.first()
    url = f"/visitation/{opened.pk}/files/{someone.pk}/"
    with time_machine.travel(opened.ends_at - dt.timedelta(seconds=1), tick=False):
        assert can(visitor, Action.READ, Category.C, someone)
        assert login(visitor).get(url).status_code == 200
    with time_machine.travel(opened.ends_at, tick=False):
        client = login(visitor)  # a fresh session: the clock jumped past the idle timeout
        assert not can(visitor, Action.READ, Category.C, someone)
        assert not can(visitor, Action.READ, Category.D, someone)
        assert client.get(url).status_code == 404
        page = client.get(f"/visitation/{opened.pk}/").content.decode()
        assert someone.full_name not in page
        assert "afgelopen" in page
    # Nothing revoked it: the row is as it was opened.
    opened.refresh_from_db()
    assert opened.sample.count() == len(files)


def test_the_privacy_officer_can_end_it_early(fg, visitor, doctor_bram, files) -> None:  # type: ignore[no-untyped-def]
    opened = _open(fg, visitor, doctor_bram)
    someone = opened.sample.first()
    assert login(fg).post(f"/visitation/{opened.pk}/end/").status_code == 302
    assert not can(visitor, Action.READ, Category.C, someone)
    assert login(visitor).get(f"/visitation/{opened.pk}/files/{someone.pk}/").status_code == 404


def test_every_read_is_audited_with_basis_visitation_and_shown_to_the_employee(
    fg, visitor, doctor_bram, files, employee_eva
) -> None:  # type: ignore[no-untyped-def]
    eva = Employee.objects.get(user=employee_eva)
    opened = _open(fg, visitor, doctor_bram)
    client = login(visitor)
    page = client.get(f"/visitation/{opened.pk}/files/{eva.pk}/").content.decode()
    assert f"REDEN-{eva.pk}" in page
    read = AuditEvent.objects.get(actor=visitor, event="medical.file_viewed", subject_id=eva.pk)
    assert read.basis == AuditEvent.Basis.VISITATION
    assert access_basis(visitor, eva) == AuditEvent.Basis.VISITATION
    assert set(
        AuditEvent.objects.filter(actor=visitor, subject_id=eva.pk).values_list("basis", flat=True)
    ) == {AuditEvent.Basis.VISITATION}
    sampled = AuditEvent.objects.get(actor=fg, event="consent.visitation_sampled", subject_id=eva.pk)
    assert sampled.basis == AuditEvent.Basis.VISITATION

    who = login(employee_eva).get("/portal/who-saw-my-file/").content.decode()
    assert "visitatie" in who
    assert "vincent" in who or str(visitor) in who


def test_the_visiting_doctor_cannot_write(fg, visitor, doctor_bram, files) -> None:  # type: ignore[no-untyped-def]
    opened = _open(fg, visitor, doctor_bram)
    someone = opened.sample.first()
    for category in Category:
        assert can(visitor, Action.READ, category, someone)
        assert not can(visitor, Action.CHANGE, category, someone)
    assert someone not in employees_visible_to(visitor)
    client = login(visitor)
    before = MedicalNote.objects.count()
    response = client.post(
        f"/medical/employees/{someone.pk}/notes/", {"kind": MedicalNote.Kind.DIAGNOSIS, "body": "visitatie"}
    )
    assert response.status_code == 404
    assert client.get(f"/registry/employees/{someone.pk}/edit/").status_code == 404
    assert MedicalNote.objects.count() == before


def test_outside_the_sample_is_404(fg, visitor, doctor_bram, files, employee_of_b) -> None:  # type: ignore[no-untyped-def]
    opened = _open(fg, visitor, doctor_bram, size=1)
    inside = opened.sample.get()
    outside = next(e for e in files if e.pk != inside.pk)
    client = login(visitor)
    assert client.get(f"/visitation/{opened.pk}/files/{inside.pk}/").status_code == 200
    assert client.get(f"/visitation/{opened.pk}/files/{outside.pk}/").status_code == 404
    assert not can(visitor, Action.READ, Category.C, outside)
    # Another doctor, even the visited one, does not see this visitation's pages.
    bram = login(doctor_bram)
    assert bram.get(f"/visitation/{opened.pk}/").status_code == 404
    assert bram.get(f"/visitation/{opened.pk}/files/{inside.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"visiting_doctor": "bram"}, "Een arts kan zijn eigen dossiers niet visiteren."),
        ({"ends_at": -1}, "Het einde moet na het begin liggen."),
        ({"ends_at": 24 * 31}, "Een visitatie duurt hoogstens 30 dagen."),
        ({"sample_size": 0}, "Kies een steekproef van 1 tot 50 dossiers."),
        ({"visiting_doctor": "carla"}, "Kies een arts uit de lijst."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    change, message, fg, visitor, doctor_bram, casemanager_carla, files
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    users = {"bram": doctor_bram, "vincent": visitor, "carla": casemanager_carla}
    data = {
        "visiting_doctor": visitor.pk,
        "visited_doctor": doctor_bram.pk,
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "sample_size": 5,
    }
    for key, value in change.items():
        if key == "ends_at":
            data[key] = (now + dt.timedelta(hours=value)).strftime("%Y-%m-%dT%H:%M")
        elif key.endswith("doctor"):
            data[key] = users[value].pk
        else:
            data[key] = value
    before = AuditEvent.objects.count()
    response = login(fg).post("/visitation/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Visitation.objects.count() == 0
    assert AuditEvent.objects.filter(event__startswith="consent.visitation").count() == 0
    assert AuditEvent.objects.count() >= before


def test_a_doctor_without_files_to_draw_is_refused(fg, visitor, doctor_bram) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="geen dossiers"):
        _open(fg, visitor, doctor_bram)
    assert Visitation.objects.count() == 0


def test_only_the_privacy_officer_opens_one(visitor, doctor_bram, files, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    from django.http import Http404

    with pytest.raises(Http404):
        _open(doctor_bram, visitor, doctor_bram)
    assert login(casemanager_carla).get("/visitation/").status_code == 404
    assert login(doctor_bram).post("/visitation/", {"visiting_doctor": visitor.pk}).status_code == 404
    assert Visitation.objects.count() == 0


def test_the_visitation_list_has_constant_queries(
    fg, visitor, doctor_bram, files, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(fg)
    _open(fg, visitor, doctor_bram)
    client.get("/visitation/")
    with CaptureQueriesContext(connection) as one:
        client.get("/visitation/")
    _open(fg, visitor, doctor_bram)
    _open(fg, visitor, doctor_bram)
    with CaptureQueriesContext(connection) as three:
        client.get("/visitation/")
    assert len(one) == len(three)


def test_the_sample_list_has_constant_queries(fg, visitor, doctor_bram, files) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(visitor)
    counts = []
    for size in (1, 3):
        opened = _open(fg, visitor, doctor_bram, size=size)
        client.get(f"/visitation/{opened.pk}/")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/visitation/{opened.pk}/")
        assert page.content.decode().count(f"/visitation/{opened.pk}/files/") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_visiting_doctor_gets_no_employee_file(fg, visitor, doctor_bram, files) -> None:  # type: ignore[no-untyped-def]
    """The visitation opens its own pages only: the employee file (``access.queries.employee_for``,
    which lets the policy decide from the row fetched by key) stays a 404 for a visitor who does not
    reach the employee, on every tab, and records no read."""
    opened = _open(fg, visitor, doctor_bram)
    someone = opened.sample.first()
    client = login(visitor)
    before = AuditEvent.objects.filter(event="registry.employee_viewed").count()
    for tab in ("", "absence/", "documents/", "medical/", "prevention/", "journal/", "history/"):
        assert client.get(f"/registry/employees/{someone.pk}/{tab}").status_code == 404
    assert AuditEvent.objects.filter(event="registry.employee_viewed").count() == before
