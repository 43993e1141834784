"""The consultant's report pages: progress, generate, retry, editor, history, HTML, PDF, deliver.

Only the engagement's assigned consultant and admins reach them (404 for anyone else,
so the URL reveals nothing); plain form posts that redirect back, with htmx only for
the progress that updates in place.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from core.api import cluster_names, consultant_required, current_user, db, get_people
from engagements.forms import ButtonForm
from engagements.models import Engagement
from engagements.reports import delivery, editing, jobs
from engagements.reports.forms import DeliverForm, ReportEditForm, edit_from_form, editor_data, saved_texts
from engagements.reports.models import ReportJob, ReportVersion
from engagements.reports.versions import content_of, get_version, latest_version, list_versions
from engagements.views.common import current_actor, form_problem, template_globals
from engagements.views.report_common import (
    document_response,
    pdf_file_response,
    progress_context,
    progress_fragment,
    require_report,
)

bp = Blueprint(
    "engagements_console_reports",
    __name__,
    url_prefix="/console/engagements/<int:engagement_id>/report",
    template_folder="../templates",
)
bp.context_processor(template_globals)


@bp.before_request
@consultant_required
def _staff_only() -> None:
    return None


def _load(engagement_id: int) -> Engagement:
    """The report engagement, for its assigned consultant or an admin; 404 otherwise."""
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or not (current_user.is_admin or engagement.consultant_id == current_user.id):
        abort(404)
    return require_report(engagement)


def _overview_url(engagement_id: int) -> str:
    return url_for(".overview", engagement_id=engagement_id)


@bp.get("/")
def overview(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    versions = list_versions(engagement.id)
    return render_template(
        "engagements/reports/console.html",
        e=engagement,
        cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""),
        versions=versions,
        latest=versions[0] if versions else None,
        people=get_people([v.created_by_id for v in versions] + [v.delivered_by_id for v in versions]),
        button=ButtonForm(),
        can_generate=engagement.state in jobs.DRAFTABLE_STATES,
        **progress_context(engagement),
    )


@bp.get("/progress")
def progress(engagement_id: int):  # type: ignore[no-untyped-def]
    """The fragment htmx polls while a job runs; it stops polling once the job is done."""
    return progress_fragment(_load(engagement_id), staff=True, button=ButtonForm())


@bp.post("/generate")
def generate(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        job = jobs.create_draft_job(engagement.id, current_actor())
        db.session.commit()
    except jobs.ReportJobError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(
            f"A new draft (version {job.version_number}) is being generated from the tools' results.",
            "success",
        )
    return redirect(_overview_url(engagement.id), 303)


@bp.post("/jobs/<int:job_id>/retry")
def retry(engagement_id: int, job_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    job = db.session.get(ReportJob, job_id)
    if job is None or job.engagement_id != engagement.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        jobs.retry_job(job.id, current_actor())
        db.session.commit()
    except jobs.ReportJobError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash("The job was queued again.", "success")
    return redirect(_overview_url(engagement.id), 303)


def _editor(
    engagement: Engagement,
    form: ReportEditForm,
    base: ReportVersion,
    status: int = 200,
    conflict: ReportVersion | None = None,
    message: str = "",
) -> tuple[str, int]:
    """The editor page; after a stale save, ``conflict`` is the newer version whose texts are shown."""
    saved_text, only_saved = saved_texts(form, content_of(conflict)) if conflict is not None else ({}, [])
    return render_template(
        "engagements/reports/edit.html",
        e=engagement,
        form=form,
        sections={s.key: s for s in content_of(base).sections},
        base=base,
        conflict=conflict,
        saved_text=saved_text,
        only_saved=only_saved,
        message=message,
    ), status


@bp.route("/edit", methods=["GET", "POST"])
def edit(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    latest = latest_version(engagement.id)
    if latest is None:
        flash("There is no draft to edit yet: generate one first.", "error")
        return redirect(_overview_url(engagement.id), 303)
    if request.method == "GET":
        form = ReportEditForm(formdata=None, data=editor_data(content_of(latest), latest.number))
        return _editor(engagement, form, latest)
    form = ReportEditForm()
    base = get_version(engagement.id, form.base_number.data or 0) or latest
    if not form.validate_on_submit():
        return _editor(engagement, form, base, 400, message=form_problem(form))
    try:
        version = editing.save_edit(engagement.id, form.base_number.data, edit_from_form(form), current_actor())
    except editing.NothingChanged as exc:
        flash(str(exc), "info")
        return redirect(_overview_url(engagement.id), 303)
    except editing.StaleEdit as exc:
        newest = exc.latest or latest_version(engagement.id)
        # The editor saves next over the newer version (as the canvas does); raw_data wins when rendering.
        form.base_number.data = newest.number if newest else base.number
        form.base_number.raw_data = [str(form.base_number.data)]
        return _editor(engagement, form, newest or base, 409, conflict=newest, message=str(exc))
    except editing.EditRefused as exc:
        return _editor(engagement, form, base, 400, message=str(exc))
    flash(f"Saved as version {version.number}; its PDF is being rendered.", "success")
    return redirect(_overview_url(engagement.id), 303)


def _version(engagement: Engagement, number: int) -> ReportVersion:
    version = get_version(engagement.id, number)
    if version is None:
        abort(404)
    return version


@bp.get("/v<int:number>")
def document(engagement_id: int, number: int) -> Response:
    engagement = _load(engagement_id)
    return document_response(engagement, _version(engagement, number))


@bp.get("/v<int:number>.pdf")
def pdf(engagement_id: int, number: int) -> Response:
    engagement = _load(engagement_id)
    return pdf_file_response(engagement, _version(engagement, number))


@bp.route("/v<int:number>/deliver", methods=["GET", "POST"])
def deliver(engagement_id: int, number: int):  # type: ignore[no-untyped-def]
    """A confirmation page (delivery emails the cluster and cannot be undone), then the delivery."""
    engagement = _load(engagement_id)
    version = _version(engagement, number)
    if version.delivered_at is not None:
        flash(f"Version {number} has already been delivered.", "info")
        return redirect(_overview_url(engagement.id), 303)
    form = DeliverForm()
    if form.validate_on_submit():
        try:
            delivery.deliver(engagement.id, version.number, current_actor())
        except delivery.DeliveryRefused as exc:
            flash(str(exc), "error")
            return redirect(_overview_url(engagement.id), 303)
        flash(f"Version {number} was delivered; the cluster's managers have been emailed.", "success")
        return redirect(_overview_url(engagement.id), 303)
    return render_template(
        "engagements/reports/deliver.html",
        e=engagement,
        version=version,
        form=form,
        cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""),
        revision=any(v.delivered_at for v in list_versions(engagement.id)),
    ), 400 if form.errors else 200
