"""Signed, expiring links for email verification, password reset and invitations.

Single use comes from what the token is bound to: a reset token carries a
fingerprint of the current password hash (it dies once the password changes);
an invitation token carries the invitation's nonce (cleared when used).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenError(ValueError):
    """The link is invalid, tampered with, or expired."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"designing-clusters/{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def make_tokens(purpose: str, payloads: list[dict[str, Any]]) -> list[str]:
    """``make_token`` for many payloads, with one serializer (a list of invitations)."""
    serializer = _serializer(purpose)
    return [serializer.dumps(payload) for payload in payloads]


def read_token(purpose: str, token: str, max_age: int | None = None) -> dict[str, Any]:
    try:
        return _serializer(purpose).loads(token, max_age=max_age or current_app.config["TOKEN_MAX_AGE_SECONDS"])
    except SignatureExpired as exc:
        raise TokenError("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise TokenError("This link is not valid.") from exc


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]
