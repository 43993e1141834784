"""/admin/jobs: every kind of background work in one list, with a retry button on failures."""

from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.accounts.roles import admin_required
from core.admin.views import bp
from core.background.heartbeat import SILENT_AFTER_SECONDS, worker_status
from core.background.registry import job_sources
from core.clusters.forms import ConfirmForm
from core.extensions import db
from core.hygiene.paging import page_number
from core.plugins.types import JobRow, JobSource

log = logging.getLogger(__name__)
PAGE_SIZE = 50
STATES = {"queued": "Queued", "running": "Running", "failed": "Failed", "done": "Done"}


def _sources() -> tuple[list[JobSource], list[str]]:
    return job_sources(current_app._get_current_object())  # type: ignore[attr-defined]


def _rows(sources: list[JobSource], state: str | None, limit: int) -> tuple[list[JobRow], list[str]]:
    """The newest ``limit`` rows across ``sources``; the titles of sources that failed to list."""
    rows: list[JobRow] = []
    broken: list[str] = []
    for source in sources:
        try:
            rows.extend(source.list_jobs(state, limit))
        except Exception:  # one broken source must not hide the others
            db.session.rollback()
            log.exception("job source %s could not be listed", source.kind)
            broken.append(source.title)
    rows.sort(key=lambda row: (row.created_at, row.kind, row.key), reverse=True)
    return rows, broken


@bp.get("/jobs")
@admin_required
def jobs():  # type: ignore[no-untyped-def]
    sources, failed_plugins = _sources()
    kinds = {s.kind: s for s in sources}
    state = request.args.get("state", "")
    kind = request.args.get("kind", "")
    if state and state not in STATES:
        abort(400, description=f"Unknown state {state[:40]!r}: use one of {', '.join(STATES)}.")
    if kind and kind not in kinds:
        abort(400, description=f"Unknown kind of job {kind[:40]!r}.")
    page = page_number()
    chosen = [kinds[kind]] if kind else sources
    rows, broken = _rows(chosen, state or None, page * PAGE_SIZE + 1)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render_template(
        "admin/jobs.html", rows=shown, kinds=kinds, states=STATES, state=state, kind=kind, page=page,
        has_next=len(rows) > page * PAGE_SIZE, broken=broken + failed_plugins, form=ConfirmForm(),
        worker=worker_status(), silent_after=SILENT_AFTER_SECONDS,
    )


@bp.post("/jobs/<kind>/<key>/retry")
@admin_required
def retry_job(kind: str, key: str):  # type: ignore[no-untyped-def]
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form expired; open the page again and retry.")
    sources, _failed = _sources()
    source = next((s for s in sources if s.kind == kind), None)
    if source is None or source.retry is None or len(key) > 120:
        abort(404)
    try:
        message = source.retry(key, current_user.email)
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin.jobs", state=request.args.get("state", ""), kind=request.args.get("show", "")), 303)
