"""End to end in Debian's Chromium: an employer reports an employee sick, the casemanager sees the work.

The employer's first remark names an illness and is refused with the rule; the second is stored.
With ``ARBO_SCREENSHOT=1`` the test writes ``docs/screenshot-case.png`` (the new case as the
employer sees it) and ``docs/screenshot-caseload.png`` (the casemanager's caseload).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyotp
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from arbo.absence.models import AbsenceCase
from arbo.demo.cast import DEMO_PASSWORD, EMPLOYERS, totp_secret
from arbo.registry.models import Employee
from tests.e2e.conftest import CHROMIUM_ARGS

DOCS = Path(django_settings.BASE_DIR) / "docs"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(base + "/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(base + "/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(pyotp.TOTP(totp_secret(username)).now())
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".whoami")).to_be_visible()


def test_employer_reports_sick_and_the_casemanager_sees_the_task(  # type: ignore[no-untyped-def]
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
    name, employee_id = employee.full_name, employee.pk
    cases_before = AbsenceCase.objects.count()
    screenshots = os.environ.get("ARBO_SCREENSHOT") == "1"
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            _log_in(page, base, "wim.hr")
            page.goto(f"{base}/registry/employees/{employee_id}/")
            page.get_by_role("link", name="Ziek melden").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Ziekmelding van {name}")
            page.get_by_label("Verwachte duur").select_option("weeks")
            page.get_by_label("Telefoonnummer tijdens ziekte").fill("0612345678")
            page.get_by_label("Opmerkingen (lopende afspraken, over te dragen werk)").fill("Ze heeft griep")
            page.get_by_role("button", name="Ziekmelding vastleggen").click()
            expect(page.locator(".errorlist")).to_contain_text("Autoriteit Persoonsgegevens")

            page.get_by_label("Opmerkingen (lopende afspraken, over te dragen werk)").fill(
                "Bestellingen van vrijdag overdragen aan de winkel"
            )
            page.get_by_role("button", name="Ziekmelding vastleggen").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(name)
            expect(page.locator("table").first).to_contain_text("Probleemanalyse")
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-case.png"), full_page=True)
            page.get_by_role("button", name="Uitloggen").click()

            _log_in(page, base, "carla.cm")
            page.get_by_role("link", name="Werkvoorraad", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werkvoorraad")
            expect(page.locator("table")).to_contain_text("Plan van aanpak")
            if screenshots:
                page.screenshot(path=str(DOCS / "screenshot-caseload.png"), full_page=True)
        finally:
            browser.close()

    assert AbsenceCase.objects.count() == cases_before + 1
    assert AbsenceCase.objects.get(employee_id=employee_id).periods.get().remarks.startswith("Bestellingen")
