"""PDFs rendered with WeasyPrint from Django templates: WvP documents and the UWV data sheet,
disclosures, breach letters, the register of processing, rights packages and decision letters.

The templates (``absence/pdf/``, ``consent/pdf/``, ...) carry their own CSS: A4, Debian's DejaVu fonts, a plain
"Arbodossier" letterhead. WeasyPrint may fetch nothing but those font files: the HTML holds
user-written text (escaped by the template engine), and a PDF renderer that follows URLs is a way
to read local files or reach the network.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# WeasyPrint logs every rendering step at INFO (also while importing): keep it out of the logs.
# Hence also the imports of weasyprint inside the functions, after this line has run.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _fonts_only() -> Any:
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 — heavy import (WeasyPrint, Pango): only when a PDF is made

    class FontsOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(f"file://{FONT_DIR}/") or ".." in url:
                raise ValueError(f"PDF rendering fetches fonts only, not {url[:80]}")
            return super().fetch(url, headers)

    return FontsOnly()


def render_pdf(template_name: str, context: dict[str, Any], *, attachments: list[Any] | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — heavy import (WeasyPrint, Pango): only when a PDF is made

    html = render_to_string(template_name, {"font_dir": FONT_DIR, **context})
    pdf: bytes = HTML(string=html, url_fetcher=_fonts_only()).write_pdf(attachments=attachments)
    return pdf


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Serve ``pdf`` inline; private and uncached (it holds personal data)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "document"}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
