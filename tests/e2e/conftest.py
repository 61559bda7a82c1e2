"""Browser test fixtures: Debian's Chromium (required in CI), plain-http cookies for the live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium_path() -> str:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("ARBO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ARBO_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture
def http_cookies(settings) -> None:  # type: ignore[no-untyped-def]
    # DEBUG is off in tests, so the cookies are Secure; the live server speaks plain http.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
