"""Response headers (issue 19): a strict Content-Security-Policy on HTML, and no cached copies of
anything the app answers (pages with personal data, API answers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse


def _directives(header: str) -> dict[str, set[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


@pytest.fixture
def employee_page(mfa_client, casemanager_carla, employee_of_a):  # type: ignore[no-untyped-def]
    return mfa_client(casemanager_carla).get(reverse("registry:employee_detail", args=[employee_of_a.pk]))


def test_a_page_with_personal_data_has_a_strict_csp(employee_page, employee_of_a):
    assert employee_page.status_code == 200
    assert employee_of_a.surname in employee_page.content.decode()  # personal data, indeed

    policy = _directives(employee_page["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["form-action"] == {"'self'"}


def test_a_page_with_personal_data_is_not_stored(employee_page):
    cache_control = {part.strip() for part in employee_page["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_the_login_page_has_the_policy_too(client, db):
    response = client.get(reverse("account_login"))

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


#: What the policy forbids in a template: inline script (a <script> without src that the browser
#: would run), event-handler attributes, javascript: URLs and inline style.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)

#: Rendered to PDF by WeasyPrint, never served to a browser: their <style> is fine.
_PRINT_ONLY = {"absence/pdf/", "medical/invitation_letter.html", "consent/pdf/"}


def _templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR, "arbo").glob("*/templates")]
    return [path for root in roots for path in root.rglob("*.html")]


def test_no_template_needs_inline_script_or_style():
    offenders = []
    for path in _templates():
        if any(marker in path.as_posix() for marker in _PRINT_ONLY):
            continue
        text = path.read_text()
        for pattern in (_INLINE_SCRIPT, _HANDLER, _STYLE_ATTRIBUTE):
            offenders += [f"{path}: {match.group(0)}" for match in pattern.finditer(text)]
        if "javascript:" in text.lower() or "<style" in text.lower():
            offenders.append(f"{path}: javascript: or <style>")
    assert offenders == []
    assert len(_templates()) > 20
