"""Error pages in the site's style; form errors and bad input never become a 500."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "We could not understand that request. Check the form and try again."),
    403: ("Not allowed", "Your role does not allow this action."),
    404: ("Page not found", "There is nothing here, or you do not have access to it."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "What you sent is larger than we accept. Try a smaller file or shorter text."),
    429: ("Slow down", "Too many attempts."),
    500: ("Something went wrong", "An unexpected error happened on our side. It has been logged."),
}


def _wants_json() -> bool:
    # Health routes skip the layout's context (no database), so their errors are JSON too.
    return (
        request.path.startswith(("/webhooks/", "/healthz"))
        or request.blueprint == "health"
        or request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, detail: str | None = None):  # type: ignore[no-untyped-def]
    title, message = MESSAGES.get(status, ("Error", "Something went wrong."))
    if _wants_json():
        return jsonify(error=title, detail=detail or message), status
    return render_template("errors/error.html", status=status, title=title, message=detail or message), status


def _wait_before_retry() -> str:
    """How long until the breached limit lets requests through again, in words."""
    from core.extensions import limiter

    current = limiter.current_limit
    seconds = max(1, int(current.reset_at - time.time())) if current else 60
    if seconds < 90:
        return f"{seconds} seconds" if seconds != 1 else "1 second"
    minutes = round(seconds / 60)
    return f"{minutes} minutes" if minutes < 90 else f"about {round(minutes / 60)} hours"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(400, "The form expired or was sent from elsewhere. Reload the page and try again.")

    @app.errorhandler(SecurityError)
    def untrusted_host(exc: SecurityError):  # type: ignore[no-untyped-def]
        # A Host outside TRUSTED_HOSTS: no URL map is bound, so no templated page.
        return Response("Bad request: this host name is not served here.\n", 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code is None or exc.code < 400:
            return exc
        if exc.code == 429:
            return render_error(429, f"Too many attempts. Try again in {_wait_before_retry()}.")
        # A 403 says why when the view gave a reason (werkzeug's default text is generic).
        explained = exc.code == 400 or (exc.code == 403 and exc.description != type(exc).description)
        return render_error(exc.code, exc.description if explained else None)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path)
        from core.extensions import db

        db.session.rollback()
        return render_error(500)
