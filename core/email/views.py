"""The outbox: mail kept instead of sent when no SMTP server is configured.

It holds working reset and invitation links, so reading it is reading
everyone's mail. A newcomer trying the embedded default on their own machine
needs the verification link: there (``OUTBOX_OPEN_TO_ALL``) it is open to
requests from the loopback interface that did not come through a proxy; to
anyone else only admins read it. It answers 404 once ``MAIL_SERVER`` is set.
"""

from __future__ import annotations

from ipaddress import ip_address

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from core.email.models import OutboxEmail
from core.extensions import db

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


def _only_when_readable() -> None:
    if not outbox_readable():
        abort(404)


def outbox_readable() -> bool:
    if current_app.config["MAIL_SERVER"]:
        return False
    if current_app.config["OUTBOX_OPEN_TO_ALL"] and request_is_local():
        return True
    return bool(current_user.is_authenticated and current_user.is_admin)


def request_is_local() -> bool:
    """True for a request from this machine's loopback interface, not relayed by a proxy.

    A reverse proxy on the same host also connects from loopback; it adds a
    forwarding header, so such requests count as remote.
    """
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


bp.before_request(_only_when_readable)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    emails = db.session.execute(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(100)).scalars().all()
    return render_template("outbox/index.html", emails=emails)


@bp.get("/<int:email_id>")
def show(email_id: int):  # type: ignore[no-untyped-def]
    email = db.session.get(OutboxEmail, email_id) or abort(404)
    return render_template("outbox/show.html", email=email)
