"""End to end in Debian's Chromium (issue 18): the employee file in tabs and the global search.

The doctor finds a patient with the search in the header, opens the file and goes through every
tab, loaded by htmx (the address follows, the current tab is marked); the employee opens her own
file on a phone and reads which part is the doctor's. axe-core finds no violation on the search,
the file and each tab. With ``ARBO_SCREENSHOT=1`` the test writes ``docs/screenshot-file-doctor.png``
and ``docs/screenshot-file-employee-phone.png``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from arbo.registry.models import Employee
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.test_browser_absence import _log_in
from tests.e2e.test_browser_phone import PHONE, _fits, _no_axe_violations

DOCS = Path(django_settings.BASE_DIR) / "docs"
TABS = ("Verzuim", "Documenten", "Medisch", "Preventie", "Journaal", "Geschiedenis", "Overzicht")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_doctor_searches_and_reads_the_file_tab_by_tab_and_the_employee_reads_hers(  # type: ignore[no-untyped-def]
    live_server, chromium_path: str, http_cookies: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    eva = Employee.objects.get(user__username="eva.werknemer")
    screenshots = os.environ.get("ARBO_SCREENSHOT") == "1"
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "bram.arts")
            search = page.get_by_role("search").first
            search.get_by_role("searchbox").fill(eva.surname)
            search.get_by_role("button", name="Zoek").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Zoeken")
            _no_axe_violations(page)
            page.get_by_role("link", name=eva.surname, exact=False).first.click()
            expect(page.get_by_role("heading", level=1)).to_have_text(eva.full_name)
            _no_axe_violations(page)
            tabs = page.get_by_role("navigation", name="Onderdelen van het dossier")
            for label in TABS:
                tabs.get_by_role("link", name=label, exact=True).click()
                expect(tabs.get_by_role("link", name=label, exact=True)).to_have_attribute(
                    "aria-current", "page"
                )
                if label != "Overzicht":
                    expect(page).to_have_url(f"{base}/registry/employees/{eva.pk}/" + _slug(label) + "/")
                _no_axe_violations(page)
                if label == "Medisch" and screenshots:
                    page.screenshot(path=str(DOCS / "screenshot-file-doctor.png"), full_page=True)
            page.close()

            page = browser.new_page(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
            _log_in(page, base, "eva.werknemer")
            page.goto(f"{base}/registry/me/")
            page.get_by_role("link", name="Mijn hele dossier", exact=False).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(eva.full_name)
            page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
                "link", name="Medisch", exact=True
            ).click()
            expect(
                page.get_by_text("Dit deel is van de bedrijfsarts, en van jou om te lezen.")
            ).to_be_visible()
            expect(page.get_by_role("search")).to_have_count(0)  # no global search for an employee
            _fits(page)
            _no_axe_violations(page)
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-file-employee-phone.png"), full_page=True)
            page.close()
        finally:
            browser.close()


def _slug(label: str) -> str:
    return {
        "Verzuim": "absence",
        "Documenten": "documents",
        "Medisch": "medical",
        "Preventie": "prevention",
        "Journaal": "journal",
        "Geschiedenis": "history",
    }[label]
