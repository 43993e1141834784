"""The one place that renders PDFs (WeasyPrint), for every tool and report.

Every PDF gets one font set and one base stylesheet (:data:`PDF_BASE_CSS`): Debian's
Noto fonts (``make fonts`` installs fonts-noto-core, fonts-noto-cjk and
fonts-noto-color-emoji), so Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari,
Chinese/Japanese/Korean and emoji print as text, never as empty boxes; and long
words wrap inside their box instead of running off the page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Response, current_app, request

# WeasyPrint's font subsetting logs at INFO/WARNING per glyph table; keep logs readable.
logging.getLogger("fontTools").setLevel(logging.ERROR)
logging.getLogger("weasyprint").setLevel(logging.ERROR)

#: Font families, in fallback order, as one CSS ``font-family`` value. Noto Sans covers
#: Latin, Greek and Cyrillic; each other script has its own Noto family; Pango picks the
#: first family that has a glyph. Use it where a document names a font itself (SVG text).
PDF_FONT_STACK = (
    '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", '
    '"Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Color Emoji", sans-serif'
)

#: Applied to every PDF before the document's own CSS (as a user stylesheet, so a
#: document may still size and colour its text). Documents should not set
#: ``font-family`` themselves: the set above is what makes every script print.
PDF_BASE_CSS = f"""
html, body, svg text {{ font-family: {PDF_FONT_STACK}; }}
body {{ overflow-wrap: anywhere; word-break: normal; }}
td, th, li, p, div, span {{ overflow-wrap: anywhere; }}
pre {{ white-space: pre-wrap; }}
"""

#: Below this size (points) printed text is hard to read; layouts shrink text no further.
MIN_READABLE_PT = 7.0


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """Turn a self-contained HTML document into PDF bytes.

    Page size and margins come from the document's own ``@page`` CSS; fonts and
    word wrapping from :data:`PDF_BASE_CSS`. Only files under the app's static
    folder are fetched; no network access.
    """
    from weasyprint import CSS, HTML  # imported lazily: heavy, and only needed here

    return HTML(string=html, base_url=base_url or request.host_url, url_fetcher=_local_only_fetcher).write_pdf(
        stylesheets=[CSS(string=PDF_BASE_CSS)]
    )


def _local_only_fetcher(url: str, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Serve /static/ files from disk; refuse anything else (no network)."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    if "/static/" in url and current_app.static_folder:
        root = Path(current_app.static_folder).resolve()
        path = (root / url.split("/static/", 1)[1].split("?", 1)[0]).resolve()
        if path.is_relative_to(root) and path.is_file():
            return {"string": path.read_bytes(), "mime_type": None}
    raise ValueError(f"external resource refused in PDF: {url}")


def pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
