"""Issue 18: the employee file in tabs, over real HTTP.

Each tab is a URL of its own: the whole page when opened, the tabs and the panel when htmx loads
it. A tab the reader may not see is not offered and answers 404. Every tab that lists things costs
the same number of queries for one row as for three.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arbo.absence.models import AbsenceCase, CaseDocument
from arbo.absence.reports import domain as report_domain
from arbo.access import care
from arbo.audit.models import AuditEvent
from arbo.journal.domain import add_journal_entry
from arbo.medical.domain import add_medical_note
from arbo.prevention import domain as prevention
from tests import factories as f

pytestmark = pytest.mark.django_db

TABS = ("absence", "documents", "medical", "prevention", "journal", "history")


def _url(tab: str, employee) -> str:  # type: ignore[no-untyped-def]
    if tab == "overview":
        return reverse("registry:employee_detail", args=[employee.pk])
    return reverse(f"registry:employee_{tab}", args=[employee.pk])


def _status(client, employee) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {tab: client.get(_url(tab, employee)).status_code for tab in ("overview", *TABS)}


@pytest.fixture
def treating(doctor_bram, employee_of_a):  # type: ignore[no-untyped-def]
    care.assign_treating_doctor(employee_of_a, doctor_bram, by=doctor_bram)
    return doctor_bram


def test_the_treating_doctor_gets_every_tab_and_htmx_gets_the_panel_only(
    mfa_client, treating, employee_of_a
) -> None:
    client = mfa_client(treating)

    assert set(_status(client, employee_of_a).values()) == {200}
    page = client.get(_url("medical", employee_of_a)).content.decode()
    panel = client.get(_url("medical", employee_of_a), HTTP_HX_REQUEST="true").content.decode()

    assert "<html" in page
    assert 'id="file-tabs"' in page
    assert "<html" not in panel
    assert panel.lstrip().startswith('<div id="file-tabs">')
    assert 'aria-current="page">Medisch<' in panel
    for tab in TABS:  # every tab is offered as a link that htmx loads into the page
        assert f'hx-get="{_url(tab, employee_of_a)}"' in page


def test_the_secretary_gets_no_absence_medical_or_prevention_tab(
    mfa_client, secretary_sara, employee_of_a
) -> None:
    client = mfa_client(secretary_sara)

    status = _status(client, employee_of_a)

    assert status["overview"] == status["journal"] == status["history"] == 200
    assert status["absence"] == status["documents"] == status["medical"] == status["prevention"] == 404
    page = client.get(_url("overview", employee_of_a)).content.decode()
    assert _url("medical", employee_of_a) not in page
    assert _url("absence", employee_of_a) not in page


def test_the_employers_hr_gets_absence_and_released_advice_but_no_journal_or_prevention(
    mfa_client, hr_wim, employee_of_a
) -> None:
    client = mfa_client(hr_wim)

    status = _status(client, employee_of_a)

    assert status["overview"] == status["absence"] == status["documents"] == status["medical"] == 200
    assert status["journal"] == status["prevention"] == 404
    assert "alleen wat de bedrijfsarts aan jou als werkgever heeft vrijgegeven" in (
        client.get(_url("medical", employee_of_a)).content.decode()
    )


def test_another_employers_hr_gets_no_tab_at_all(mfa_client, outsider_olaf, employee_of_a) -> None:
    assert set(_status(mfa_client(outsider_olaf), employee_of_a).values()) == {404}


def test_the_employee_reads_their_own_file_and_is_told_which_part_is_the_doctors(
    mfa_client, employee_eva, employee_of_a, treating
) -> None:
    add_medical_note(employee_of_a, kind="anamnese", body="Rugklachten sinds het tillen", by=treating)
    client = mfa_client(employee_eva)

    status = _status(client, employee_of_a)
    medical = client.get(_url("medical", employee_of_a)).content.decode()

    assert status["medical"] == status["overview"] == status["journal"] == 200
    assert status["prevention"] == 404
    assert "Dit deel is van de bedrijfsarts, en van jou om te lezen." in medical
    assert "Je werkgever ziet ze nooit" in medical
    assert "Rugklachten sinds het tillen" in medical


def test_the_summary_says_sick_since_and_links_the_open_case(
    mfa_client, casemanager_carla, hr_wim, employee_of_a
) -> None:
    first = timezone.localdate() - dt.timedelta(days=3)
    period = report_domain.report_sick(employee_of_a, by=hr_wim, via="portal", first_sick_day=first)
    client = mfa_client(casemanager_carla)

    page = client.get(_url("journal", employee_of_a)).content.decode()

    assert f'href="{period.case.get_absolute_url()}"' in page
    assert "ziek sinds" in page


def test_a_tab_reads_through_its_gateway_and_is_audited(mfa_client, treating, employee_of_a) -> None:
    add_medical_note(employee_of_a, kind="anamnese", body="Eerste notitie", by=treating)
    client = mfa_client(treating)

    client.get(_url("medical", employee_of_a), HTTP_HX_REQUEST="true")

    events = set(AuditEvent.objects.filter(actor=treating).values_list("event", flat=True))
    assert "registry.employee_viewed" in events
    assert any(event.startswith("medical.") for event in events), events


def test_the_tab_links_are_the_tabs_urls_and_htmx_gets_the_same_panel(
    mfa_client, treating, employee_of_a
) -> None:
    """The tabs' links are built from the file's URL (one ``reverse``, issue 12): each is the tab's
    own URL; the panel htmx loads is the one the whole page shows (htmx skips only the summary)."""
    client = mfa_client(treating)
    for tab in ("overview", *TABS):
        page = client.get(_url(tab, employee_of_a)).content.decode()
        for other in ("overview", *TABS):
            assert f'href="{_url(other, employee_of_a)}" hx-get="{_url(other, employee_of_a)}"' in page
        panel = client.get(_url(tab, employee_of_a), HTTP_HX_REQUEST="true").content.decode().strip()
        assert _without_csrf(panel) in _without_csrf(page)


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# --- Constant queries: one row or three, the same cost --------------------------------------------


def _queries(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    client.get(url, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _closed_case(employee, employer, n: int, by) -> AbsenceCase:  # type: ignore[no-untyped-def]
    day = dt.date(2020, 1, 1) + dt.timedelta(days=90 * n)
    case = AbsenceCase.objects.create(
        employee=employee,
        employer=employer,
        first_sick_day=day,
        status=AbsenceCase.Status.RECOVERED,
        closed_at=timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=10), dt.time(9))),
    )
    CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.PROBLEEMANALYSE,
        created_by=by,
        status=CaseDocument.Status.FINAL,
        finalised_at=case.closed_at,
        finalised_by=by,
    )
    return case


@pytest.mark.parametrize("tab", ["absence", "documents", "history"])
def test_the_absence_tabs_cost_the_same_for_three_cases(
    mfa_client, treating, employer_a, employee_of_a, tab
) -> None:
    client = mfa_client(treating)
    _closed_case(employee_of_a, employer_a, 0, treating)
    one, _ = _queries(client, _url(tab, employee_of_a))
    _closed_case(employee_of_a, employer_a, 1, treating)
    _closed_case(employee_of_a, employer_a, 2, treating)
    three, page = _queries(client, _url(tab, employee_of_a))

    assert three == one
    assert page.count("1 januari 2020") + page.count("31 maart 2020") + page.count("29 juni 2020") >= 3


def test_the_journal_tab_costs_the_same_for_three_entries(
    mfa_client, casemanager_carla, employee_of_a
) -> None:
    client = mfa_client(casemanager_carla)
    add_journal_entry(employee_of_a, category="D", text="Notitie een", by=casemanager_carla)
    one, _ = _queries(client, _url("journal", employee_of_a))
    add_journal_entry(employee_of_a, category="D", text="Notitie twee", by=casemanager_carla)
    add_journal_entry(employee_of_a, category="A", text="Notitie drie", by=casemanager_carla)
    three, page = _queries(client, _url("journal", employee_of_a))

    assert three == one
    assert "Notitie drie" in page


@pytest.mark.parametrize("page_name", ["registry:employee_medical", "medical:file"])
def test_the_medical_tab_costs_the_same_for_three_notes(
    mfa_client, treating, employee_of_a, page_name
) -> None:
    client = mfa_client(treating)
    url = reverse(page_name, args=[employee_of_a.pk])  # the tab, and the medical file's own page
    add_medical_note(employee_of_a, kind="anamnese", body="Notitie een", by=treating)
    one, _ = _queries(client, url)
    add_medical_note(employee_of_a, kind="bevindingen", body="Notitie twee", by=treating)
    add_medical_note(employee_of_a, kind="behandeling", body="Notitie drie", by=treating)
    three, page = _queries(client, url)

    assert three == one
    assert "Notitie drie" in page


@pytest.mark.parametrize("page_name", ["registry:employee_prevention", "prevention:employee"])
def test_the_prevention_tab_costs_the_same_for_three_exams(
    mfa_client, treating, employee_of_a, page_name
) -> None:
    client = mfa_client(treating)
    url = reverse(page_name, args=[employee_of_a.pk])  # the tab, and the prevention page of its own

    def exam(day: int) -> None:
        prevention.record_periodic_exam(
            employee_of_a,
            programme="lawaai",
            exam_date=dt.date(2024, 1, day),
            results="Audiogram normaal",
            conclusion="geen_bijzonderheden",
            by=treating,
        )

    exam(1)
    one, _ = _queries(client, url)
    exam(2)
    exam(3)
    three, page = _queries(client, url)

    assert three == one
    assert "3 januari 2024" in page or "03-01-2024" in page


def test_the_journal_form_returns_to_the_journal_tab(mfa_client, casemanager_carla, employee_of_a) -> None:
    client = mfa_client(casemanager_carla)

    response = client.post(
        reverse("journal:add_entry", args=[employee_of_a.pk]), {"category": "D", "text": "Gebeld"}
    )

    assert response["Location"] == _url("journal", employee_of_a)
    assert "Gebeld" in client.get(response["Location"]).content.decode()


def test_other_readers_of_the_world_see_nothing_of_a_factory_employee(
    mfa_client, casemanager_carla, employer_b
) -> None:
    stranger = f.EmploymentFactory(employer=employer_b).employee
    assert set(_status(mfa_client(casemanager_carla), stranger).values()) == {404}
