"""The outbox: mail kept instead of sent when no SMTP server is configured.

A newcomer trying the embedded default needs the verification link, so there
the outbox is open to everyone; in any other setup only admins read it (it
holds reset links). It answers 404 as soon as ``MAIL_SERVER`` is configured.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
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
    return current_app.config["OUTBOX_OPEN_TO_ALL"] or (current_user.is_authenticated and current_user.is_admin)


bp.before_request(_only_when_readable)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    emails = db.session.execute(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(100)).scalars().all()
    return render_template("outbox/index.html", emails=emails)


@bp.get("/<int:email_id>")
def show(email_id: int):  # type: ignore[no-untyped-def]
    email = db.session.get(OutboxEmail, email_id) or abort(404)
    return render_template("outbox/show.html", email=email)
