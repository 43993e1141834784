"""Absolute links for emails, calendar invitations and Stripe return URLs.

Built from ``BASE_URL`` rather than the request's host, so a webhook delivered
to an internal address still mails links that work for users; outside a
request (CLI, tests calling services) the URL map is bound to ``BASE_URL``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def absolute(endpoint: str, **values: Any) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)
