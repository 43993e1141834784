"""Error pages in the site's style; form errors and bad input never become a 500."""

from __future__ import annotations

import logging

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
    429: ("Slow down", "Too many attempts. Wait a minute and try again."),
    500: ("Something went wrong", "An unexpected error happened on our side. It has been logged."),
}


def _wants_json() -> bool:
    return request.path.startswith(("/webhooks/", "/healthz")) or request.accept_mimetypes.best == "application/json"


def render_error(status: int, detail: str | None = None):  # type: ignore[no-untyped-def]
    title, message = MESSAGES.get(status, ("Error", "Something went wrong."))
    if _wants_json():
        return jsonify(error=title, detail=detail or message), status
    return render_template("errors/error.html", status=status, title=title, message=detail or message), status


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
        return render_error(exc.code, exc.description if exc.code == 400 else None)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path)
        from core.extensions import db

        db.session.rollback()
        return render_error(500)
