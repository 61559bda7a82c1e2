"""End to end in Debian's Chromium: every demo persona logs in and lands on a home page that shows
their own work (issue 18), with no error page on the way, and every page of their menu opens.

With ``ARBO_SCREENSHOT=1`` the test writes ``docs/screenshot-home-<persona>.png`` for the doctor,
and the casemanager.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.test_browser_absence import _log_in

DOCS = Path(django_settings.BASE_DIR) / "docs"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: persona: (where they land, the heading there, a section of the home that lists demo work)
HOMES = {
    "bram.arts": ("/portal/work/", "Mijn werk", "Advies vrij te geven"),
    "carla.cm": ("/portal/work/", "Mijn werk", "Nieuwe ziekmeldingen (7 dagen)"),
    "tim.td": ("/portal/work/", "Mijn werk", "Nieuwe ziekmeldingen (7 dagen)"),
    "vera.vm": ("/portal/work/", "Mijn werk", "Nieuwe ziekmeldingen (7 dagen)"),
    "sara.sec": ("/portal/work/", "Mijn werk", "Papier te vernietigen"),
    "paul.planner": ("/portal/work/", "Mijn werk", "Afspraken te plannen: vrije tijdvakken komende 7 dagen"),
    "dirk.directeur": ("/portal/work/", "Mijn werk", "Wacht op je besluit"),
    "mia.mm": ("/portal/work/", "Mijn werk", "Wacht op je besluit"),
    "anna.beheer": ("/portal/work/", "Mijn werk", "Jouw aanvragen"),
    "eva.werknemer": ("/portal/work/", "Welkom, Eva", "Je afspraken"),
    "wim.hr": ("/reports/", "Verzuimoverzicht", ""),
    "hanna.hr": ("/reports/", "Verzuimoverzicht", ""),
    "piet.privacy": ("/privacy/", "Privacy office", ""),
}
SCREENSHOTS = {"bram.arts": "doctor", "carla.cm": "casemanager"}


def test_every_persona_lands_on_their_own_work(  # type: ignore[no-untyped-def]
    live_server, chromium_path: str, http_cookies: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    screenshots = os.environ.get("ARBO_SCREENSHOT") == "1"
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for username, (landing, heading, section) in HOMES.items():
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
                statuses: list[int] = []
                page.on(
                    "response",
                    lambda r, s=statuses: s.append(r.status) if r.request.is_navigation_request() else None,
                )
                _log_in(page, base, username)
                expect(page).to_have_url(base + landing)
                expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
                if section:
                    work = page.locator("section.work-section", has=page.get_by_role("heading", name=section))
                    expect(work.locator("ul.work-list li").first).to_be_visible()
                assert not [s for s in statuses if s >= 400], (username, statuses)
                if screenshots and username in SCREENSHOTS:
                    page.screenshot(
                        path=str(DOCS / f"screenshot-home-{SCREENSHOTS[username]}.png"), full_page=True
                    )
                # Every page the menu offers opens: no 404 for a link the person may not follow.
                links = page.evaluate('[...document.querySelectorAll("#main-menu a")].map(a => a.href)')
                for href in links:
                    response = page.goto(href)
                    assert response is not None
                    assert response.status < 400, (username, href)
                page.close()
        finally:
            browser.close()
