"""The one place that renders PDFs (WeasyPrint), for every tool and report."""

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


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """Turn a self-contained HTML document into PDF bytes.

    Page size and margins come from the document's own ``@page`` CSS. Only
    files under the app's static folder are fetched; no network access.
    """
    return render_pdf_with_pages(html, base_url)[0]


def render_pdf_with_pages(html: str, base_url: str | None = None) -> tuple[bytes, int]:
    """``render_pdf`` that also returns the number of pages.

    Works without a request (workers): relative URLs then resolve against ``BASE_URL``.
    """
    from weasyprint import HTML  # imported lazily: heavy, and only needed here

    base = base_url or (request.host_url if has_request_context() else current_app.config["BASE_URL"])
    document = HTML(string=html, base_url=base, url_fetcher=_local_only_fetcher()).render()
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
