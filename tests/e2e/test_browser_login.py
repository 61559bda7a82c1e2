"""End to end in Debian's Chromium: a demo casemanager logs in with password and TOTP.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``); skipped without it, except when
``ARBO_REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure. With ``ARBO_SCREENSHOT=1``
the test also writes ``docs/screenshot-employees.png`` (full page, 1280 wide).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyotp
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from arbo.demo.cast import DEMO_PASSWORD, totp_secret
from arbo.registry.models import Employee
from tests.e2e.conftest import CHROMIUM_ARGS

SCREENSHOT = Path(django_settings.BASE_DIR) / "docs" / "screenshot-employees.png"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_casemanager_logs_in_with_password_and_totp_and_sees_employees(  # type: ignore[no-untyped-def]
    live_server, chromium_path: str, http_cookies: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # All database work happens outside the Playwright block: its event loop makes Django refuse
    # synchronous queries in this thread. The live server answers from its own thread.
    employee_names = [(e.surname, e.first_names) for e in Employee.objects.all()]
    assert len(employee_names) >= 100
    totp = pyotp.TOTP(totp_secret("carla.cm"))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            # Issue 19: under the strict Content-Security-Policy nothing on the way is blocked.
            blocked: list[str] = []
            page.on(
                "console",
                lambda message: (
                    blocked.append(message.text) if "Content Security Policy" in message.text else None
                ),
            )
            page.goto(live_server.url + "/")
            expect(page).to_have_url(live_server.url + "/accounts/login/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")

            page.get_by_label("Gebruikersnaam").fill("carla.cm")
            page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Inloggen").click()

            expect(page).to_have_url(live_server.url + "/accounts/2fa/authenticate/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen: tweede stap")
            page.get_by_label("Code").fill(totp.now())
            page.get_by_role("button", name="Inloggen").click()

            expect(page).to_have_url(live_server.url + "/portal/work/")  # issue 18: her own work first
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
            page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Werknemers").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Werknemers")
            expect(page.locator(".whoami")).to_have_text("Carla Jansen")
            rows = page.locator("table tbody tr").all_inner_texts()
            shown = [row for row in rows if any(s in row and n in row for s, n in employee_names)]
            assert shown, rows[:5]
            assert page.evaluate("typeof htmx") == "object"  # the app's own script runs
            assert blocked == []

            if os.environ.get("ARBO_SCREENSHOT") == "1":
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
