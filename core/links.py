"""Absolute links for emails, calendar invitations and payment return URLs.

Always built from ``BASE_URL``, never from the request's ``Host`` header: a
forged header would otherwise put an attacker's host in front of a valid reset
token, and a webhook delivered to an internal address would mail links users
cannot open. The same answer inside and outside a request (CLI, workers).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    """``https://<BASE_URL host>/<path of endpoint>`` for ``url_for``-style arguments.

    Raises ``werkzeug.routing.BuildError`` for an unknown endpoint or missing values.
    """
    parts = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
