"""Roster import: parse, preview every row's problems, commit all-or-nothing, access, audit.

Sample files are generated here (CSV text, XLSX through openpyxl) rather than kept as binaries.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import threading
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from arbo.audit.models import AuditEvent
from arbo.registry import roster
from arbo.registry.models import Department, Employee, Employment, bsn_blind_index
from arbo.registry.models_roster import RosterImport, RosterImportFile, RosterImportRows
from tests import factories as f
from tests.worker import run_tasks

HEADER = (
    "personeelsnummer;bsn;voorletters;voornamen;tussenvoegsel;achternaam;geslacht;geboortedatum;straat;"
    "huisnummer;postcode;plaats;telefoon;mobiel;email;afdeling;functie;in_dienst;uit_dienst;uren_per_week;contract"
)
#: BSNs far from the factories' sequence, so they never collide with the persona cast.
BSN_1, BSN_2, BSN_3 = f.valid_bsn(800_001), f.valid_bsn(800_002), f.valid_bsn(800_003)


def csv_row(**values: str) -> str:
    columns = HEADER.split(";")
    return ";".join(values.get(column, "") for column in columns)


def csv_file(*rows: str, name: str = "personeel.csv", bom: bool = True) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def xlsx_file(
    header: list[str], rows: list[list[object]], name: str = "personeel.xlsx"
) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def upload_url(employer) -> str:  # type: ignore[no-untyped-def]
    return reverse("registry:roster_upload", args=[employer.pk])


def batch_url(name: str, batch: RosterImport) -> str:
    return reverse(f"registry:{name}", args=[batch.employer_id, batch.pk])


def upload(client, employer, file: SimpleUploadedFile, *, check: bool = True) -> RosterImport:  # type: ignore[no-untyped-def]
    """Upload through the form; the request only keeps the file and queues the check, which
    ``check`` runs here as a worker would."""
    response = client.post(upload_url(employer), {"file": file})
    batch = RosterImport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == batch_url("roster_preview", batch)
    assert batch.status == RosterImport.Status.CHECKING
    if check:
        assert run_tasks() == 1
        batch.refresh_from_db()
    return batch


def counts(html: str) -> dict[str, int]:
    return {label: int(value) for label, value in re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html)}


@pytest.fixture
def departments(employer_a) -> dict[str, Department]:  # type: ignore[no-untyped-def]
    return {name: f.DepartmentFactory(employer=employer_a, name=name) for name in ("Productie", "Verkoop")}


@pytest.fixture
def carla_client(mfa_client, casemanager_carla):  # type: ignore[no-untyped-def]
    return mfa_client(casemanager_carla)


# --- Preview with problems ----------------------------------------------------------------------


def test_preview_shows_every_problem_and_commit_changes_nothing(
    carla_client, employer_a, departments
) -> None:
    good = dict(
        personeelsnummer="P100", achternaam="Jansen", geboortedatum="1980-04-01", in_dienst="2020-01-01"
    )
    file = csv_file(
        csv_row(**good, bsn=BSN_1, afdeling="Productie"),
        csv_row(**{**good, "personeelsnummer": "P101"}, bsn="123456789"),
        csv_row(**{**good, "personeelsnummer": "P102", "geboortedatum": "31-02-1980"}),
        csv_row(**{**good, "personeelsnummer": "P103", "achternaam": ""}),
        csv_row(**good),
        csv_row(**{**good, "personeelsnummer": "P104"}, afdeling="Magazijn"),
    )
    employees, employments = Employee.objects.count(), Employment.objects.count()

    batch = upload(carla_client, employer_a, file)
    html = carla_client.get(batch_url("roster_preview", batch)).content.decode()

    assert "Rij 3: BSN ••••••789 voldoet niet aan de elfproef" in html
    assert "123456789" not in html  # a mistyped BSN is most of a real one: masked as in the BSN column
    assert "Rij 4: geboortedatum 31-02-1980 is geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)" in html
    assert "Rij 5: achternaam ontbreekt" in html
    assert "Rij 6: personeelsnummer P100 staat ook in rij 2" in html
    assert "Rij 7: onbekende afdeling Magazijn" in html
    assert html.count('<tr class="row-error">') == 5
    assert counts(html) == {
        "Nieuwe dienstverbanden": 1,
        "Bij te werken": 0,
        "Ongewijzigd": 0,
        "Rijen met een probleem": 5,
    }
    assert "roster-commit-form" not in html

    carla_client.post(batch_url("roster_commit", batch))
    assert run_tasks() == 1
    response = carla_client.get(batch_url("roster_preview", batch))

    assert "Er is niets ingelezen: 5 rijen hebben een probleem." in response.content.decode()
    assert (Employee.objects.count(), Employment.objects.count()) == (employees, employments)
    batch.refresh_from_db()
    assert (batch.status, batch.payload) == (RosterImport.Status.FAILED, "")
    assert not AuditEvent.objects.filter(event="registry.roster_imported").exists()


def test_bsn_known_under_another_personnel_number_is_a_problem(carla_client, employer_a) -> None:
    existing = employer_a.employments.order_by("pk").first()
    file = csv_file(
        csv_row(
            personeelsnummer="NEW1",
            bsn=existing.employee.bsn,
            achternaam="Dubbel",
            geboortedatum="1985-05-17",
            in_dienst="2024-01-01",
        )
    )

    batch = upload(carla_client, employer_a, file)
    html = carla_client.get(batch_url("roster_preview", batch)).content.decode()

    expected = (
        f"Rij 2: BSN ••••••{existing.employee.bsn[-3:]} hoort al bij personeelsnummer "
        f"{existing.personnel_number} van deze werkgever"
    )
    assert expected in html
    assert counts(html)["Rijen met een probleem"] == 1


def test_known_bsn_with_another_surname_or_birth_date_is_a_problem(
    carla_client, employer_a, employee_of_b
) -> None:
    file = csv_file(
        csv_row(personeelsnummer="N1", bsn=employee_of_b.bsn, achternaam="Anders",
                geboortedatum=employee_of_b.birth_date.isoformat(), in_dienst="2024-01-01"),
        csv_row(personeelsnummer="N2", bsn=BSN_1, achternaam="Nieuw", geboortedatum="1990-01-01",
                in_dienst="2024-01-01"),
    )  # fmt: skip

    batch = upload(carla_client, employer_a, file)
    html = carla_client.get(batch_url("roster_preview", batch)).content.decode()

    assert "Rij 2: Dit BSN hoort bij een persoon met een andere achternaam of geboortedatum." in html
    assert counts(html)["Rijen met een probleem"] == 1
    assert not employee_of_b.employments.filter(employer=employer_a).exists()


# --- Good files ----------------------------------------------------------------------------------


def test_good_csv_previews_then_commits_in_one_go(
    carla_client, employer_a, departments, casemanager_carla
) -> None:
    file = csv_file(
        csv_row(
            personeelsnummer="P100",
            bsn=BSN_1,
            voorletters="A.",
            voornamen="Anna",
            tussenvoegsel="de",
            achternaam="Vries",
            geslacht="V",
            geboortedatum="01-04-1980",
            straat="Kerkstraat",
            huisnummer="1a",
            postcode="1234ab",
            plaats="Utrecht",
            email="anna@example.nl",
            afdeling="productie",
            functie="Bakker",
            in_dienst="2020-01-01",
            uren_per_week="32,5",
            contract="tijdelijk",
        ),
        csv_row(
            personeelsnummer="P101",
            bsn=BSN_2,
            achternaam="Bakker",
            geboortedatum="1990-12-31",
            in_dienst="2021-06-01",
            uit_dienst="2025-06-01",
        ),
        csv_row(
            personeelsnummer="P102", achternaam="Smit", geboortedatum="1975-01-15", in_dienst="2019-03-01"
        ),
    )
    employees = Employee.objects.count()

    batch = upload(carla_client, employer_a, file)
    html = carla_client.get(batch_url("roster_preview", batch)).content.decode()

    assert counts(html) == {
        "Nieuwe dienstverbanden": 3,
        "Bij te werken": 0,
        "Ongewijzigd": 0,
        "Rijen met een probleem": 0,
    }
    assert 'hx-post="' + batch_url("roster_commit", batch) + '"' in html
    assert BSN_1 not in html  # the preview masks BSNs

    response = carla_client.post(batch_url("roster_commit", batch), HTTP_HX_REQUEST="true")

    # The request only queues the commit: nothing is written yet, and the answer is a progress bar.
    assert 'hx-trigger="every 500ms"' in response.content.decode()
    assert Employee.objects.count() == employees
    assert run_tasks() == 1
    response = carla_client.get(batch_url("roster_progress", batch), HTTP_HX_REQUEST="true")
    assert "Ingelezen: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd." in response.content.decode()
    assert Employee.objects.count() == employees + 3
    anna = Employment.objects.select_related("employee").get(employer=employer_a, personnel_number="P100")
    assert (anna.employee.full_name, anna.employee.gender, anna.employee.birth_date) == (
        "Anna de Vries",
        "v",
        dt.date(1980, 4, 1),
    )
    assert (anna.employee.bsn, anna.employee.bsn_index) == (BSN_1, bsn_blind_index(BSN_1))
    assert (anna.employee.postcode, anna.employee.house_number) == ("1234 AB", "1a")
    assert (anna.department, anna.job_title, anna.hours_per_week, anna.contract_type) == (
        departments["Productie"],
        "Bakker",
        Decimal("32.5"),
        "tijdelijk",
    )
    smit = Employment.objects.get(employer=employer_a, personnel_number="P102")
    assert (smit.employee.bsn, smit.employee.bsn_index, smit.ends_on) == ("", "", None)
    assert Employment.objects.get(employer=employer_a, personnel_number="P101").ends_on == dt.date(2025, 6, 1)

    batch.refresh_from_db()
    assert (batch.status, batch.payload, batch.created_count, batch.updated_count) == ("committed", "", 3, 0)
    created = AuditEvent.objects.filter(event="registry.roster_imported", action=AuditEvent.Action.CREATE)
    new_ids = set(
        Employment.objects.filter(
            employer=employer_a, personnel_number__in=["P100", "P101", "P102"]
        ).values_list("employee_id", flat=True)
    )
    assert set(created.values_list("subject_id", flat=True)) == new_ids
    assert created.count() == 3
    assert set(created.values_list("actor_id", "category")) == {(casemanager_carla.pk, "A")}
    summary = AuditEvent.objects.get(event="registry.roster_imported", action=AuditEvent.Action.EXECUTE)
    assert summary.data == {
        "employer": employer_a.pk,
        "import": batch.pk,
        "rows": 3,
        "created": 3,
        "attached": 0,
        "updated": 0,
        "unchanged": 0,
    }
    assert AuditEvent.objects.filter(event="registry.roster_uploaded", object_id=str(batch.pk)).count() == 1
    assert caches["progress"].get(f"roster-import-progress:{batch.pk}") == {"state": "finished"}


def test_good_xlsx_with_english_headers_and_date_cells(mfa_client, hr_wim, employer_a) -> None:
    file = xlsx_file(
        ["Personnel number", "BSN", "Surname", "Birth date", "Start date", "Hours per week", "Remarks"],
        [
            [1001, int(BSN_1), "Visser", dt.datetime(1970, 3, 2), dt.date(2015, 9, 1), 36.0, "x"],
            ["1002", BSN_2, "Mulder", "1988-07-20", "01-02-2022", 24.5, ""],
        ],
    )
    client = mfa_client(hr_wim)
    employees = Employee.objects.count()

    batch = upload(client, employer_a, file)
    html = client.get(batch_url("roster_preview", batch)).content.decode()
    assert counts(html)["Nieuwe dienstverbanden"] == 2
    assert "Genegeerde kolommen: Remarks" in html

    client.post(batch_url("roster_commit", batch))
    run_tasks()
    response = client.get(batch_url("roster_preview", batch))

    assert "Ingelezen: 2 nieuw, 0 bijgewerkt, 0 ongewijzigd." in response.content.decode()
    assert Employee.objects.count() == employees + 2
    visser = Employment.objects.get(employer=employer_a, personnel_number="1001")
    assert (visser.employee.surname, visser.employee.bsn, visser.employee.birth_date) == (
        "Visser",
        BSN_1,
        dt.date(1970, 3, 2),
    )
    assert (visser.starts_on, visser.hours_per_week) == (dt.date(2015, 9, 1), Decimal("36.0"))
    mulder = Employment.objects.get(employer=employer_a, personnel_number="1002")
    assert (mulder.starts_on, mulder.hours_per_week) == (dt.date(2022, 2, 1), Decimal("24.5"))


# --- Re-import: update by personnel number, attach by BSN ---------------------------------------


def test_reimport_updates_and_attaches_known_person(carla_client, employer_a, employee_of_b) -> None:
    changed, same = employer_a.employments.select_related("employee").order_by("pk")[:2]
    file = csv_file(
        csv_row(
            personeelsnummer=changed.personnel_number,
            achternaam="Nieuwenhuis",
            geboortedatum=changed.employee.birth_date.isoformat(),
            in_dienst="2020-01-01",
            functie="Teamleider",
        ),
        csv_row(
            personeelsnummer=same.personnel_number,
            achternaam=same.employee.surname,
            geboortedatum=same.employee.birth_date.isoformat(),
            in_dienst=same.starts_on.isoformat(),
        ),
        csv_row(
            personeelsnummer="N900",
            bsn=employee_of_b.bsn,
            voornamen="Anders",
            achternaam=employee_of_b.surname.upper(),
            geboortedatum=employee_of_b.birth_date.isoformat(),
            in_dienst="2024-02-01",
            email="nieuw@example.nl",
        ),
    )
    employees, employments = Employee.objects.count(), Employment.objects.count()

    batch = upload(carla_client, employer_a, file)
    html = carla_client.get(batch_url("roster_preview", batch)).content.decode()
    assert counts(html) == {
        "Nieuwe dienstverbanden": 1,
        "Bij te werken": 1,
        "Ongewijzigd": 1,
        "Rijen met een probleem": 0,
    }

    carla_client.post(batch_url("roster_commit", batch))
    run_tasks()

    assert Employee.objects.count() == employees  # never a duplicate person
    assert Employment.objects.count() == employments + 1
    changed.refresh_from_db()
    changed.employee.refresh_from_db()
    assert (changed.employee.surname, changed.job_title) == ("Nieuwenhuis", "Teamleider")
    attached = Employment.objects.get(employer=employer_a, personnel_number="N900")
    assert (attached.employee_id, attached.starts_on) == (employee_of_b.pk, dt.date(2024, 2, 1))
    # Another employer's import fills in blanks only: the recorded first names and surname stay.
    person = Employee.objects.get(pk=employee_of_b.pk)
    assert (person.first_names, person.surname, person.email) == (
        employee_of_b.first_names,
        employee_of_b.surname,
        "nieuw@example.nl",
    )
    records = AuditEvent.objects.filter(event="registry.roster_imported")
    assert sorted(records.values_list("action", "subject_id")) == sorted(
        [
            (AuditEvent.Action.CREATE, employee_of_b.pk),
            (AuditEvent.Action.UPDATE, changed.employee_id),
            (AuditEvent.Action.EXECUTE, None),
        ]
    )
    assert records.get(action=AuditEvent.Action.EXECUTE).data["attached"] == 1
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)


def test_reimporting_the_same_file_changes_nothing(carla_client, employer_a) -> None:
    rows = [
        csv_row(
            personeelsnummer="P1",
            bsn=BSN_3,
            achternaam="Kok",
            geboortedatum="1981-01-01",
            in_dienst="2020-01-01",
            uren_per_week="36",
        )
    ]
    carla_client.post(batch_url("roster_commit", upload(carla_client, employer_a, csv_file(*rows))))
    run_tasks()
    person = Employee.objects.get(bsn_index=bsn_blind_index(BSN_3))

    second = upload(carla_client, employer_a, csv_file(*rows))
    html = carla_client.get(batch_url("roster_preview", second)).content.decode()

    assert counts(html)["Ongewijzigd"] == 1
    carla_client.post(batch_url("roster_commit", second))
    run_tasks()
    assert Employee.objects.filter(bsn_index=bsn_blind_index(BSN_3)).get().updated_at == person.updated_at
    assert AuditEvent.objects.filter(event="registry.roster_imported", action="update").count() == 0


# --- Upload form ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("lijst.txt", b"personeelsnummer\n1\n"),
            "Alleen CSV- en XLSX-bestanden kunnen worden ingelezen.",
        ),
        (SimpleUploadedFile("lijst.csv", b""), "Het gekozen bestand is leeg."),
        (
            SimpleUploadedFile("lijst.xlsx", b"this is no zip file"),
            "Het XLSX-bestand is onleesbaar of beschadigd.",
        ),
        (
            SimpleUploadedFile("lijst.csv", "achternaam;naam\nÿ".encode("latin-1")),
            "Het bestand is geen UTF-8-tekst.",
        ),
        (
            SimpleUploadedFile("lijst.csv", b"personeelsnummer,achternaam\nP1,Jansen\n"),
            "Verplichte kolommen ontbreken: geboortedatum, in_dienst.",
        ),
    ],
    ids=["extension", "empty", "not-xlsx", "not-utf8", "missing-columns"],
)
def test_upload_form_says_what_is_wrong(carla_client, employer_a, file, message) -> None:
    """What the file's first bytes (a CSV's header, an XLSX's zip directory) show is refused in the
    upload request itself; nothing is kept."""
    response = carla_client.post(upload_url(employer_a), {"file": file})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert RosterImport.objects.count() == 0
    assert RosterImportFile.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("lijst.csv", f"{HEADER}\n;;;\n".encode()),
            "Het bestand bevat geen rijen met medewerkers.",
        ),
        (
            # Past the first 8 KB, which the request reads for the header.
            SimpleUploadedFile(
                "lijst.csv", f"{HEADER}\n".encode() + b"P1;;;;;Kok\n" * 1000 + "P2;ÿ\n".encode("latin-1")
            ),
            "Het bestand is geen UTF-8-tekst.",
        ),
        (
            xlsx_file(["Naam", "Plaats"], [["Kok", "Utrecht"]]),
            "Verplichte kolommen ontbreken: personeelsnummer, achternaam, geboortedatum, in_dienst.",
        ),
    ],
    ids=["no-rows", "not-utf8-later", "xlsx-missing-columns"],
)
def test_a_file_the_worker_cannot_read_is_refused_on_the_page(
    carla_client, employer_a, file, message
) -> None:
    """What only reading the whole file (or opening the workbook) shows is found by the worker's
    check: the page says why, and the file and any rows read are gone."""
    batch = upload(carla_client, employer_a, file)

    html = carla_client.get(batch_url("roster_preview", batch)).content.decode()

    assert f"Het bestand is niet ingelezen. {message}" in html
    assert "hx-trigger" not in html
    assert "roster-commit-form" not in html
    assert batch.status == RosterImport.Status.FAILED
    assert not RosterImportFile.objects.filter(batch=batch).exists()
    assert not RosterImportRows.objects.filter(batch=batch).exists()
    assert carla_client.post(batch_url("roster_commit", batch)).status_code == 302
    assert run_tasks() == 0  # nothing queued: the batch is not previewed


# --- Access -------------------------------------------------------------------------------------


def test_outsider_gets_404_on_every_roster_page(mfa_client, carla_client, employer_a, outsider_olaf) -> None:
    batch = upload(
        carla_client,
        employer_a,
        csv_file(
            csv_row(
                personeelsnummer="P1", achternaam="Kok", geboortedatum="1981-01-01", in_dienst="2020-01-01"
            )
        ),
    )
    olaf = mfa_client(outsider_olaf)
    employments = Employment.objects.count()

    statuses = [
        olaf.get(upload_url(employer_a)).status_code,
        olaf.post(upload_url(employer_a), {"file": csv_file()}).status_code,
        olaf.get(batch_url("roster_preview", batch)).status_code,
        olaf.post(batch_url("roster_commit", batch)).status_code,
        olaf.get(batch_url("roster_progress", batch)).status_code,
    ]

    assert statuses == [404, 404, 404, 404, 404]
    batch.refresh_from_db()
    assert (batch.status, Employment.objects.count()) == (RosterImport.Status.PREVIEWED, employments)


def test_a_batch_is_shown_only_to_its_uploader(mfa_client, carla_client, employer_a, hr_wim) -> None:
    batch = upload(
        carla_client,
        employer_a,
        csv_file(
            csv_row(
                personeelsnummer="P1", achternaam="Kok", geboortedatum="1981-01-01", in_dienst="2020-01-01"
            )
        ),
    )
    wim = mfa_client(hr_wim)

    assert wim.get(upload_url(employer_a)).status_code == 200
    assert wim.get(batch_url("roster_preview", batch)).status_code == 404


def test_manager_limited_to_departments_may_not_import(mfa_client, employer_a, departments) -> None:
    manager = f.make_employer_user(employer_a, username="mira")
    membership = manager.employer_memberships.get()
    membership.role = "manager"
    membership.save()
    membership.departments.add(departments["Verkoop"])

    assert mfa_client(manager).get(upload_url(employer_a)).status_code == 404


# --- Progress -------------------------------------------------------------------------------------


def test_progress_polls_while_running_and_stops_when_finished(carla_client, employer_a) -> None:
    batch = upload(
        carla_client,
        employer_a,
        csv_file(
            csv_row(
                personeelsnummer="P1", achternaam="Kok", geboortedatum="1981-01-01", in_dienst="2020-01-01"
            )
        ),
    )
    url = batch_url("roster_progress", batch)
    queued = carla_client.post(batch_url("roster_commit", batch), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 500ms"' in queued
    assert "Rijen worden gecontroleerd…" in queued
    # The preview page of a queued batch shows the polling bar too (after a reload, say).
    assert 'hx-trigger="every 500ms"' in carla_client.get(batch_url("roster_preview", batch)).content.decode()
    progress = caches["progress"]
    progress.set(f"roster-import-progress:{batch.pk}", {"state": "running", "done": 1000, "total": 3000})

    running = carla_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 500ms"' in running
    assert 'max="100" value="33"' in running
    assert "33% verwerkt" in running

    run_tasks()
    finished = carla_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished
    assert "Ingelezen: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd." in finished


def test_commit_reports_progress_per_batch(employer_a, casemanager_carla, monkeypatch) -> None:
    monkeypatch.setattr(roster.committing, "BATCH_SIZE", 2)
    parsed = roster.parse_csv(
        "\n".join(
            [HEADER]
            + [
                csv_row(
                    personeelsnummer=f"Q{i}",
                    achternaam="Kok",
                    geboortedatum="1981-01-01",
                    in_dienst="2020-01-01",
                )
                for i in range(5)
            ]
        ).encode()
    )
    calls: list[tuple[int, int]] = []

    result = roster.commit(
        employer_a, parsed, by=casemanager_carla, progress=lambda d, t: calls.append((d, t))
    )

    # Rows checked, written and audited 2 at a time.
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert (result.created, result.attached, result.updated, result.unchanged) == (5, 0, 0, 0)
    assert Employment.objects.filter(employer=employer_a, personnel_number__startswith="Q").count() == 5


# --- Parsing details ------------------------------------------------------------------------------


def test_csv_with_commas_and_english_headers_parses() -> None:
    parsed = roster.parse_csv(
        b"Personnel_Number,Surname,Date of birth,Start date,Unknown\nP1,Kok,1981-01-01,"
        b'2020-01-01,zz\n,,,,\nP2,"de Wit, jr.",02-03-1990,2021-01-01,\n'
    )

    assert parsed.columns == ["personeelsnummer", "achternaam", "geboortedatum", "in_dienst"]
    assert parsed.rows == [
        (2, ["P1", "Kok", "1981-01-01", "2020-01-01"]),
        (4, ["P2", "de Wit, jr.", "02-03-1990", "2021-01-01"]),
    ]
    assert parsed.ignored == ["Unknown"]
    assert roster.load_payload(roster.dump_payload(parsed)) == parsed


# --- In a browser: the htmx commit and its progress polling ----------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_and_commit_in_the_browser_poll_progress_and_show_the_preview_and_the_result(
    live_server, settings, mfa_client, casemanager_carla, employer_a, tmp_path
) -> None:
    from pathlib import Path

    if connection.vendor != "postgresql":
        # The live server shares SQLite's one connection between threads: a progress request
        # would run inside the commit's transaction.
        pytest.skip("needs PostgreSQL: progress is polled while the commit's transaction is open")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("ARBO_REQUIRE_BROWSER") == "1":
            pytest.fail("ARBO_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    # DEBUG is off in tests, so cookies are Secure; the live server speaks plain http.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    session = mfa_client(casemanager_carla).cookies[settings.SESSION_COOKIE_NAME].value
    sample = tmp_path / "personeel.csv"
    person = {"achternaam": "Kok", "geboortedatum": "1981-01-01", "in_dienst": "2020-01-01"}
    sample.write_bytes(csv_file(*[csv_row(personeelsnummer=f"W{i}", **person) for i in range(3)]).read())
    polled: list[str] = []
    # A worker beside the live server, as `manage.py worker` beside gunicorn.
    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set():
                run_tasks()
                stop.wait(0.2)
        finally:
            connection.close()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()

    # No database work inside the Playwright block: its event loop makes Django refuse sync queries.
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(locale="nl-NL")
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.on(
                "request", lambda request: polled.append(request.url) if "/progress/" in request.url else None
            )
            page.goto(live_server.url + upload_url(employer_a))
            page.get_by_label("Personeelsbestand (CSV of XLSX)").set_input_files(str(sample))
            page.get_by_role("button", name="Voorbeeld bekijken").click()
            # The upload only keeps the file: the worker checks it while the page polls, and the
            # preview replaces the bar by itself.
            expect(page.get_by_role("heading", name="Wat er gebeurt bij importeren")).to_be_visible()
            expect(page.locator("#roster-progress")).to_have_count(0)
            page.get_by_role("button", name="3 rijen importeren").click()
            expect(page.get_by_text("Ingelezen: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd.")).to_be_visible()
            expect(page.locator("#roster-progress")).to_have_count(0)
        finally:
            browser.close()
            stop.set()
            worker.join()

    assert Employment.objects.filter(employer=employer_a, personnel_number__startswith="W").count() == 3
    batch = RosterImport.objects.get()
    assert (batch.status, batch.created_count) == (RosterImport.Status.COMMITTED, 3)
    assert len(polled) >= 1
    assert set(polled) == {live_server.url + batch_url("roster_progress", batch)}


def test_queueing_and_polling_do_not_read_the_uploaded_rows(carla_client, employer_a, departments) -> None:  # type: ignore[no-untyped-def]
    """The encrypted rows of a 100,000-row upload take seconds to decrypt (docs/benchmarks.md):
    the commit request and the progress polls must answer without them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    batch = upload(
        carla_client,
        employer_a,
        csv_file(
            csv_row(
                personeelsnummer="P1", achternaam="Smit", geboortedatum="1975-01-15", in_dienst="2019-03-01"
            )
        ),
    )
    with CaptureQueriesContext(connection) as queries:
        queued = carla_client.post(batch_url("roster_commit", batch), HTTP_HX_REQUEST="true")
        polled = carla_client.get(batch_url("roster_progress", batch), HTTP_HX_REQUEST="true")
    assert (queued.status_code, polled.status_code) == (200, 200)
    assert 'hx-trigger="every 500ms"' in polled.content.decode()
    reads = [q["sql"] for q in queries.captured_queries if "registry_rosterimport" in q["sql"]]
    assert reads
    assert not [sql for sql in reads if '"payload"' in sql and sql.lstrip().upper().startswith("SELECT")]
    assert run_tasks() == 1  # the worker still reads them
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.COMMITTED


def test_the_worker_writes_the_import_records_with_the_uploaders_address_and_browser(
    carla_client, employer_a
) -> None:
    """Issue 10: the commit runs in a worker, without a request; the uploader's access point goes
    along with the task and is bound as the worker's request context."""
    file = csv_file(
        csv_row(
            personeelsnummer="P900", achternaam="Visser", geboortedatum="1980-04-01", in_dienst="2020-01-01"
        )
    )
    batch = upload(carla_client, employer_a, file)

    carla_client.post(
        batch_url("roster_commit", batch), REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Safari/17"
    )
    assert run_tasks() == 1

    records = AuditEvent.objects.filter(event="registry.roster_imported")
    assert records.count() == 2  # the person and the summary
    assert set(records.values_list("ip_address", "user_agent")) == {("192.0.2.44", "Safari/17")}
