"""Absolute links for emails, calendar invitations and Stripe return URLs.

Built from ``BASE_URL`` rather than the request's host, so a webhook delivered
to an internal address still mails links that work for users.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def absolute(endpoint: str, **values: Any) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
