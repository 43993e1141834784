"""The consultant's brief pages: progress, draft on demand, retry, agenda editing, PDF,
sharing with the managers, the managers' comments, and the outcomes after the workshop.

Only the engagement's assigned consultant and admins reach them (404 for anyone else).
Plain form posts that redirect back (keyboard and no-JavaScript friendly); htmx only for
the progress that updates in place. Every change of the agenda is a new version.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from core.api import cluster_names, consultant_required, current_user, db, strip_bidi_controls
from engagements.briefs import editing, jobs, outcomes, sharing
from engagements.briefs.length import length_minutes
from engagements.briefs.forms import ItemForm, OutcomesForm, VersionForm
from engagements.briefs.models import BriefVersion
from engagements.briefs.render import clock
from engagements.briefs.versions import draft_of, get_version, latest_version, list_versions
from engagements.forms import ButtonForm
from engagements.lifecycle import Actor
from engagements.models import Engagement
from engagements.reports.jobs import ReportJobError, retry_job
from engagements.reports.models import ReportJob
from engagements.views.brief_common import document_response, pdf_response, progress_context, require_workshop
from engagements.views.common import form_problem, template_globals

bp = Blueprint(
    "engagements_console_briefs",
    __name__,
    url_prefix="/console/engagements/<int:engagement_id>/brief",
    template_folder="../templates",
)
bp.context_processor(template_globals)


@bp.before_request
@consultant_required
def _staff_only() -> None:
    return None


def _actor() -> Actor:
    return Actor(current_user.id, current_user.email)


def _load(engagement_id: int) -> Engagement:
    """The workshop, for its assigned consultant or an admin; 404 otherwise."""
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or not (current_user.is_admin or engagement.consultant_id == current_user.id):
        abort(404)
    return require_workshop(engagement)


def _overview(engagement_id: int, anchor: str = "") -> WerkzeugResponse:
    return redirect(url_for(".overview", engagement_id=engagement_id) + (f"#{anchor}" if anchor else ""), 303)


def _version(engagement: Engagement, number: int) -> BriefVersion:
    version = get_version(engagement.id, number)
    if version is None:
        abort(404)
    return version


@bp.get("/")
def overview(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    versions = list_versions(engagement.id)
    latest = versions[0] if versions else None
    return render_template(
        "engagements/briefs/console.html",
        e=engagement,
        cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""),
        versions=versions,
        latest=latest,
        draft=draft_of(latest) if latest else None,
        comments=sharing.comments(engagement.id),
        recorded=outcomes.outcomes(engagement.id),
        held=outcomes.workshop_held(engagement),
        button=ButtonForm(),
        version_form=VersionForm(),
        can_generate=engagement.state in jobs.DRAFTABLE_STATES,
        length=length_minutes(engagement),
        clock=clock,
        **progress_context(engagement),
    )


@bp.get("/progress")
def progress(engagement_id: int):  # type: ignore[no-untyped-def]
    """The fragment htmx polls while a job runs; it stops polling once the job is done."""
    engagement = _load(engagement_id)
    return render_template("engagements/briefs/_progress.html", e=engagement, staff=True, button=ButtonForm(),
                           **progress_context(engagement))


@bp.post("/generate")
def generate(engagement_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        job = jobs.create_brief_job(engagement.id, _actor())
        db.session.commit()
    except ReportJobError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(f"A new draft (version {job.version_number}) is being prepared from the cluster's divergences.",
              "success")
    return _overview(engagement.id)


@bp.post("/jobs/<int:job_id>/retry")
def retry(engagement_id: int, job_id: int):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    job = db.session.get(ReportJob, job_id)
    if job is None or job.engagement_id != engagement.id or job.kind not in jobs.KINDS:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        retry_job(job.id, _actor())
        db.session.commit()
    except ReportJobError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash("The job was queued again.", "success")
    return _overview(engagement.id)


def _item_page(engagement: Engagement, form: ItemForm, latest: BriefVersion, adding: bool,
               status: int = 200, message: str = "") -> tuple[str, int]:
    return render_template("engagements/briefs/item.html", e=engagement, form=form, latest=latest,
                           adding=adding, message=message), status


@bp.route("/item", methods=["GET", "POST"])
def item(engagement_id: int):  # type: ignore[no-untyped-def]
    """Edit one agenda item (``?key=``), or add one (no key)."""
    engagement = _load(engagement_id)
    latest = latest_version(engagement.id)
    if latest is None:
        flash("There is no brief to edit yet: draft one first.", "error")
        return _overview(engagement.id)
    if request.method == "GET":
        key = request.args.get("key", "")
        data: dict[str, object] = {"base_number": latest.number, "minutes": 30, "key": ""}
        if key:
            found = [i for i in draft_of(latest).items if i.key == key]
            if not found:
                abort(404)
            it = found[0]
            data.update(key=it.key, title=it.title, question=it.question, exercise=it.exercise,
                        minutes=it.minutes, decision_sought=it.decision_sought)
        return _item_page(engagement, ItemForm(formdata=None, data=data), latest, adding=not key)
    form = ItemForm()
    adding = not form.key.data
    if not form.validate_on_submit():
        return _item_page(engagement, form, latest, adding, 400, form_problem(form))
    try:
        if adding:
            version = editing.add_item(engagement.id, form.base_number.data or 0, form.change(), _actor())
        else:
            version = editing.edit_item(engagement.id, form.base_number.data or 0, form.key.data or "",
                                        form.change(), _actor())
    except editing.EditRefused as exc:
        # Out of date: the form comes back with the typed text on the current version, so the
        # next save (after a look at it) is not refused again.
        db.session.expire_all()
        latest = latest_version(engagement.id) or latest
        if isinstance(exc, editing.StaleEdit):
            form.base_number.data, form.base_number.raw_data = latest.number, [str(latest.number)]
        return _item_page(engagement, form, latest, adding, exc.status_code, str(exc))
    flash(f"Saved as version {version.number}: {version.change_summary}.", "success")
    return _overview(engagement.id, "agenda")


@bp.post("/move/<direction>")
def move(engagement_id: int, direction: str):  # type: ignore[no-untyped-def]
    engagement = _load(engagement_id)
    form = VersionForm()
    if direction not in ("up", "down") or not form.validate_on_submit():
        abort(400)
    try:
        version = editing.move_item(engagement.id, form.base_number.data or 0, form.key.data or "",
                                    -1 if direction == "up" else 1, _actor())
    except editing.EditRefused as exc:
        flash(str(exc), "error")
        return _overview(engagement.id, "agenda")
    flash(f"Saved as version {version.number}: {version.change_summary}.", "success")
    return _overview(engagement.id, f"item-{form.key.data}")


@bp.route("/drop", methods=["GET", "POST"])
def drop(engagement_id: int):  # type: ignore[no-untyped-def]
    """A confirmation page (the item leaves the agenda), then the drop as a new version."""
    engagement = _load(engagement_id)
    latest = latest_version(engagement.id)
    if latest is None:
        abort(404)
    if request.method == "GET":
        key = request.args.get("key", "")
        found = [i for i in draft_of(latest).items if i.key == key]
        if not found:
            abort(404)
        form = VersionForm(formdata=None, data={"base_number": latest.number, "key": key})
        return render_template("engagements/briefs/drop.html", e=engagement, item=found[0], form=form,
                               latest=latest)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = editing.drop_item(engagement.id, form.base_number.data or 0, form.key.data or "", _actor())
    except editing.EditRefused as exc:
        flash(str(exc), "error")
        return _overview(engagement.id, "agenda")
    flash(f"Saved as version {version.number}: {version.change_summary}.", "success")
    return _overview(engagement.id, "agenda")


@bp.get("/v<int:number>")
def document(engagement_id: int, number: int) -> Response:
    engagement = _load(engagement_id)
    return document_response(_version(engagement, number), url_for(".overview", engagement_id=engagement.id))


@bp.get("/v<int:number>.pdf")
def pdf(engagement_id: int, number: int) -> Response:
    engagement = _load(engagement_id)
    return pdf_response(_version(engagement, number))


@bp.route("/v<int:number>/share", methods=["GET", "POST"])
def share(engagement_id: int, number: int):  # type: ignore[no-untyped-def]
    """A confirmation page (the managers are emailed), then the sharing."""
    engagement = _load(engagement_id)
    version = _version(engagement, number)
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            sharing.share(engagement.id, version.number, _actor())
        except sharing.SharingRefused as exc:
            flash(str(exc), "error")
            return _overview(engagement.id)
        flash(f"Version {number} is shared; the cluster's managers have been emailed.", "success")
        return _overview(engagement.id)
    return render_template("engagements/briefs/share.html", e=engagement, version=version, form=form,
                           cluster_name=cluster_names([engagement.cluster_id]).get(engagement.cluster_id, ""))


def _parse_due(text: str, title: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise outcomes.OutcomeRefused(f"“{title}”: the due date is a date like 2027-03-31.") from None


def _typed_outcomes() -> dict[str, dict[str, str]]:
    """What the form sent, keyed by agenda item key (the hidden ``key-<n>`` of each row), so
    a decision stays with its item whatever order the agenda has now. Bidi override
    characters are stripped, as WTForms' string fields do."""
    typed: dict[str, dict[str, str]] = {}
    for name, key in request.form.items():
        if not name.startswith("key-") or not key:
            continue
        n = name[4:]
        typed[key] = {field: strip_bidi_controls(request.form.get(f"{field}-{n}", ""))
                      for field in ("decision", "owner", "due")}
    return typed


@bp.route("/outcomes", methods=["GET", "POST"])
def record_outcomes(engagement_id: int):  # type: ignore[no-untyped-def]
    """After the workshop: a decision, an owner and a due date per agenda item.

    Rows carry their item's key and the form the agenda version it was built from; a form
    built from another version is refused (409) with the typed text kept by item."""
    engagement = _load(engagement_id)
    version = outcomes.agenda_version(engagement.id)
    items = draft_of(version).items if version is not None else ()
    form = OutcomesForm()
    message, status = "", 200
    typed: dict[str, dict[str, str]] | None = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        typed = _typed_outcomes()
        titles = {it.key: it.title for it in items}
        try:
            entries = [
                outcomes.OutcomeEntry(key, row["decision"], row["owner"],
                                      _parse_due(row["due"], titles.get(key, key)))
                for key, row in typed.items()
            ]
            saved = outcomes.record(engagement.id, entries, _actor(), form.agenda_version.data)
        except outcomes.StaleOutcomes as exc:
            message, status = str(exc), 409
        except outcomes.OutcomeRefused as exc:
            message, status = str(exc), 400
        else:
            flash(f"{saved} decision{'s' if saved != 1 else ''} recorded. The cluster's managers see them on "
                  "the brief's outcomes page.", "success")
            return redirect(url_for(".record_outcomes", engagement_id=engagement.id), 303)
    recorded = {o.agenda_key: o for o in outcomes.outcomes(engagement.id)}
    keys = {it.key for it in items}
    orphaned = {k: v for k, v in (typed or {}).items() if k not in keys and v["decision"].strip()}
    return render_template("engagements/briefs/record_outcomes.html", e=engagement, items=items, form=form,
                           version=version, recorded=recorded, held=outcomes.workshop_held(engagement),
                           message=message, typed=typed, orphaned=orphaned,
                           earliest=outcomes.workshop_date(engagement)), status
