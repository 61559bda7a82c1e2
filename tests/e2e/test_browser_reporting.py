"""End to end in Debian's Chromium: the employer's dashboard, the management view, and a doctor
who gets none of them.

The employer (wim.hr) logs in and lands on the dashboard with its charts, filters a department,
and downloads the department table as XLSX; the directeur (dirk.directeur) sees the management
view; the doctor (bram.arts) gets "not found" for both. With ``ARBO_SCREENSHOT=1`` the test writes
``docs/screenshot-dashboard.png`` and ``docs/screenshot-management.png``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from openpyxl import load_workbook

from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.test_browser_absence import _log_in

DOCS = Path(django_settings.BASE_DIR) / "docs"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employer_dashboard_filter_and_xlsx_then_management_and_a_doctor(  # type: ignore[no-untyped-def]
    live_server, chromium_path: str, http_cookies: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    screenshots = os.environ.get("ARBO_SCREENSHOT") == "1"
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 1280, "height": 900}, locale="nl-NL", accept_downloads=True
            )
            _log_in(page, base, "wim.hr")
            expect(page).to_have_url(base + "/reports/")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Verzuimoverzicht Bakkerij De Gouden Korst BV"
            )
            expect(page.locator("svg.chart")).to_have_count(3)
            expect(page.get_by_role("img", name="Verzuimpercentage per afdeling")).to_be_visible()
            # The department of four is not shown, nor the one that would give it away.
            expect(page.locator("td.suppressed").first).to_contain_text("Minder dan 10 werknemers")
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-dashboard.png"), full_page=True)

            page.get_by_label("Afdeling", exact=True).select_option(label="Winkel")
            page.get_by_role("button", name="Toon").click()
            expect(page.get_by_role("heading", name="Verzuimcijfers Winkel")).to_be_visible()
            expect(page.get_by_role("img", name="Verzuimpercentage per maand, Winkel")).to_be_visible()

            with page.expect_download() as download_info:
                page.locator('[data-export="afdelingen-xlsx"]').click()
            download = download_info.value
            assert download.suggested_filename.endswith(".xlsx")
            sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
            labels = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
            assert "Winkel" in labels
            assert "Directie" in labels
            directie = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Directie")
            assert directie[2] is None  # suppressed: no percentage in the file either
            page.close()

            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "dirk.directeur")
            page.goto(base + "/reports/")  # issue 18: the home is "Mijn werk"; the figures link on
            expect(page).to_have_url(base + "/reports/management/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Managementoverzicht")
            expect(page.get_by_text("Werkvoorraad per casemanager")).to_be_visible()
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-management.png"), full_page=True)
            page.close()

            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "bram.arts")
            for path in ("/reports/", "/reports/management/"):
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 404
            expect(page.get_by_role("link", name="Verzuimcijfers")).to_have_count(0)
        finally:
            browser.close()
