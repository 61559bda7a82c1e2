"""Dutch first, English on request: the language switch, and a complete English catalog.

The msgids are Dutch; English comes from locale/en/LC_MESSAGES/django.po (compiled to django.mo,
which is committed). The language comes only from the cookie the switcher in base.html sets
through /i18n/setlang/; the browser's Accept-Language is ignored.
"""

from __future__ import annotations

import gettext
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOGIN_URL = reverse("account_login")
EMPLOYEE_LIST = reverse("registry:employee_list")
SET_LANGUAGE = reverse("set_language")

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_LANG_FORM = re.compile(r'<form action="([^"]+)" method="post" class="lang-form">')


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def _switch_language(client: Client, page: str, language: str) -> str:
    """Use the switcher on ``page`` as a browser would: its form, its CSRF token, follow the redirect."""
    html = _html(client.get(page))
    form = _LANG_FORM.search(html)
    assert form, "language switcher form not found"
    token = _CSRF_INPUT.search(html, form.end())
    assert token, "no CSRF token in the language switcher form"
    response = client.post(
        form.group(1), {"language": language, "next": page, "csrfmiddlewaretoken": token.group(1)}
    )
    assert (response.status_code, response["Location"]) == (302, page)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return _html(client.get(page))


# --- Dutch by default -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_dutch_even_for_an_english_browser(client: Client) -> None:
    html = _html(client.get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="en"))

    assert '<html lang="nl">' in html
    assert "<h1>Inloggen</h1>" in html
    assert "Log in met je gebruikersnaam en wachtwoord." in html
    assert "<h1>Log in</h1>" not in html
    assert "Log in with your username and password." not in html


def test_staff_page_is_dutch_even_for_an_english_browser(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)

    html = _html(client.get(EMPLOYEE_LIST, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))

    assert '<html lang="nl">' in html
    assert "<h1>Werknemers</h1>" in html
    assert '<label for="q">Zoeken</label>' in html
    assert "<h1>Employees</h1>" not in html


# --- English after the switch ---------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_to_english_translates_the_login_page() -> None:
    client = Client(enforce_csrf_checks=True)

    html = _switch_language(client, LOGIN_URL, "en")

    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Log in with your username and password. We will then ask for the code" in html
    assert "Skip to content" in html
    assert "<h1>Inloggen</h1>" not in html
    assert "Log in met je gebruikersnaam" not in html
    assert "Naar de inhoud" not in html


@pytest.mark.django_db
def test_switching_back_to_dutch(client: Client) -> None:
    _switch_language(client, LOGIN_URL, "en")

    html = _switch_language(client, LOGIN_URL, "nl")

    assert "<h1>Inloggen</h1>" in html
    assert "<h1>Log in</h1>" not in html


def test_switching_to_english_translates_a_staff_page(mfa_client, casemanager_carla, employer_a) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)

    html = _switch_language(client, EMPLOYEE_LIST, "en")

    assert '<html lang="en">' in html
    assert "<h1>Employees</h1>" in html
    assert '<label for="q">Search</label>' in html
    assert "Name, personnel number or full BSN" in html
    assert "Personnel number" in html
    assert ">Log out</button>" in html
    assert "Page 1 of 1 (3 employees)" in html
    for dutch in ("Werknemers", "Zoeken", "Naam, personeelsnummer of volledig BSN", "Uitloggen"):
        assert dutch not in html, dutch
    # The employer's own data is not translated.
    assert employer_a.employments.first().employee.surname in html


def test_english_sticks_for_the_session_regardless_of_the_browser(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    _switch_language(client, EMPLOYEE_LIST, "en")

    html = _html(client.get(EMPLOYEE_LIST, HTTP_ACCEPT_LANGUAGE="nl"))

    assert "<h1>Employees</h1>" in html


# --- The English catalog is complete ---------------------------------------------------------------


def _unquote(line: str) -> str:
    return line.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def _entries(path: Path) -> list[dict]:
    """The .po entries (no polib here): flags, msgctxt, msgid, msgid_plural and msgstr(s)."""
    entries: list[dict] = []
    entry: dict = {}
    field = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field is not None, line
            entry[field] += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            field = keyword
            entry[field] = _unquote(value)
    return [e for e in entries if not e.get("obsolete")]


def _translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def test_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    entries = _entries(CATALOG)
    header, messages = entries[0], entries[1:]

    assert header["msgid"] == ""
    assert "fuzzy" not in header.get("flags", set()), "the header is fuzzy: msgfmt would drop it"
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
    assert len(messages) > 500
    untranslated = [e["msgid"] for e in messages if not all(_translations(e))]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e.get("flags", set())]
    assert untranslated == [], "translate these in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "check these translations and remove the fuzzy flag"


def test_translations_keep_the_placeholders() -> None:
    wrong = []
    for entry in _entries(CATALOG)[1:]:
        for key, translation in entry.items():
            if key.startswith("msgstr"):
                source = entry["msgid_plural"] if key == "msgstr[1]" else entry["msgid"]
                if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(translation)):
                    wrong.append((source, translation))
    assert wrong == []


def test_compiled_catalog_matches_the_po_file() -> None:
    """django.mo is committed (CI may not compile): it must be compiled from the current django.po."""
    with COMPILED.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in _entries(CATALOG)[1:]:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            for n, key in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                if context is None:
                    got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                else:
                    got = compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                if got != entry[key]:
                    stale.append(entry["msgid"])
        else:
            got = (
                compiled.gettext(entry["msgid"])
                if context is None
                else compiled.pgettext(context, entry["msgid"])
            )
            if got != entry["msgstr"]:
                stale.append(entry["msgid"])
    assert stale == [], "run: make messages (or manage.py compilemessages -l en) and commit django.mo"
