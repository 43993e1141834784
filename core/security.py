"""Security headers and request ids (carried into every log line)."""

from __future__ import annotations

import logging
import re
import secrets

from flask import Flask, Response, g, has_request_context, request

from core.log_redaction import install_redaction

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self' https://checkout.stripe.com",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def assign_request_id() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else secrets.token_hex(8)


#: Set on every response unless the view chose its own value; with the Content-Security-Policy
#: (read at each response: a deployment or a test may widen ``CONTENT_SECURITY_POLICY``).
OTHER_BASELINE_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_BASELINE_NAMES = frozenset(["content-security-policy", *(name.lower() for name, _ in OTHER_BASELINE_HEADERS)])


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    baseline = (("Content-Security-Policy", CONTENT_SECURITY_POLICY), *OTHER_BASELINE_HEADERS)
    present = {name.lower() for name, _ in headers.items()}
    # One extend in the common case (the view set none of them): this runs on every response.
    headers.extend([(name, value) for name, value in baseline if name.lower() not in present]
                   if not present.isdisjoint(_BASELINE_NAMES) else baseline)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "request_id" in g:
        headers[REQUEST_ID_HEADER] = g.request_id
    # Pages and downloads (PDF, CSV, JSON, .ics, attachments) are per user: no
    # shared cache, no copy left on disk. Overrides send_file's own "no-cache".
    if request.endpoint != "static" and (response.mimetype == "text/html" or _is_private(response)):
        headers["Cache-Control"] = "private, no-store"
    return response


def _is_private(response: Response) -> bool:
    # The user is only looked at if the view already loaded it (no query for /ping).
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated) or "Content-Disposition" in response.headers


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def install_request_id_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        root.addHandler(handler)
    for existing in root.handlers:
        if any(isinstance(f, RequestIdFilter) for f in existing.filters):
            install_redaction(existing)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.handlers.clear()
    app.logger.propagate = True
