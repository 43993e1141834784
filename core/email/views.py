"""The outbox: mail kept instead of sent, readable in the embedded default only.

Without an SMTP server a newcomer still needs the verification link; the outbox
answers 404 as soon as ``MAIL_SERVER`` is configured.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from core.email.models import OutboxEmail
from core.extensions import db

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


def _only_without_smtp() -> None:
    if current_app.config["MAIL_SERVER"]:
        abort(404)


bp.before_request(_only_without_smtp)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    emails = db.session.execute(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(100)).scalars().all()
    return render_template("outbox/index.html", emails=emails)


@bp.get("/<int:email_id>")
def show(email_id: int):  # type: ignore[no-untyped-def]
    email = db.session.get(OutboxEmail, email_id) or abort(404)
    return render_template("outbox/show.html", email=email)
