"""End to end in Debian's Chromium: a casemanager reports a data breach in two clicks, the privacy
officer lands on the privacy office and sees it with its 72-hour clock; the public statement.

With ``ARBO_SCREENSHOT=1`` the test writes ``docs/screenshot-privacy-office.png`` (the FG's home)
and ``docs/screenshot-breach.png`` (the incident as the FG sees it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from arbo.privacy.breaches.models import Breach
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.test_browser_absence import _log_in

DOCS = Path(django_settings.BASE_DIR) / "docs"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_breach_reported_in_two_clicks_reaches_the_privacy_officer(  # type: ignore[no-untyped-def]
    live_server, chromium_path: str, http_cookies: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    before = Breach.objects.count()
    screenshots = os.environ.get("ARBO_SCREENSHOT") == "1"
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "carla.cm")
            page.get_by_role("link", name="Datalek melden").click()  # click one
            page.get_by_label("Wat is er gebeurd, in één zin").fill(
                "Brief met verzuimgegevens naar verkeerd adres"
            )
            page.get_by_label("Toelichting").fill(
                "De brief voor de ene werknemer zat in de envelop van een ander."
            )
            page.get_by_label("Wanneer ontdekt").fill("2026-01-05T09:00")
            page.locator("#id_data_description").fill("Naam, adres en eerste ziektedag")
            page.get_by_label("D — algemene gegevens (naam, adres, contact)").check()
            page.get_by_label("Hoeveel mensen (schatting)").fill("1")
            page.get_by_role("button", name="Melden").click()  # click two: nothing empty but "A"
            expect(page.locator("[data-clock]")).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Brief met verzuimgegevens")
            page.get_by_role("button", name="Uitloggen").click()

            _log_in(page, base, "piet.privacy")
            expect(page).to_have_url(base + "/privacy/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Privacy office")
            expect(page.locator("main")).to_contain_text("Brief met verzuimgegevens naar verkeerd adres")
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-privacy-office.png"), full_page=True)
            page.locator("main li", has_text="Verzuimoverzicht naar de verkeerde werkgever").get_by_role(
                "link"
            ).click()
            expect(page.locator("[data-clock]").first).to_contain_text("72 uur")
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-breach.png"), full_page=True)
            page.get_by_role("button", name="Uitloggen").click()

            page.goto(base + "/privacy/statement/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
            expect(page.locator("main")).to_contain_text("Je rechten en hoe je ze gebruikt")
        finally:
            browser.close()
    assert Breach.objects.count() == before + 1
