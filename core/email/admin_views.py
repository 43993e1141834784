"""Admin: every mail with its delivery state, and Retry for failed ones.

Mail bodies hold working reset and invitation links, so this page lists
recipients, subjects and errors only; admins read kept bodies at /outbox.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.accounts.roles import admin_required
from core.clusters.forms import ConfirmForm
from core.email import bulk, queue
from core.email.models import MAIL_STATES, OutboxEmail
from core.extensions import db
from core.hygiene.paging import page_number

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/mail")
PAGE_SIZE = 50


@bp.get("/")
@admin_required
def index():  # type: ignore[no-untyped-def]
    state = request.args.get("state", "")
    if state and state not in MAIL_STATES:
        abort(400, description=f"Unknown state; choose one of {', '.join(MAIL_STATES)}.")
    page = page_number()
    stmt = select(OutboxEmail).order_by(OutboxEmail.id.desc())
    if state:
        stmt = stmt.where(OutboxEmail.state == state)
    rows = db.session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return render_template(
        "admin/mail.html", mails=rows, state=state, states=MAIL_STATES, counts=queue.mail_job_summary(),
        page=page, page_size=PAGE_SIZE, form=ConfirmForm(), failed_jobs=bulk.failed_bulk_jobs(),
    )


@bp.post("/<int:mail_id>/retry")
@admin_required
def retry(mail_id: int):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    mail = db.session.get(OutboxEmail, mail_id) or abort(404)
    if queue.retry(mail):
        flash(f"The mail to {mail.recipient} is queued again.", "success")
    else:
        flash(f"The mail to {mail.recipient} is {mail.state}, not failed: nothing to retry.", "info")
    return redirect(url_for("mail_admin.index", state=request.args.get("state", "")))


@bp.post("/bulk/<int:job_id>/retry")
@admin_required
def retry_bulk(job_id: int):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if bulk.retry_bulk_job(job_id):
        flash("The bulk mail job continues where it stopped.", "success")
    else:
        flash("That bulk mail job has not failed: nothing to retry.", "info")
    return redirect(url_for("mail_admin.index"))
