"""End to end in Debian's Chromium at phone size (390 × 844, issue 18): the employee's and the
employer's main journeys, with the menu behind a button, no page wider than the screen and every
table reflowed into cards; a verzuimmedewerker's lists at phone size; the privacy officer's menu
within a 1280-pixel window; and axe-core finds no violation on the new pages (the home pages, the
confirmation steps, the break-the-glass review).

With ``ARBO_SCREENSHOT=1`` the test writes ``docs/screenshot-phone-employee.png`` and
``docs/screenshot-phone-employer.png``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from arbo.absence.models import AbsenceCase
from arbo.demo.cast import EMPLOYERS
from arbo.registry.models import Employee
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.test_browser_absence import _log_in

DOCS = Path(django_settings.BASE_DIR) / "docs"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the page is wider than the screen, and no table needs scrolling: on a phone every
    table reflows into cards (static/js/cards.js), except one marked as a grid ("no-cards")."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, (page.url, overflow)
    wide = page.evaluate(
        """[...document.querySelectorAll("main table:not(.no-cards)")]
            .filter(t => t.scrollWidth > t.clientWidth + 1)
            .map(t => (t.id || t.className || t.tHead?.textContent || "").trim().slice(0, 80))"""
    )
    assert wide == [], (page.url, wide)
    if page.evaluate("window.innerWidth") <= 400:
        uncarded = page.evaluate(
            """[...document.querySelectorAll("main table:not(.no-cards)")]
                .filter(t => !t.classList.contains("cards")).length"""
        )
        assert uncarded == 0, page.url


def _nav_fits(page) -> None:  # type: ignore[no-untyped-def]
    """The main menu stays within the window: no link beyond its right edge, no page scroll."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    beyond = page.evaluate(
        """[...document.querySelectorAll("#main-menu > ul > li")]
            .filter(li => li.getBoundingClientRect().right > window.innerWidth)
            .map(li => li.textContent.trim())"""
    )
    assert (overflow, beyond) == (0, []), page.url


def _no_axe_violations(page) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, (page.url, results.generate_report())


def _open_menu_and_click(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu).to_be_hidden()  # collapsed on a phone
    page.get_by_role("button", name="Menu").click()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name=name, exact=True).click()


def test_the_employee_and_the_employer_journeys_at_phone_size(  # type: ignore[no-untyped-def]
    live_server, chromium_path: str, http_cookies: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    employee = (
        Employee.objects.filter(employments__employer__kvk_number=EMPLOYERS["bakkerij"]["kvk_number"])
        .exclude(absence_cases__isnull=False)
        .order_by("employments__personnel_number")
        .first()
    )
    assert employee is not None
    screenshots = os.environ.get("ARBO_SCREENSHOT") == "1"
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # The employee: home, then her consultations and advice, then her absence.
            page = browser.new_page(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
            _log_in(page, base, "eva.werknemer")
            expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Eva")
            _fits(page)
            _no_axe_violations(page)
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-phone-employee.png"), full_page=True)
            _open_menu_and_click(page, "Mijn spreekuren en adviezen")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            _fits(page)
            _open_menu_and_click(page, "Mijn verzuim")
            _fits(page)
            for name in ("Wie zag mijn dossier", "Berichten", "Mijn gegevens", "Mijn toestemmingen"):
                _open_menu_and_click(page, name)
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                _fits(page)
            # Withdrawing a consent takes the second step, which fits the phone and passes axe.
            page.get_by_label("Ik trek deze toestemming in").first.check()
            page.get_by_role("button", name="Intrekken").first.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Toestemming intrekken: bevestigen")
            _fits(page)
            _no_axe_violations(page)
            page.get_by_role("link", name="Terug, niets doen").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn toestemmingen")
            page.close()

            # The employer: the dashboard, the employee list, and a sick report.
            page = browser.new_page(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
            _log_in(page, base, "wim.hr")
            expect(page).to_have_url(base + "/reports/")
            _fits(page)
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-phone-employer.png"), full_page=True)
            _open_menu_and_click(page, "Werknemers")
            expect(page.get_by_role("heading", level=1)).to_have_text("Werknemers")
            _fits(page)
            page.goto(f"{base}/registry/employees/{employee.pk}/")
            _fits(page)
            page.get_by_role("link", name="Ziek melden").click()
            page.get_by_label("Verwachte duur").select_option("weeks")
            page.get_by_label("Telefoonnummer tijdens ziekte").fill("0612345678")
            _fits(page)
            page.get_by_role("button", name="Ziekmelding vastleggen").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(employee.full_name)
            _fits(page)
            for name in ("Verzuim", "Werkvoorraad", "Keuringsuitslagen"):
                _open_menu_and_click(page, name)
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                _fits(page)
            page.close()

            # Staff lists at phone size reflow too: the verzuimmedewerker's lists and caseload.
            page = browser.new_page(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
            _log_in(page, base, "vera.vm")
            _fits(page)
            for name in ("Werknemers", "Werkgevers", "Verzuim", "Werkvoorraad"):
                _open_menu_and_click(page, name)
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                _fits(page)
            page.close()

            # The privacy officer's menu fits a 1280-pixel window: their pages are grouped.
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "piet.privacy")
            _nav_fits(page)
            menu = page.get_by_role("navigation", name="Hoofdmenu")
            menu.get_by_text("Privacy", exact=True).click()
            _nav_fits(page)
            menu.get_by_role("link", name="Noodtoegang", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Noodtoegang beoordelen")
            _no_axe_violations(page)
            page.close()

            # axe on the other new pages: a casemanager's home and the confirmation step.
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "carla.cm")
            _no_axe_violations(page)
            page.locator('[data-section="documents"] a').first.click()
            page.get_by_role("button", name="Definitief maken").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Definitief maken: bevestigen")
            _no_axe_violations(page)
            page.close()
        finally:
            browser.close()
    assert AbsenceCase.objects.filter(employee=employee).exists()
