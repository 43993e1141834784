"""Device cookies: a browser that logged in before is exempt from the per-account lock-out.

The per-account login limit stops password guessing from many addresses, but
on its own it lets anyone lock the real user out by failing on purpose. OWASP's
answer ("Slow Down Online Guessing Attacks with Device Cookies"): after a
successful login the browser gets a signed cookie naming the account; attempts
for that account carrying it skip the per-account limit (per-address limits
still apply). The cookie grants nothing else: it is not a session.
"""

from __future__ import annotations

from typing import Iterable

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "device"
MAX_AGE_SECONDS = 180 * 24 * 3600
MAX_ACCOUNTS = 5  # a shared family computer, not an unbounded list


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="designing-clusters/device-cookie")


def known_accounts() -> list[int]:
    """User ids this browser logged in as (from a valid, unexpired cookie), else []."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return []
    try:
        ids = _serializer().loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def remember_device(response: Response, user_id: int) -> Response:
    """Add ``user_id`` to this browser's device cookie (most recent first)."""
    ids: Iterable[int] = [user_id] + [i for i in known_accounts() if i != user_id]
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps(list(ids)[:MAX_ACCOUNTS]),
        max_age=MAX_AGE_SECONDS,
        path="/login",
        httponly=True,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        samesite="Lax",
    )
    return response


def submitted_account_is_known() -> bool:
    """For the login form: does this browser's cookie name the account whose email was submitted?"""
    ids = known_accounts()
    if not ids:
        return False
    from core.accounts.services import find_user_by_email

    user = find_user_by_email(request.form.get("email", ""))
    return user is not None and user.id in ids
