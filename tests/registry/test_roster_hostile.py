"""The roster import's hostile cells (issue 19).

A NUL byte in a cell used to pass the preview and then fail PostgreSQL's COPY at commit (500, the
batch stuck in "previewed"); control and zero-width characters were stored, so ``CNT0106`` and
``CNT0106`` + U+200B were two personnel numbers. Every cell now goes through the one clean-up
(arbo.lib.text.clean_text) before validation, and dates follow the form's and the API's rules.
"""

from __future__ import annotations

import pytest

from arbo.registry import roster
from arbo.registry.models import Employee, Employment
from arbo.registry.models_roster import RosterImport
from tests.registry.test_roster import BSN_1, HEADER, batch_url, csv_file, csv_row, upload
from tests.worker import run_tasks

pytestmark = pytest.mark.django_db

GOOD = dict(
    personeelsnummer="CNT0106", achternaam="Jansen", geboortedatum="1980-04-01", in_dienst="2020-01-01"
)


def _problems(*rows: str, employer) -> list[str]:  # type: ignore[no-untyped-def]
    parsed = roster.parse_csv("\n".join([HEADER, *rows]).encode())
    return roster.validate(employer, parsed).problems


def test_nul_control_and_zero_width_characters_are_cleaned_before_the_preview(
    mfa_client, casemanager_carla, employer_a
) -> None:
    client = mfa_client(casemanager_carla)
    file = csv_file(
        csv_row(
            **{
                **GOOD,
                "personeelsnummer": "CNT0106\u200b",
                "achternaam": "Jan\x00sen\x07",
                "plaats": "Utre\u0301cht",
            },
            bsn=BSN_1,
        )
    )

    batch = upload(client, employer_a, file)
    html = client.get(batch_url("roster_preview", batch)).content.decode()
    assert '<tr class="row-error">' not in html
    client.post(batch_url("roster_commit", batch))
    assert run_tasks() == 1

    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.COMMITTED
    employment = Employment.objects.get(employer=employer_a, personnel_number="CNT0106")
    employee = Employee.objects.get(pk=employment.employee_id)
    assert (employee.surname, employee.city) == ("Jansen", "Utr\u00e9cht")


def test_a_zero_width_space_does_not_make_another_personnel_number(employer_a) -> None:
    problems = _problems(
        csv_row(**GOOD, bsn=BSN_1),
        csv_row(**{**GOOD, "personeelsnummer": "CNT0106\u200b"}),
        employer=employer_a,
    )
    assert problems == ["Rij 3: personeelsnummer CNT0106 staat ook in rij 2"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("geboortedatum", "0001-01-01", "geboortedatum: De datum 1 januari 0001 ligt te ver terug"),
        ("geboortedatum", "31-12-1899", "geboortedatum: De datum 31 december 1899 ligt te ver terug"),
        (
            "geboortedatum",
            "9999-12-31",
            "geboortedatum: De geboortedatum 31 december 9999 ligt in de toekomst.",
        ),
        ("in_dienst", "9999-12-31", "in_dienst: De datum 31 december 9999 ligt te ver vooruit"),
        ("personeelsnummer", "CNT 0106", "personeelsnummer: Een personeelsnummer bevat geen spaties"),
    ],
)
def test_the_roster_refuses_what_the_form_and_the_api_refuse(employer_a, column, value, message) -> None:
    [problem] = _problems(csv_row(**{**GOOD, column: value}), employer=employer_a)
    assert problem.startswith(f"Rij 2: {message}")
