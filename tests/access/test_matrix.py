"""The function × category matrix: seeded from annex 2, reviewed on one page, changed only with a
reason and the approval of a second person who is a directeur (shared/domain.md §3, seed 003)."""

from __future__ import annotations

import importlib
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from arbo.access import domain, matrix
from arbo.access.matrix import MATRIX, Action, Category, best_level, effective_matrix, level
from arbo.access.models_matrix import MatrixCell, MatrixChangeRequest
from arbo.access.policy import can
from arbo.audit.models import AuditEvent
from arbo.identity.models import User
from arbo.identity.roles import StaffFunction as F
from arbo.lib.errors import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db

REAUTH_URL = "/accounts/reauthenticate/"
MATRIX_URL = "/access/matrix/"

#: Annex 2 of seed 003 as printed (lines ~700–760 of shared/seeds/003_a9a012a025ef4369.txt),
#: transcribed row by row, independently of arbo.access.matrix.MATRIX.
ANNEX_2_ROWS = [
    ([F.DIRECTEUR], "– – – V"),
    ([F.SECRETARIAAT], "– – – V"),
    ([F.FINANCIEEL_MEDEWERKER], "– – – V"),
    ([F.PLANNER], "– – – V"),
    ([F.BASISARTS, F.BEDRIJFSARTS, F.STAFARTS], "M M M M"),  # Basisarts/bedrijfsarts/stafarts
    ([F.CASEMANAGER], "M M – M"),  # Casemanager (ZW WGA WVP)
    ([F.ARBEIDSDESKUNDIGE], "R R – R"),
    ([F.ARBEIDSHYGIENIST], "– – – R"),
    ([F.VEILIGHEIDSKUNDIGE], "– – – R"),
    ([F.AO_DESKUNDIGE], "– – – R"),  # Arbeids- en organisatiedeskundige
    ([F.CASEMANAGER_TAAKDELEGATIE], "M M M M"),
    ([F.REGIOMANAGER], "- - - R"),
    ([F.APPLICATIEBEHEERDER], "V V - V"),  # Functioneel beheerder verzuimapplicatie
    ([F.ADMINISTRATIEF_MEDEWERKER], "- - - M"),
    ([F.TEAMLEIDER_KLANT], "- - - M"),  # Teamleider klant- en contractbeheer
    ([F.MANAGER_SSC], "- - - R"),  # Manager Shared Service Center
    ([F.TEAMLEIDER_FINANCIEEL], "- - - M"),
    ([F.VERZUIMMEDEWERKER_GEHEIMHOUDING], "M M M R"),  # met verklaring afgeleid beroepsgeheim
    ([F.VERZUIMMEDEWERKER], "M M - R"),  # Verzuimmedewerker/ Back Office Medewerker/verzuimcoördinator
    ([F.MEDISCH_MANAGER], "- - - R"),
    ([F.MANDAAT_VERZUIM_SUPPORT], "R R - R"),
    ([F.PRAKTIJKONDERSTEUNER], "M M M M"),  # Praktijkondersteuner Bedrijfsarts (POB)
]


def annex_2() -> dict[str, str]:
    table = {}
    for functions, printed in ANNEX_2_ROWS:
        for function in functions:
            table[str(function)] = printed.replace("–", "-").replace(" ", "")
    return table


def seeded_table() -> dict[str, str]:
    letters: dict[str, dict[str, str]] = {}
    for cell in MatrixCell.objects.all():
        letters.setdefault(cell.function, {})[cell.category] = cell.level
    return {function: "".join(cells[c] for c in "ABCD") for function, cells in letters.items()}


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


class MatrixTableParser(HTMLParser):
    """Reads table#matrix: {row header: [visible letter per column]} plus the column headers."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.columns: list[str] = []
        self._in_table = self._in_thead = False
        self._row_header: list[str] | None = None
        self._letters: list[str] = []
        self._capture: list[str] | None = None
        self._column: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        if tag == "table" and attributes.get("id") == "matrix":
            self._in_table = True
        if not self._in_table:
            return
        if tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self._row_header, self._letters = [], []
        elif tag == "th" and not self._in_thead and attributes.get("scope") == "row":
            self._capture = self._row_header
        elif tag == "th" and self._in_thead and attributes.get("class") == "category":
            self._column = []
        elif tag == "span" and attributes.get("aria-hidden") == "true":
            self._capture = []
            self._letters.append("")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self._in_table:
            return
        if tag == "table":
            self._in_table = False
        elif tag == "thead":
            self._in_thead = False
        elif tag == "th" and self._column is not None:
            self.columns.append("".join(self._column).strip())
            self._column = None
        elif tag in ("th", "span"):
            if tag == "span" and self._capture is not None and self._letters:
                self._letters[-1] = "".join(self._capture).strip()
            self._capture = None
        elif tag == "tr" and self._row_header:
            self.rows["".join(self._row_header).strip()] = self._letters

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._capture is not None:
            self._capture.append(data)
        if self._column is not None:
            self._column.append(data)


def matrix_on_page(response) -> MatrixTableParser:  # type: ignore[no-untyped-def]
    parser = MatrixTableParser()
    parser.feed(response.content.decode())
    return parser


def staff(username: str, *functions: str) -> User:
    user: User = f.UserFactory(username=username, kind=User.Kind.STAFF)  # type: ignore[assignment]
    for function in functions:
        f.give_function(user, function)
    return user


@pytest.fixture
def privacy_pia() -> User:
    return staff("pia", F.PRIVACY_OFFICER)


@pytest.fixture
def director_dirk() -> User:
    return staff("dirk", F.DIRECTEUR)


@pytest.fixture
def director_dana() -> User:
    return staff("dana", F.DIRECTEUR)


def reauthenticate(client, response):  # type: ignore[no-untyped-def]
    """Follow allauth's re-authentication redirect with the password; returns the resumed response."""
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH_URL)
    return client.post(response["Location"], {"password": f.TEST_PASSWORD})


# --- The seed ------------------------------------------------------------------------------------


def test_seeded_table_equals_annex_2() -> None:
    seeded = seeded_table()

    assert seeded == MATRIX
    assert MatrixCell.objects.count() == 4 * len(F.values)
    assert set(seeded) == set(F.values)
    # Annex 2 itself, transcribed here independently; the privacy officer is not in annex 2.
    assert {k: v for k, v in seeded.items() if k != F.PRIVACY_OFFICER} == annex_2()
    assert seeded[F.PRIVACY_OFFICER] == "----"


@pytest.mark.parametrize(
    ("function", "letters"),
    [
        (F.DIRECTEUR, "---V"),
        (F.BEDRIJFSARTS, "MMMM"),
        (F.CASEMANAGER, "MM-M"),
        (F.VERZUIMMEDEWERKER, "MM-R"),
        (F.APPLICATIEBEHEERDER, "VV-V"),  # functioneel beheerder verzuimapplicatie
        (F.VERZUIMMEDEWERKER_GEHEIMHOUDING, "MMMR"),
        (F.ARBEIDSDESKUNDIGE, "RR-R"),
    ],
)
def test_cells_match_domain_md(function: str, letters: str) -> None:
    cells = {c.category: c.level for c in MatrixCell.objects.filter(function=function)}
    assert "".join(cells[c] for c in "ABCD") == letters
    assert [level(function, c) for c in Category] == [matrix.LEVELS[x] for x in letters]


def test_migration_copy_equals_the_matrix_constant() -> None:
    migration = importlib.import_module("arbo.access.migrations.0003_seed_matrix_annex_2")
    assert migration.ANNEX_2 == MATRIX


# --- The effective matrix is the table, cached ------------------------------------------------


def test_checks_read_the_table_and_follow_the_version_token(django_assert_num_queries) -> None:
    effective_matrix()  # warm
    with django_assert_num_queries(1):  # outside a request: the token only
        assert best_level({F.CASEMANAGER, F.SECRETARIAAT}, Category.D) == matrix.LEVELS["V"]

    # A row written behind the cache's back is not seen until the token changes...
    MatrixCell.objects.filter(function=F.SECRETARIAAT, category="A").update(level="R")
    assert level(F.SECRETARIAAT, Category.A) == 0
    matrix.invalidate()
    assert level(F.SECRETARIAAT, Category.A) == matrix.LEVELS["R"]


def test_a_request_costs_one_query_however_many_checks(django_assert_num_queries) -> None:
    effective_matrix()
    matrix.request_started()
    try:
        with django_assert_num_queries(1):
            for _ in range(20):
                for category in Category:
                    best_level({F.CASEMANAGER, F.BEDRIJFSARTS}, category)
    finally:
        matrix.request_finished()


def test_functions_without_cells_have_no_access() -> None:
    MatrixCell.objects.filter(function=F.PLANNER).delete()
    matrix.invalidate()
    assert best_level({F.PLANNER}, Category.D) == 0
    assert best_level(set(), Category.D) == 0


def test_an_empty_table_is_an_error_not_a_fallback() -> None:
    from django.core.exceptions import ImproperlyConfigured

    MatrixCell.objects.all().delete()
    matrix.invalidate()
    with pytest.raises(ImproperlyConfigured):
        best_level({F.BEDRIJFSARTS}, Category.C)


# --- The page --------------------------------------------------------------------------------------


def test_privacy_officer_sees_the_matrix_as_one_table(mfa_client, privacy_pia) -> None:
    response = mfa_client(privacy_pia).get(reverse("access:matrix"))

    assert response.status_code == 200
    page = matrix_on_page(response)
    assert page.columns == ["A", "B", "C", "D"]
    expected = {str(label): [{"-": "–"}.get(x, x) for x in MATRIX[value]] for value, label in F.choices}
    assert page.rows == expected
    assert page.rows["Casemanager"] == ["M", "M", "–", "M"]
    assert page.rows["Functioneel beheerder verzuimapplicatie"] == ["V", "V", "–", "V"]
    html = text(response)
    assert "<h1>Autorisatiematrix</h1>" in html
    # The legend explains letters and categories in Dutch.
    assert "raadplegen, invoeren/muteren en verwijderen" in html
    assert "C — medische gegevens" in html


@pytest.mark.parametrize("function", [F.DIRECTEUR, F.APPLICATIEBEHEERDER])
def test_board_and_functional_administrator_see_the_matrix(mfa_client, function) -> None:
    response = mfa_client(staff("reviewer", function)).get(MATRIX_URL)
    assert response.status_code == 200


def test_others_get_404(mfa_client, casemanager_carla, doctor_bram, hr_wim) -> None:
    for user in (casemanager_carla, doctor_bram, hr_wim):
        assert mfa_client(user).get(MATRIX_URL).status_code == 404


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(MATRIX_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Requesting a change ----------------------------------------------------------------------------


def test_a_change_without_reason_is_refused_in_dutch_and_nothing_is_saved(mfa_client, privacy_pia) -> None:
    response = mfa_client(privacy_pia).post(
        MATRIX_URL, {"function": F.CASEMANAGER, "category": "C", "new_level": "R", "reason": "   "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Geef een reden voor de wijziging."]}
    html = text(response)
    assert "Er is niets opgeslagen. Verbeter de gemarkeerde velden." in html
    assert "Geef een reden voor de wijziging." in html
    assert not MatrixChangeRequest.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="access.matrix").exists()
    assert level(F.CASEMANAGER, Category.C) == 0


def test_bad_choices_are_refused_in_dutch(mfa_client, privacy_pia) -> None:
    response = mfa_client(privacy_pia).post(
        MATRIX_URL, {"function": "koning", "category": "E", "new_level": "X", "reason": "Omdat het kan."}
    )

    assert response.context["form"].errors == {
        "function": ["Kies een bestaande functie."],
        "category": ["Kies categorie A, B, C of D."],
        "new_level": ["Kies een geldig toegangsniveau."],
    }
    assert not MatrixChangeRequest.objects.exists()


def test_a_change_to_the_current_level_is_refused(mfa_client, privacy_pia) -> None:
    response = mfa_client(privacy_pia).post(
        MATRIX_URL, {"function": F.CASEMANAGER, "category": "A", "new_level": "M", "reason": "Blijft zo."}
    )

    assert response.context["form"].errors == {
        "new_level": ["Dit is al het toegangsniveau van deze functie voor deze categorie."]
    }
    assert not MatrixChangeRequest.objects.exists()


def test_one_open_request_per_cell(privacy_pia, director_dirk) -> None:
    domain.request_matrix_change(F.CASEMANAGER, "C", "R", reason="Pilot casemanagement.", by=privacy_pia)
    with pytest.raises(DomainError) as refused:
        domain.request_matrix_change(F.CASEMANAGER, "C", "M", reason="Nog meer.", by=director_dirk)
    assert refused.value.field == "category"
    assert MatrixChangeRequest.objects.count() == 1


def test_only_reviewers_may_request(casemanager_carla) -> None:
    with pytest.raises(DomainError):
        domain.request_matrix_change(F.CASEMANAGER, "C", "V", reason="Ik wil meer.", by=casemanager_carla)
    assert not MatrixChangeRequest.objects.exists()


# --- Four eyes: a change applies only after a directeur who did not ask approves --------------------


def test_change_takes_effect_only_after_approval_by_another_directeur(
    mfa_client, privacy_pia, director_dirk, director_dana, casemanager_carla
) -> None:
    assert best_level({F.CASEMANAGER}, Category.C) == 0
    assert not can(casemanager_carla, Action.READ, Category.C)

    # The privacy officer asks, with a reason.
    officer = mfa_client(privacy_pia)
    response = officer.post(
        MATRIX_URL,
        {
            "function": F.CASEMANAGER,
            "category": "C",
            "new_level": "R",
            "reason": "Besluit pilot ZW-casemanagement.",
        },
    )
    assert response.status_code == 302
    change = MatrixChangeRequest.objects.get()
    assert (change.old_level, change.new_level, change.status) == ("-", "R", "pending")
    assert change.requested_by == privacy_pia

    # Pending: nothing changed, and the page marks the cell.
    assert best_level({F.CASEMANAGER}, Category.C) == 0
    assert not can(casemanager_carla, Action.READ, Category.C)
    assert MatrixCell.objects.get(function=F.CASEMANAGER, category="C").level == "-"
    page = officer.get(MATRIX_URL)
    assert matrix_on_page(page).rows["Casemanager"] == ["M", "M", "–", "M"]
    assert f'href="#change-{change.pk}" data-pending="R"' in page.content.decode()
    assert "Goedkeuren" not in text(page)  # the privacy officer does not decide

    # The privacy officer cannot approve (404), even by posting directly.
    assert officer.post(reverse("access:matrix_change_approve", args=[change.pk])).status_code == 404

    # A directeur approves (after typing the password again).
    board = mfa_client(director_dirk)
    assert "Goedkeuren" in text(board.get(MATRIX_URL))
    url = reverse("access:matrix_change_approve", args=[change.pk])
    first = board.post(url, {"note": "Akkoord voor de duur van de pilot."})
    change.refresh_from_db()
    assert change.status == "pending"  # not before the password
    done = reauthenticate(board, first)
    assert done.status_code == 302
    assert done["Location"] == MATRIX_URL

    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == (
        "approved",
        director_dirk,
        "Akkoord voor de duur van de pilot.",
    )
    assert MatrixCell.objects.get(function=F.CASEMANAGER, category="C").level == "R"
    assert best_level({F.CASEMANAGER}, Category.C) == matrix.LEVELS["R"]
    assert can(casemanager_carla, Action.READ, Category.C)
    assert not can(casemanager_carla, Action.CHANGE, Category.C)
    assert matrix_on_page(board.get(MATRIX_URL)).rows["Casemanager"] == ["M", "M", "R", "M"]

    requested = AuditEvent.objects.get(event="access.matrix_change_requested")
    assert (requested.action, requested.actor, requested.outcome) == ("create", privacy_pia, "allowed")
    assert requested.data == {"function": "casemanager", "category": "C", "old": "-", "new": "R"}
    assert requested.object_id == str(change.pk)
    approved = AuditEvent.objects.get(event="access.matrix_change_approved")
    assert (approved.action, approved.actor, approved.outcome) == ("update", director_dirk, "allowed")
    assert approved.data == {"function": "casemanager", "category": "C", "old": "-", "new": "R"}
    # No free text in the log: reasons and notes may name people.
    assert "pilot" not in str(requested.data) + str(approved.data)


def test_a_directeur_cannot_approve_their_own_request(mfa_client, director_dirk, director_dana) -> None:
    change = domain.request_matrix_change(
        F.SECRETARIAAT, "A", "R", reason="Secretariaat plant spreekuren.", by=director_dirk
    )
    client = mfa_client(director_dirk)
    page = text(client.get(MATRIX_URL))
    assert "Dit is je eigen aanvraag: een andere directeur moet haar goedkeuren." in page

    done = reauthenticate(client, client.post(reverse("access:matrix_change_approve", args=[change.pk])))

    assert done.status_code == 302
    listing = text(client.get(MATRIX_URL))
    assert "Je kunt je eigen aanvraag niet goedkeuren: een andere directeur moet dat doen." in listing
    change.refresh_from_db()
    assert change.status == "pending"
    assert best_level({F.SECRETARIAAT}, Category.A) == 0
    refused = AuditEvent.objects.get(event="access.matrix_change_approved")
    assert (refused.actor, refused.outcome) == (director_dirk, "denied")

    # The domain refuses too, whoever calls it; another directeur may approve.
    with pytest.raises(DomainError):
        domain.approve_matrix_change(change, by=director_dirk)
    domain.approve_matrix_change(change, by=director_dana)
    assert best_level({F.SECRETARIAAT}, Category.A) == matrix.LEVELS["R"]


def test_a_second_person_who_is_not_a_directeur_cannot_approve(
    privacy_pia, director_dirk, admin_anna
) -> None:
    change = domain.request_matrix_change(
        F.PLANNER, "A", "R", reason="Planning verzuimspreekuur.", by=director_dirk
    )

    with pytest.raises(DomainError):
        domain.approve_matrix_change(change, by=admin_anna)
    with pytest.raises(DomainError):
        domain.approve_matrix_change(change, by=privacy_pia)

    change.refresh_from_db()
    assert change.status == "pending"
    assert best_level({F.PLANNER}, Category.A) == 0
    assert AuditEvent.objects.filter(event="access.matrix_change_approved", outcome="denied").count() == 2


def test_rejected_changes_never_apply(
    mfa_client, privacy_pia, director_dirk, director_dana, secretary_sara
) -> None:
    change = domain.request_matrix_change(
        F.SECRETARIAAT, "C", "V", reason="Archief opschonen.", by=privacy_pia
    )
    client = mfa_client(director_dirk)

    response = client.post(reverse("access:matrix_change_reject", args=[change.pk]), {"note": "Niet nodig."})

    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == (
        "rejected",
        director_dirk,
        "Niet nodig.",
    )
    assert MatrixCell.objects.get(function=F.SECRETARIAAT, category="C").level == "-"
    assert best_level({F.SECRETARIAAT}, Category.C) == 0
    assert not can(secretary_sara, Action.READ, Category.C)
    with pytest.raises(DomainError):
        domain.approve_matrix_change(change, by=director_dana)
    assert best_level({F.SECRETARIAAT}, Category.C) == 0

    rejected = AuditEvent.objects.get(event="access.matrix_change_rejected")
    assert (rejected.action, rejected.actor, rejected.outcome) == ("update", director_dirk, "allowed")
    assert rejected.data == {"function": "secretariaat", "category": "C", "old": "-", "new": "V"}
    page = text(client.get(MATRIX_URL))
    assert "afgewezen" in page
    assert "Er wachten geen aanvragen." in page


def test_approval_against_a_changed_cell_is_refused(privacy_pia, director_dirk, director_dana) -> None:
    change = domain.request_matrix_change(
        F.PLANNER, "B", "R", reason="Planning re-integratie.", by=privacy_pia
    )
    MatrixCell.objects.filter(function=F.PLANNER, category="B").update(level="M")

    with pytest.raises(DomainError):
        domain.approve_matrix_change(change, by=director_dana)

    assert MatrixCell.objects.get(function=F.PLANNER, category="B").level == "M"
    change.refresh_from_db()
    assert change.status == "pending"


@pytest.mark.django_db(transaction=True)
def test_flush_puts_annex_2_back_into_an_empty_table() -> None:
    """Tests with transactions end in ``flush``; the tests after them still need the matrix."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert seeded_table() == MATRIX
    assert best_level({F.CASEMANAGER}, Category.A) == matrix.LEVELS["M"]


def test_menu_filter_shows_the_link_to_reviewers_only(privacy_pia, casemanager_carla) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    link = Template("{% load access_matrix %}{% if user|can_review_matrix %}matrix{% endif %}")
    assert link.render(Context({"user": privacy_pia})) == "matrix"
    assert link.render(Context({"user": casemanager_carla})) == ""
    assert link.render(Context({"user": AnonymousUser()})) == ""
