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
from typing import TYPE_CHECKING

from flask import Response, current_app, has_request_context, request

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher  # imported lazily at run time: heavy

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
    return render_pdf_with_pages(html, base_url)[0]


def render_pdf_with_pages(html: str, base_url: str | None = None) -> tuple[bytes, int]:
    """``render_pdf`` that also returns the number of pages.

    Works without a request (workers): relative URLs then resolve against ``BASE_URL``.
    """
    from weasyprint import CSS, HTML  # imported lazily: heavy, and only needed here

    base = base_url or (request.host_url if has_request_context() else current_app.config["BASE_URL"])
    document = HTML(string=html, base_url=base, url_fetcher=_local_only_fetcher()).render(
        stylesheets=[CSS(string=PDF_BASE_CSS)]
    )
    return document.write_pdf(), len(document.pages)


def _local_only_fetcher() -> URLFetcher:
    """A fetcher that serves the app's /static/ files from disk and data: URLs; nothing else.

    No network, no file: URLs, no other folder: user text that slips markup into a
    document (``<img src="http://127.0.0.1:…">``, ``<link rel=attachment href="file:…">``)
    loads and attaches nothing. Refusals are ordinary fetch errors: the resource is
    skipped and the document still renders.
    """
    import mimetypes
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static = Path(current_app.static_folder).resolve() if current_app.static_folder else None

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):  # type: ignore[no-untyped-def]
            if url.startswith("data:"):
                return super().fetch(url, headers)  # decoded in memory by urllib's data: handler
            parts = urlsplit(url)
            if static is not None and parts.scheme in ("http", "https") and parts.path.startswith("/static/"):
                path = (static / unquote(parts.path[len("/static/"):])).resolve()
                if path.is_relative_to(static) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            raise ValueError(f"external resource refused in PDF: {url}")

    return LocalOnlyFetcher(allowed_protocols=("data",), allow_redirects=False)


def pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
