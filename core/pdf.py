"""The one place that renders PDFs (WeasyPrint), for every tool and report."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Response, current_app, has_request_context, request

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
    document = HTML(string=html, base_url=base, url_fetcher=_local_only_fetcher).render()
    return document.write_pdf(), len(document.pages)


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
